/**
 * A piscina worker: it knows nothing about jobs or HTTP, only "frame in, detections out". The model
 * is loaded once per worker thread, on the first task.
 */
import { workerData } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Box, Detection, PersonPose, SeenHand } from '../types.js';
import { selectBackend, type BackendChoice } from './backend.js';
import { loadModelManifest } from './manifest.js';
import { loadDetector, type LoadedDetector } from './models.js';
import { loadPeopleModels, lookAtPeople, type PeopleModels } from './people.js';
import { analysisFrameSize, analysisViews } from './views.js';

/**
 * A failure a reliability test injects: the worker thread exits, or the detection throws, on the
 * pool's `detection`-th detection (counted across all its threads), and with `repeat` on every one after.
 */
export interface InjectedFault {
  kind: 'crash' | 'throw';
  detection: number;
  repeat: boolean;
  /** The pool-wide count of detections, shared by every thread (one Int32 in a SharedArrayBuffer). */
  counter: Int32Array;
}

export interface DetectorWorkerData {
  model: string;
  modelPath?: string;
  /** A backend the caller forced (else the environment's, else the automatic choice). */
  backend?: string;
  fault?: InjectedFault;
}

export type DetectorTask =
  | { kind: 'describe' }
  /** `people`: also look at the people found (poses, faces, heads, hands; detect/people.ts) and for hands anywhere (detect/hands.ts). */
  /** `handsOnly`: the hand detector alone (no objects, no poses). */
  /** `secondLook`: the one view is a second look's crop (second-look.ts), looked at with the input the manifest gives crops (models.ts viewInputSize). */
  | { kind: 'detect'; pixels: Uint8Array; width: number; height: number; views?: readonly Box[]; people?: boolean; handsOnly?: boolean; secondLook?: boolean };

export type DetectorReply =
  | { ok: true; backend: BackendChoice; detections: Detection[]; poses?: PersonPose[]; hands?: SeenHand[]; pixels?: Uint8Array }
  | { ok: false; errorName: string; message: string; pixels?: Uint8Array };

/** Sends the reply with the frame's pixels transferred back, so the main thread can reuse the buffer. */
function withPixelsReturned(reply: DetectorReply, task: DetectorTask): DetectorReply {
  if (task.kind !== 'detect') return reply;
  const pixels = task.pixels;
  const transferable = { [Piscina.transferableSymbol]: pixels.buffer, [Piscina.valueSymbol]: { ...reply, pixels } };
  return Piscina.move(transferable as unknown as Parameters<typeof Piscina.move>[0]) as unknown as DetectorReply;
}

let ready: Promise<{ backend: BackendChoice; detector: LoadedDetector }> | undefined;

function loadOnce(): Promise<{ backend: BackendChoice; detector: LoadedDetector }> {
  const { model, modelPath, backend: backendName } = workerData as DetectorWorkerData;
  ready ??= (async () => {
    const chosen = await selectBackend(backendName);
    const detector = await loadDetector(loadModelManifest(model), modelPath);
    if (chosen.backend !== 'webgpu') return { backend: chosen, detector };
    // Shaders are compiled on the first run: done here, once per thread, and reported. With views
    // batched, a 16:9 frame's three views are run too (a batch of another size compiles again).
    const { width, height } = detector.manifest.input;
    const started = performance.now();
    await detector.detect(new Uint8Array(width * height * 3), width, height);
    if (detector.batchesViews) {
      const wide = analysisFrameSize(16, 9, detector.manifest.input, 'tiles');
      await detector.detect(new Uint8Array(wide.width * wide.height * 3), wide.width, wide.height, analysisViews(wide.width, wide.height, 'tiles'));
    }
    return { backend: { ...chosen, firstRunMs: Math.round(performance.now() - started), viewsBatched: detector.batchesViews }, detector };
  })();
  return ready;
}

let peopleModels: Promise<PeopleModels> | undefined;

function injectFault(fault: InjectedFault | undefined): void {
  if (!fault) return;
  const detection = Atomics.add(fault.counter, 0, 1) + 1;
  if (detection < fault.detection || (detection > fault.detection && !fault.repeat)) return;
  if (fault.kind === 'crash') process.exit(1);
  throw new Error(`injected fault: detection ${detection} of the pool throws`);
}

export default async function runDetectorTask(task: DetectorTask): Promise<DetectorReply> {
  try {
    const { backend, detector } = await loadOnce();
    if (task.kind === 'detect') injectFault((workerData as DetectorWorkerData).fault);
    if (task.kind !== 'detect') return { ok: true, backend, detections: [] };
    if (task.handsOnly) {
      const { hands } = await lookAtPeople(await (peopleModels ??= loadPeopleModels()), task.pixels, task.width, task.height, []);
      return withPixelsReturned({ ok: true, backend, detections: [], hands }, task);
    }
    const detections = await detector.detect(task.pixels, task.width, task.height, task.views, task.secondLook ?? false);
    if (!task.people) return withPixelsReturned({ ok: true, backend, detections }, task);
    // Loaded on the first frame that asks for people labels, once per thread.
    const { poses, hands } = await lookAtPeople(await (peopleModels ??= loadPeopleModels()), task.pixels, task.width, task.height, detections);
    return withPixelsReturned({ ok: true, backend, detections, poses, hands }, task);
  } catch (error) {
    const { name, message } = error as Error;
    return withPixelsReturned({ ok: false, errorName: name, message }, task);
  }
}
