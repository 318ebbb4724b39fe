/**
 * A piscina worker: it knows nothing about jobs or HTTP, only "frame in, detections out". The model
 * is loaded once per worker thread, on the first task.
 */
import { workerData } from 'node:worker_threads';
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
  | { ok: true; backend: BackendChoice; detections: Detection[] }
  | { ok: false; errorName: string; message: string };

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
    return { ok: true, backend, detections };
  } catch (error) {
    const { name, message } = error as Error;
    return { ok: false, errorName: name, message };
  }
}
