/**
 * What the hand detector costs, as model time per video (after / before, one run), on the clips the
 * labels issue names: bottle-detection.mp4 and car-detection.mp4. Wall time on a shared 2-core machine
 * moves as much as the effect (bottle: 1.03x to 1.32x between rounds of one comparison), so the ratio is
 * built from what does not move:
 *   1. the real pipeline (detectVideo, default settings, a worker pool) runs once, and the looks it
 *      asks the pool for are noted by frame: full looks (object detector, then people: poses, faces, hands)
 *      and hands-only looks (the hand detector alone, between anchors that disagree on hands);
 *   2. on this thread, every sampled frame of the clip goes through each model in turn (alternated
 *      frame by frame, so that the machine's drift falls on all of them alike): the object detector
 *      on the tiled views, the people looks on its detections (lookAtPeople: hand detector, and
 *      poses and faces where a person is), and the hand detector alone, each timed per frame;
 *   3. the times are summed over the frames the pipeline looked at:
 *        before (the pipeline before the hand detector): full looks x (objects + poses and faces)
 *        after (now): full looks x (objects + poses and faces + hands) + hands-only looks x hands
 *        objects only (no people looks at all, for comparison): full looks x objects
 *      where poses and faces are what the people looks take beyond the hand detector on a frame
 *      with a person to look at (none on a frame without).
 *
 *   node --import tsx bench/model-cost.ts     # prints the table; JSON into bench/results/
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/detect/backend.js';
import { findHands } from '../src/detect/hands.js';
import { createDetectorPool, type DetectorPool } from '../src/detect/index.js';
import type { ModelManifest } from '../src/detect/manifest.js';
import { loadDetector } from '../src/detect/models.js';
import { loadPeopleModels, lookAtPeople } from '../src/detect/people.js';
import { analysisFrameSize, analysisViews, DEFAULT_TILING } from '../src/detect/views.js';
import { DEFAULT_SAMPLE_FPS, probeVideo, sampleFrames } from '../src/frames/index.js';
import { detectVideo } from '../src/pipeline.js';

const CLIPS = ['bottle-detection.mp4', 'car-detection.mp4'];
const mediaDirectory = new URL('../media/', import.meta.url);

interface Looks {
  sampledFrames: number;
  /** Indexes of the sampled frames given a full look, and a hands-only look. */
  fullLooks: Set<number>;
  handsOnlyLooks: Set<number>;
  wallMs: number;
}

/** The pool as the pipeline sees it, with the frame of each look it is asked for noted on the way through. */
function notingLooks(pool: DetectorPool, looks: Pick<Looks, 'fullLooks' | 'handsOnlyLooks'>): DetectorPool {
  return {
    manifest: pool.manifest,
    workers: pool.workers,
    backend: pool.backend,
    detect: (frame, views, people) => {
      looks.fullLooks.add(frame.index);
      return pool.detect(frame, views, people);
    },
    lookAgain: (frame, view) => pool.lookAgain(frame, view),
    lookForHands: (frame) => {
      looks.handsOnlyLooks.add(frame.index);
      return pool.lookForHands(frame);
    },
    destroy: () => pool.destroy(),
  };
}

async function looksOfThePipeline(pool: DetectorPool, video: string): Promise<Looks> {
  const looks = { fullLooks: new Set<number>(), handsOnlyLooks: new Set<number>() };
  const started = performance.now();
  const detected = await detectVideo(video, { detector: notingLooks(pool, looks) });
  return { sampledFrames: detected.frames.length, ...looks, wallMs: performance.now() - started };
}

interface FrameModelTimes {
  objectsMs: number;
  /** Poses and faces of the people looked at (0 on a frame with no person to look at). */
  posesMs: number;
  handsMs: number;
}

