/**
 * A piscina worker: it knows nothing about jobs or HTTP, only "frame in, detections out". The model
 * is loaded once per worker thread, on the first task.
 */
import { workerData } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Detection } from '../types.js';
import { selectBackend, type BackendChoice } from './backend.js';
import { loadModelManifest } from './manifest.js';
import { loadDetector, type LoadedDetector } from './models.js';

export interface DetectorWorkerData {
  model: string;
  modelPath?: string;
}

export type DetectorTask = { kind: 'describe' } | { kind: 'detect'; pixels: Uint8Array; width: number; height: number };

export type DetectorReply =
  | { ok: true; backend: BackendChoice; detections: Detection[]; pixels?: Uint8Array }
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
  const { model, modelPath } = workerData as DetectorWorkerData;
  ready ??= (async () => {
    const backend = await selectBackend();
    const detector = await loadDetector(loadModelManifest(model), modelPath);
    return { backend, detector };
  })();
  return ready;
}

export default async function runDetectorTask(task: DetectorTask): Promise<DetectorReply> {
  try {
    const { backend, detector } = await loadOnce();
    const detections = task.kind === 'detect' ? await detector.detect(task.pixels, task.width, task.height) : [];
    return withPixelsReturned({ ok: true, backend, detections }, task);
  } catch (error) {
    const { name, message } = error as Error;
    return withPixelsReturned({ ok: false, errorName: name, message }, task);
  }
}
