/**
 * The TensorFlow.js backend, chosen at run time, fastest first:
 *   1. `tensorflow` through @tensorflow/tfjs-node-gpu (CUDA 11.2 + cuDNN 8.1), when it loads;
 *   2. `webgpu` through the `webgpu` package (Dawn: Vulkan, Metal or D3D12), on a hardware adapter
 *      only: a software one (Mesa's lavapipe, SwiftShader) is slower than wasm;
 *   3. `tensorflow` through @tensorflow/tfjs-node (native CPU);
 *   4. `wasm`, which always works offline.
 * A forced backend (EDGE_LABEL_DETECTION_BACKEND, --backend) that cannot start is an error naming
 * why, never a silent fallback; forced `webgpu` takes any adapter, software included.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { environmentSettings } from '../config.js';
import { invalidParameter } from '../errors.js';
import { findGpuAdapter, firstLine, isNotInstalled, startWebGpuBackend, type GpuAdapterInfo } from './webgpu-adapter.js';

export { findGpuAdapter, GPU_LIMITS, type GpuAdapterInfo } from './webgpu-adapter.js';

const require = createRequire(import.meta.url);

export const BACKENDS = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendChoice {
  /** tfjs backend name: `tensorflow` (tfjs-node or tfjs-node-gpu), `webgpu`, `wasm` or `cpu`. */
  backend: string;
  /** The package that provides it, printed so users can see whether their GPU package was used. */
  provider: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node' | '@tensorflow/tfjs-backend-webgpu' | '@tensorflow/tfjs-backend-wasm' | '@tensorflow/tfjs';
  /** Why this backend and not a faster one. */
  reason: string;
  /** For `webgpu`: the adapter. */
  adapter?: GpuAdapterInfo;
  /** For `webgpu`: how long the model's first runs took (shaders compiled), in ms. */
  firstRunMs?: number;
  /** For `webgpu`: whether the views of a frame go to the model as one batch (detect/batched-graph.ts). */
  viewsBatched?: boolean;
}

/**
 * Whether this machine shows a GPU to user space at all: a DRM render node (AMD, Intel, most
 * drivers), an NVIDIA device node, or a platform where Dawn has its own drivers (macOS Metal,
 * Windows D3D12). Without one, the automatic choice does not start Dawn (which would only find
 * a software adapter, or none, and say so on stderr).
 */
export function gpuDeviceVisible(): boolean {
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  try {
    if (readdirSync('/dev/dri').some((name) => name.startsWith('renderD'))) return true;
  } catch {
    // No DRM devices.
  }
  try {
    return readdirSync('/dev').some((name) => /^nvidia\d+$/.test(name));
  } catch {
    return false;
  }
}

/** `value` as a backend name; anything else is an InvalidParameterException naming `source`. */
export function toBackendName(value: string, source: string): BackendName {
  if (!(BACKENDS as readonly string[]).includes(value)) throw invalidParameter(`${source} must be one of ${BACKENDS.join(', ')}, got "${value}"`);
  return value as BackendName;
}

async function tryNativeBackend(packageName: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<string | undefined> {
  try {
    await import(packageName);
    if (await tf.setBackend('tensorflow')) return undefined;
    return `${packageName} loaded but its backend did not initialise`;
  } catch (error) {
    return isNotInstalled(error) ? `${packageName} is not installed` : `${packageName} failed to load: ${firstLine(error)}`;
  }
}

const describeAdapter = (adapter: GpuAdapterInfo) =>
  `${adapter.vendor || 'unknown vendor'} ${adapter.architecture || ''} (${adapter.description || adapter.device})${adapter.software ? ', a software adapter' : ''}`.replace(/\s+/g, ' ');

/**
 * Looks for an adapter in a child process first. Without any Vulkan driver, Dawn's adapter search
 * sometimes aborts the whole process (a native exception thrown from its callback: about 1 run in 8
 * here, with VK_ICD_FILENAMES pointing nowhere) instead of answering "none"; a child that dies says
 * the same as "none", and this process lives to say why. The problem, or undefined when there is an adapter.
 */
function adapterProbeProblem(): string | undefined {
  let dawnPath: string;
  try {
    dawnPath = require.resolve('webgpu');
  } catch {
    return undefined; // Not installed: the in-process search says so.
  }
  const script = `const d = require(${JSON.stringify(dawnPath)}); Object.assign(globalThis, d.globals); d.create([]).requestAdapter({ powerPreference: 'high-performance' }).then((a) => { process.stdout.write(a ? 'adapter' : 'none'); process.exit(0); }, () => process.exit(2));`;
  const probe = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' } });
  if (probe.status === 0 && probe.stdout === 'adapter') return undefined;
  if (probe.status === 0) return 'no WebGPU adapter: no Vulkan, Metal or D3D12 driver that Dawn accepts';
  return `no WebGPU adapter: Dawn ${probe.signal ? `died (${probe.signal})` : `exited ${probe.status}`} while looking for one (no usable Vulkan, Metal or D3D12 driver)`;
}

/** Starts tfjs on WebGPU; `allowSoftware` only when the user forced it. The problem, when it cannot. */
async function tryWebGpu(allowSoftware: boolean): Promise<{ adapter?: GpuAdapterInfo; problem?: string }> {
  const probeProblem = adapterProbeProblem();
  if (probeProblem) return { problem: probeProblem };
  const found = await findGpuAdapter();
  if (!found.adapter) return found;
  if (found.adapter.software && !allowSoftware) return { adapter: found.adapter, problem: `the only WebGPU adapter is ${describeAdapter(found.adapter)}, slower than wasm (force it with EDGE_LABEL_DETECTION_BACKEND=webgpu)` };
  const problem = await startWebGpuBackend(found.gpu, describeAdapter(found.adapter));
  return problem ? { adapter: found.adapter, problem } : { adapter: found.adapter };
}

async function useWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
}

