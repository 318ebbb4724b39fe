/** A pool of worker threads, one model each; frames are transferred to them, not copied. */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { internalServerError, invalidParameter, rekognitionErrorFromName } from '../errors.js';
import type { Detection, SampledFrame } from '../types.js';
import type { BackendChoice } from './backend.js';
import { DEFAULT_MODEL, loadModelManifest, type ModelManifest } from './manifest.js';
import type { DetectorReply, DetectorTask, DetectorWorkerData } from './worker.js';

export interface DetectorPoolOptions {
  model?: string;
  /** Directory or URL of the model's weights, for models that do not ship them. */
  modelPath?: string;
  /** Worker threads; defaults to the number of CPU cores, since each runs one inference at a time. */
  workers?: number;
}

export interface DetectorPool {
  readonly manifest: ModelManifest;
  readonly workers: number;
  readonly backend: BackendChoice;
  /**
   * Detects objects in one frame. The frame's pixels are transferred to a worker (the caller's
   * view becomes empty) and come back, with the detections, as `pixels` for reuse.
   */
  detect(frame: SampledFrame): Promise<{ detections: Detection[]; pixels: Uint8Array | undefined }>;
  destroy(): Promise<void>;
}

export const defaultWorkerCount = (): number => availableParallelism();

/** Running from TypeScript sources (tests), the worker needs a loader; the built package does not. */
function workerEntry(): { filename: string; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith('.ts');
  return {
    filename: new URL(fromSources ? './worker.ts' : './worker.js', import.meta.url).href,
    execArgv: fromSources ? ['--import', 'tsx'] : [],
  };
}

function unwrap(reply: DetectorReply): Extract<DetectorReply, { ok: true }> {
  if (!reply.ok) throw rekognitionErrorFromName(reply.errorName, reply.message);
  return reply;
}

export async function createDetectorPool(options: DetectorPoolOptions = {}): Promise<DetectorPool> {
  const manifest = loadModelManifest(options.model ?? DEFAULT_MODEL);
  const workers = options.workers ?? defaultWorkerCount();
  if (!Number.isInteger(workers) || workers < 1) throw invalidParameter(`workers: must be a whole number >= 1, got ${workers}`);
  const workerData: DetectorWorkerData = { model: manifest.name, ...(options.modelPath ? { modelPath: options.modelPath } : {}) };
  const piscina = new Piscina<DetectorTask, DetectorReply>({
    ...workerEntry(),
    workerData,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: Number.POSITIVE_INFINITY,
    // One task per worker at a time: inference is CPU-bound, queueing happens in the pipeline.
    concurrentTasksPerWorker: 1,
  });
  const runTask = async (task: DetectorTask, transferList?: ArrayBuffer[]) => {
    try {
      return unwrap(await piscina.run(task, transferList ? { transferList } : {}));
    } catch (error) {
      if ((error as Error).name?.endsWith('Exception') || (error as Error).name === 'InternalServerError') throw error;
      throw internalServerError(`detector worker failed: ${(error as Error).message}`);
    }
  };
  let backend: BackendChoice;
  try {
    // Load the model in every worker now, so a broken model fails here and not mid-video.
    const replies = await Promise.all(Array.from({ length: workers }, () => runTask({ kind: 'describe' })));
    backend = (replies[0] as Extract<DetectorReply, { ok: true }>).backend;
  } catch (error) {
    await piscina.destroy();
    throw error;
  }
  return {
    manifest,
    workers,
    backend,
    async detect(frame) {
      const { pixels } = frame;
      const reply = await runTask({ kind: 'detect', pixels, width: frame.width, height: frame.height }, [pixels.buffer as ArrayBuffer]);
      return { detections: reply.detections, pixels: reply.pixels };
    },
    destroy: () => piscina.destroy(),
  };
}
