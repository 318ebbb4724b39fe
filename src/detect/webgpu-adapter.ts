/**
 * WebGPU through Dawn (the `webgpu` package): finding the adapter and starting tfjs on it. Depends on
 * nothing but tfjs, so the offline GPU check (bench/gpu/check.ts) bundles this same code.
 */
import * as tf from '@tensorflow/tfjs';

/** The WebGPU adapter a `webgpu` backend runs on, as Dawn describes it. */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation of the API (lavapipe, SwiftShader), not a GPU. */
  software: boolean;
}

interface DawnAdapter {
  info?: Partial<Omit<GpuAdapterInfo, 'software'>> & { isFallbackAdapter?: boolean };
  limits?: Record<string, number>;
}

/** The adapter limits that bound what a model can do on it (buffer sizes, workgroup memory). */
export const GPU_LIMITS = ['maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup'] as const;

/** Whether `import()` failed because the package is not installed (rather than broken). */
export const isNotInstalled = (error: unknown): boolean => ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes((error as NodeJS.ErrnoException).code ?? '');

export const firstLine = (error: unknown): string => ((error as Error).message ?? String(error)).split('\n')[0]!;

/** What `requestAdapter` saw, through the `webgpu` package; `problem` says why there is none. */
export async function findGpuAdapter(): Promise<{ adapter?: GpuAdapterInfo; limits?: Record<string, number>; problem?: string; gpu?: unknown }> {
  let dawn: { create(options: string[]): { requestAdapter(options?: object): Promise<DawnAdapter | null> }; globals: object };
  try {
    dawn = (await import('webgpu')) as unknown as typeof dawn;
  } catch (error) {
    return { problem: isNotInstalled(error) ? 'the webgpu package is not installed (npm install webgpu)' : `the webgpu package failed to load: ${firstLine(error)}` };
  }
  // Mesa complains without it; the value does not matter for compute.
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { problem: 'no WebGPU adapter: no Vulkan, Metal or D3D12 driver that Dawn accepts' };
  const info = adapter.info ?? {};
  const software = info.isFallbackAdapter === true || info.architecture === 'software' || /llvmpipe|lavapipe|swiftshader/i.test(`${info.device} ${info.description}`);
  return {
    gpu,
    adapter: { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '', software },
    limits: Object.fromEntries(GPU_LIMITS.map((name) => [name, Number(adapter.limits?.[name] ?? Number.NaN)])),
  };
}

/** Starts tfjs's webgpu backend on `gpu` (from findGpuAdapter, described as `adapterName`); the problem when it cannot, else undefined. */
export async function startWebGpuBackend(gpu: unknown, adapterName: string): Promise<string | undefined> {
  // tfjs-backend-webgpu registers itself at import, and only when navigator.gpu exists then.
  const navigator = ((globalThis as { navigator?: object }).navigator ??= {});
  Object.defineProperty(navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  try {
    await import('@tensorflow/tfjs-backend-webgpu');
    if (await tf.setBackend('webgpu')) return undefined;
  } catch (error) {
    tf.removeBackend('webgpu');
    return `@tensorflow/tfjs-backend-webgpu failed on ${adapterName}: ${firstLine(error)}`;
  }
  // A backend that failed to initialise stays registered and would make every later op fail.
  tf.removeBackend('webgpu');
  return `@tensorflow/tfjs-backend-webgpu did not initialise on ${adapterName}`;
}