/** Each model's ms on each sampled frame (by index), on this thread, the models alternated frame by frame. */
async function timeModels(video: string, manifest: ModelManifest): Promise<Map<number, FrameModelTimes>> {
  const detector = await loadDetector(manifest);
  const people = await loadPeopleModels();
  const { metadata, displayFilters } = await probeVideo(video);
  const { width, height } = analysisFrameSize(metadata.FrameWidth, metadata.FrameHeight, manifest.input, DEFAULT_TILING);
  const views = analysisViews(width, height, DEFAULT_TILING);
  const times = new Map<number, FrameModelTimes>();
  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const started = performance.now();
    const result = await work();
    return [result, performance.now() - started];
  };
  for await (const frame of sampleFrames(video, { fps: DEFAULT_SAMPLE_FPS, width, height, displayFilters })) {
    const pixels = Uint8Array.from(frame.pixels);
    if (times.size === 0) {
      // The first runs of a graph build its kernels: not counted.
      await lookAtPeople(people, pixels, width, height, await detector.detect(Uint8Array.from(pixels), width, height, views));
    }
    const [detections, objectsMs] = await timed(() => detector.detect(Uint8Array.from(pixels), width, height, views));
    const [{ poses }, peopleMs] = await timed(() => lookAtPeople(people, pixels, width, height, detections));
    const [, handsMs] = await timed(async () => {
      const image = tf.tensor4d(Int32Array.from(pixels), [1, height, width, 3], 'int32');
      try {
        return await findHands(people.hands, image);
      } finally {
        image.dispose();
      }
    });
    // With no person to look at, the people looks are the hand detector alone (lookAtPeople returns
    // after it); with one, poses and faces are what the people looks took beyond the hand detector.
    times.set(frame.index, { objectsMs, posesMs: poses.length === 0 ? 0 : Math.max(0, peopleMs - handsMs), handsMs });
  }
  return times;
}

const sumOver = (frames: Iterable<number>, times: Map<number, FrameModelTimes>, cost: (frame: FrameModelTimes) => number): number => {
  let total = 0;
  for (const index of frames) {
    const frame = times.get(index);
    if (!frame) throw new Error(`frame ${index} was looked at by the pipeline but not sampled here`);
    total += cost(frame);
  }
  return total;
};

async function main(): Promise<void> {
  const backend = await selectBackend('wasm');
  const pool = await createDetectorPool({ workers: availableParallelism(), backend: 'wasm' });
  const machine = `${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} cores`;
  console.log(`machine: ${machine}; backend ${backend.backend} (pool and this thread); model ${pool.manifest.labelModelVersion}; ${DEFAULT_TILING}, ${DEFAULT_SAMPLE_FPS} frames/s, default path`);
  const rows: Record<string, unknown> = {};
  try {
    for (const clip of CLIPS) {
      const video = fileURLToPath(new URL(clip, mediaDirectory));
      const looks = await looksOfThePipeline(pool, video);
      const times = await timeModels(video, pool.manifest);
      const before = sumOver(looks.fullLooks, times, (frame) => frame.objectsMs + frame.posesMs);
      const after = sumOver(looks.fullLooks, times, (frame) => frame.objectsMs + frame.posesMs + frame.handsMs) + sumOver(looks.handsOnlyLooks, times, (frame) => frame.handsMs);
      const objectsOnly = sumOver(looks.fullLooks, times, (frame) => frame.objectsMs);
      const mean = (cost: (frame: FrameModelTimes) => number) => sumOver(times.keys(), times, cost) / times.size;
      const row = {
        sampledFrames: looks.sampledFrames,
        fullLooks: looks.fullLooks.size,
        handsOnlyLooks: looks.handsOnlyLooks.size,
        pipelineWallMs: Math.round(looks.wallMs),
        meanMsPerSampledFrame: { objects: mean((frame) => frame.objectsMs), posesAndFaces: mean((frame) => frame.posesMs), hands: mean((frame) => frame.handsMs) },
        modelMs: { before: Math.round(before), after: Math.round(after), objectsOnly: Math.round(objectsOnly) },
        afterOverBefore: after / before,
        afterOverObjectsOnly: after / objectsOnly,
      };
      rows[clip] = row;
      console.log(`\n${clip}: ${row.sampledFrames} sampled frames, ${row.fullLooks} full looks, ${row.handsOnlyLooks} hands-only looks (pipeline wall ${(looks.wallMs / 1000).toFixed(1)} s, one run)`);
      console.log(`  mean per sampled frame, this thread: objects ${row.meanMsPerSampledFrame.objects.toFixed(0)} ms, poses and faces ${row.meanMsPerSampledFrame.posesAndFaces.toFixed(0)} ms, hand detector ${row.meanMsPerSampledFrame.hands.toFixed(0)} ms`);
      console.log(`  model time on the frames looked at: before the hand detector ${(before / 1000).toFixed(1)} s, now ${(after / 1000).toFixed(1)} s: ${(after / before).toFixed(2)}x (objects only ${(objectsOnly / 1000).toFixed(1)} s: now ${(after / objectsOnly).toFixed(2)}x)`);
    }
  } finally {
    await pool.destroy();
  }
  const resultsDirectory = new URL('./results/', import.meta.url);
  mkdirSync(resultsDirectory, { recursive: true });
  const out = new URL(`model-cost-${new Date().toISOString().slice(0, 10)}.json`, resultsDirectory);
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine, backend: backend.backend, model: pool.manifest.labelModelVersion, clips: rows }, null, 2));
  console.log(`\nwritten ${fileURLToPath(out)}`);
}

await main();
