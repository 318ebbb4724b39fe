/** A pool of worker threads, one model each; frames are transferred to them, not copied. */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { internalServerError, invalidParameter, isRekognitionError, rekognitionErrorFromName } from '../errors.js';
import { environmentSettings } from '../config.js';
import { FrameBufferPool } from '../frames/buffers.js';
import type { Box, Detection, PersonPose, SampledFrame, SeenHand } from '../types.js';
import { toBackendName, type BackendChoice } from './backend.js';
import { DEFAULT_MODEL, loadModelManifest, type ModelManifest } from './manifest.js';
import type { DetectorReply, DetectorTask, DetectorWorkerData, InjectedFault } from './worker.js';

export interface DetectorPoolOptions {
  model?: string;
  /** Directory or URL of the model's weights, for models that do not ship them. */
  modelPath?: string;
  /** Worker threads; defaults to the number of CPU cores, since each runs one inference at a time. */
  workers?: number;
  /** Force a backend (`tensorflow`, `webgpu`, `wasm`, `cpu`); default: EDGE_LABEL_DETECTION_BACKEND, else the fastest that starts. */
  backend?: string;
}

export interface DetectorPool {
  readonly manifest: ModelManifest;
  readonly workers: number;
  readonly backend: BackendChoice;
  /**
   * Detects objects in one frame. The frame's pixels are transferred to a worker (the caller's
   * view becomes empty) and come back, with the detections, as `pixels` for reuse. A frame whose
   * worker thread dies is tried once more on the thread that replaces it. `views` (default: the
   * whole frame) are the parts of the frame the model looks at, see views.ts. `people`: the people
   * found are looked at too (poses, faces, heads, hands; people.ts), and hands anywhere (hands.ts).
   */
  detect(frame: SampledFrame, views?: readonly Box[], people?: boolean): Promise<{ detections: Detection[]; poses?: PersonPose[]; hands?: SeenHand[]; pixels: Uint8Array | undefined }>;
  /** A second look (second-look.ts) at one crop `view` of the frame, at the input the model's manifest gives crops; pixels handled as by `detect`. */
  lookAgain(frame: SampledFrame, view: Box): Promise<{ detections: Detection[]; pixels: Uint8Array | undefined }>;
  /** Runs the hand detector alone on one frame (no objects, no poses), with the pixels handled as by `detect`. */
  lookForHands(frame: SampledFrame): Promise<{ hands: SeenHand[]; pixels: Uint8Array | undefined }>;
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

/** Piscina rejects a task this way when its worker thread exits or throws outside the task. */
class WorkerThreadFailed extends Error {
  override readonly name = 'WorkerThreadFailed';
}

/** Errors about the request keep their name; anything else becomes an InternalServerError naming the frame. */
function frameFailure(error: unknown, timestampMs: number): Error {
  if (isRekognitionError(error) && error.name !== 'InternalServerError') return error;
  const reason = error instanceof WorkerThreadFailed ? `its worker thread failed twice (${error.message})` : (error as Error).message;
  return internalServerError(`detector: the frame at ${timestampMs} ms could not be analysed: ${reason}`);
}

/** The environment variable that injects faults, for reliability tests (see `InjectedFault`). */
export const FAULT_VARIABLE = 'EDGE_LABEL_DETECTION_FAULT';

/** The fault of a server, not of a detector: it exits between storing a job and enqueueing it (queue mode). */
export const EXIT_BEFORE_DISPATCH = 'exit-before-dispatch';

/**
 * `crash-at:N` / `throw-at:N`: the pool's N-th detection exits its worker thread / throws;
 * `crash-from:N` / `throw-from:N`: so does every detection from the N-th on. (`exit-before-dispatch`
 * is a server's fault: no detector fault.)
 */
export function parseInjectedFault(value: string | undefined): InjectedFault | undefined {
  if (!value || value === EXIT_BEFORE_DISPATCH) return undefined;
  const match = /^(crash|throw)-(at|from):([1-9]\d*)$/.exec(value);
  if (!match) throw invalidParameter(`${FAULT_VARIABLE}: expected crash-at:N, crash-from:N, throw-at:N, throw-from:N or ${EXIT_BEFORE_DISPATCH}, got "${value}"`);
  return { kind: match[1] as InjectedFault['kind'], detection: Number(match[3]), repeat: match[2] === 'from', counter: new Int32Array(new SharedArrayBuffer(4)) };
}

export async function createDetectorPool(options: DetectorPoolOptions = {}): Promise<DetectorPool> {
  const manifest = loadModelManifest(options.model ?? DEFAULT_MODEL);
  const workers = options.workers ?? defaultWorkerCount();
  if (!Number.isInteger(workers) || workers < 1) throw invalidParameter(`workers: must be a whole number >= 1, got ${workers}`);
  const fault = parseInjectedFault(environmentSettings().fault);
  const forcedBackend = options.backend ?? environmentSettings().backend;
  if (forcedBackend !== undefined) toBackendName(forcedBackend, options.backend === undefined ? 'EDGE_LABEL_DETECTION_BACKEND' : 'backend');
  const workerData: DetectorWorkerData = {
    model: manifest.name,
    ...(forcedBackend ? { backend: forcedBackend } : {}),
    ...(options.modelPath ? { modelPath: options.modelPath } : {}),
    ...(fault ? { fault } : {}),
  };
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
    let reply: DetectorReply;
    try {
      reply = await piscina.run(task, transferList ? { transferList } : {});
    } catch (error) {
      throw new WorkerThreadFailed((error as Error).message, { cause: error });
    }
    return unwrap(reply);
  };
  /** What a worker is asked to look at in a frame: the task's own fields, one definition. */
  type Look = Pick<Extract<DetectorTask, { kind: 'detect' }>, 'views' | 'people' | 'handsOnly' | 'secondLook'>;
  const detectOnce = async (pixels: Uint8Array, width: number, height: number, look: Look) => {
    const reply = await runTask({ kind: 'detect', pixels, width, height, ...look }, [pixels.buffer as ArrayBuffer]);
    return { detections: reply.detections, ...(reply.poses ? { poses: reply.poses } : {}), ...(reply.hands ? { hands: reply.hands } : {}), pixels: reply.pixels };
  };
  // A dead worker takes the transferred frame with it, so a copy stays here for the retry.
  // One free list per frame size (frames of tiled videos are larger than the model's input).
  const spareLists = new Map<number, FrameBufferPool>();
  const sparesFor = (frameBytes: number): FrameBufferPool => {
    const existing = spareLists.get(frameBytes);
    if (existing) return existing;
    if (spareLists.size >= 4) spareLists.clear();
    const created = new FrameBufferPool(frameBytes);
    spareLists.set(frameBytes, created);
    return created;
  };
  let backend: BackendChoice;
  try {
    // Load the model in every worker now, so a broken model fails here and not mid-video.
    const replies = await Promise.all(Array.from({ length: workers }, () => runTask({ kind: 'describe' })));
    backend = (replies[0] as Extract<DetectorReply, { ok: true }>).backend;
  } catch (error) {
    await piscina.destroy();
    throw isRekognitionError(error) ? error : internalServerError(`detector worker failed: ${(error as Error).message}`);
  }
  const lookAt = async ({ pixels, width, height, timestampMs }: SampledFrame, look: Look) => {
    const spares = sparesFor(pixels.byteLength);
    const spare = spares.take();
    spare.set(pixels);
    try {
      return await detectOnce(pixels, width, height, look).catch((error: unknown) => {
        if (error instanceof WorkerThreadFailed) return detectOnce(spare, width, height, look);
        throw error;
      });
    } catch (error) {
      throw frameFailure(error, timestampMs);
    } finally {
      // Unless the retry transferred it (which leaves it empty), the spare serves the next frame.
      spares.give(spare);
    }
  };
  return {
    manifest,
    workers,
    backend,
    detect: (frame, views, people = false) => lookAt(frame, { ...(views ? { views } : {}), ...(people ? { people } : {}) }),
    async lookAgain(frame, view) {
      const { detections, pixels } = await lookAt(frame, { views: [view], secondLook: true });
      return { detections, pixels };
    },
    async lookForHands(frame) {
      const { hands, pixels } = await lookAt(frame, { handsOnly: true });
      return { hands: hands ?? [], pixels };
    },
    destroy: () => piscina.destroy(),
  };
}
