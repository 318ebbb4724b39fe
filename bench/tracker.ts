/**
 * How tracking time grows with video length: one object seen in every frame of a long video (a
 * bottle on a table for hours), tracked offline as analyzeVideo does, for N and 4N frames at 2
 * frames/s. Linear work gives a ratio near 4; work per frame that grows with the track's length
 * (a quadratic tracker) gives 16. No model runs: tracking is on the main thread after detection.
 *
 *   node --import tsx bench/tracker.ts
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { trackObjects } from '../src/track/index.js';
import type { FrameDetections, FrameThumbnail } from '../src/types.js';

const SHORT_FRAMES = 5_000;
const LENGTH_FACTOR = 4;
const TARGET_RATIO = 6;

/** A still bottle at per-frame confidence 60 in every frame, with the 64x36 thumbnails the pipeline makes. */
function stillObjectVideo(frameCount: number): FrameDetections[] {
  const thumbnail: FrameThumbnail = { columns: 64, rows: 36, luma: new Uint8Array(64 * 36).fill(120) };
  const box = { left: 0.3, top: 0.3, width: 0.1, height: 0.2 };
  return Array.from({ length: frameCount }, (_, index) => ({
    timestampMs: index * 500,
    detections: [{ className: 'bottle', score: 0.7, confidence: 60, box }],
    thumbnail,
  }));
}

function timeTracking(frameCount: number): number {
  const frames = stillObjectVideo(frameCount);
  const started = performance.now();
  const tracked = trackObjects(frames);
  const elapsed = performance.now() - started;
  if (tracked.some((frame) => frame.objects.length !== 1)) throw new Error(`expected one object in each of ${frameCount} frames`);
  return elapsed;
}

timeTracking(SHORT_FRAMES); // warm-up: JIT and heap growth, so the first timed run is not the slow one
const shortMs = timeTracking(SHORT_FRAMES);
const longMs = timeTracking(SHORT_FRAMES * LENGTH_FACTOR);
const ratio = longMs / shortMs;
const machine = `${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
console.log(`machine: ${machine}`);
console.log('backend: none, model: none (tracking only, main thread)');
console.log(`${SHORT_FRAMES} frames (${(SHORT_FRAMES / 7200).toFixed(1)} h at 2 frames/s): ${shortMs.toFixed(0)} ms`);
console.log(`${SHORT_FRAMES * LENGTH_FACTOR} frames: ${longMs.toFixed(0)} ms (${((1000 * longMs) / (SHORT_FRAMES * LENGTH_FACTOR)).toFixed(1)} µs a frame)`);
console.log(`time ${LENGTH_FACTOR}x frames / 1x: ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}: linear is ${LENGTH_FACTOR}, quadratic ${LENGTH_FACTOR ** 2}) ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}`);
const results = new URL('results/', import.meta.url);
await mkdir(results, { recursive: true });
const file = new URL(`tracker-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.json`, results);
await writeFile(file, `${JSON.stringify({ date: new Date().toISOString(), machine, shortFrames: SHORT_FRAMES, shortMs, longFrames: SHORT_FRAMES * LENGTH_FACTOR, longMs, ratio }, null, 2)}\n`);
console.log(`written: ${file.pathname}`);