/** A forced backend that cannot start: the error names the backend and the reason. */
const cannotStart = (backend: string, reason: string) => invalidParameter(`backend ${backend}: cannot start: ${reason}`);

export async function selectBackend(forced: string | undefined = environmentSettings().backend): Promise<BackendChoice> {
  const how = 'forced by EDGE_LABEL_DETECTION_BACKEND or --backend';
  if (forced !== undefined) {
    switch (toBackendName(forced, 'backend')) {
      case 'wasm':
        await useWasm();
        return { backend: 'wasm', provider: '@tensorflow/tfjs-backend-wasm', reason: how };
      case 'cpu':
        await tf.setBackend('cpu');
        return { backend: 'cpu', provider: '@tensorflow/tfjs', reason: how };
      case 'webgpu': {
        const { adapter, problem } = await tryWebGpu(true);
        if (problem || !adapter) throw cannotStart('webgpu', `${problem ?? 'no adapter'} ("edge-label-detection doctor" says what is missing)`);
        return { backend: 'webgpu', provider: '@tensorflow/tfjs-backend-webgpu', reason: `${how}; adapter ${describeAdapter(adapter)}`, adapter };
      }
      case 'tensorflow': {
        const gpuProblem = await tryNativeBackend('@tensorflow/tfjs-node-gpu');
        if (!gpuProblem) return { backend: 'tensorflow', provider: '@tensorflow/tfjs-node-gpu', reason: how };
        const cpuProblem = await tryNativeBackend('@tensorflow/tfjs-node');
        if (!cpuProblem) return { backend: 'tensorflow', provider: '@tensorflow/tfjs-node', reason: `${how}; ${gpuProblem}` };
        throw cannotStart('tensorflow', `${gpuProblem}; ${cpuProblem}`);
      }
    }
  }
  const gpuProblem = await tryNativeBackend('@tensorflow/tfjs-node-gpu');
  if (!gpuProblem) return { backend: 'tensorflow', provider: '@tensorflow/tfjs-node-gpu', reason: 'CUDA build of TensorFlow installed' };
  const webgpu = gpuDeviceVisible() ? await tryWebGpu(false) : { problem: 'WebGPU not tried: no GPU device is visible (no /dev/dri render node, no /dev/nvidia*)', adapter: undefined };
  if (!webgpu.problem && webgpu.adapter) return { backend: 'webgpu', provider: '@tensorflow/tfjs-backend-webgpu', reason: `${gpuProblem}; WebGPU on ${describeAdapter(webgpu.adapter)}`, adapter: webgpu.adapter };
  const cpuProblem = await tryNativeBackend('@tensorflow/tfjs-node');
  if (!cpuProblem) return { backend: 'tensorflow', provider: '@tensorflow/tfjs-node', reason: `${gpuProblem}; ${webgpu.problem}; using native CPU TensorFlow` };
  await useWasm();
  return { backend: 'wasm', provider: '@tensorflow/tfjs-backend-wasm', reason: `${gpuProblem}; ${webgpu.problem}; ${cpuProblem}` };
}
