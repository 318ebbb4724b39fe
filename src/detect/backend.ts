/**
 * The TensorFlow.js backend is chosen at run time: CUDA through @tensorflow/tfjs-node-gpu when the
 * user installed it, else native CPU through @tensorflow/tfjs-node, else WebAssembly, which always
 * works offline. EDGE_LABEL_DETECTION_BACKEND=tensorflow|wasm|cpu forces one.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { environmentSettings } from '../config.js';

const require = createRequire(import.meta.url);

export interface BackendChoice {
  /** tfjs backend name: `tensorflow` (tfjs-node or tfjs-node-gpu), `wasm` or `cpu`. */
  backend: string;
  /** The package that provides it, printed so users can see whether their GPU package was used. */
  provider: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node' | '@tensorflow/tfjs-backend-wasm' | '@tensorflow/tfjs';
  /** Why this backend and not a faster one. */
  reason: string;
}

async function tryNativeBackend(packageName: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<string | undefined> {
  try {
    await import(packageName);
    if (await tf.setBackend('tensorflow')) return undefined;
    return `${packageName} loaded but its backend did not initialise`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' ? `${packageName} is not installed` : `${packageName} failed to load: ${(error as Error).message.split('\n')[0]}`;
  }
}

async function useWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
}

export async function selectBackend(forced: string | undefined = environmentSettings().backend): Promise<BackendChoice> {
  if (forced === 'wasm') {
    await useWasm();
    return { backend: 'wasm', provider: '@tensorflow/tfjs-backend-wasm', reason: 'forced by EDGE_LABEL_DETECTION_BACKEND' };
  }
  if (forced === 'cpu') {
    await tf.setBackend('cpu');
    return { backend: 'cpu', provider: '@tensorflow/tfjs', reason: 'forced by EDGE_LABEL_DETECTION_BACKEND' };
  }
  const gpuProblem = await tryNativeBackend('@tensorflow/tfjs-node-gpu');
  if (!gpuProblem) return { backend: 'tensorflow', provider: '@tensorflow/tfjs-node-gpu', reason: 'CUDA build of TensorFlow installed' };
  const cpuProblem = await tryNativeBackend('@tensorflow/tfjs-node');
  if (!cpuProblem) return { backend: 'tensorflow', provider: '@tensorflow/tfjs-node', reason: `${gpuProblem}; using native CPU TensorFlow` };
  await useWasm();
  return { backend: 'wasm', provider: '@tensorflow/tfjs-backend-wasm', reason: `${gpuProblem}; ${cpuProblem}` };
}
