/**
 * The two stage rates every end-to-end figure is judged against, shared by the benchmarks: ffmpeg
 * decoding and sampling on its own (no model), and the model on its own (one decoded frame again
 * and again through a pool, nothing else in the way).
 */
import { sampleFrames } from '../src/frames/index.js';
import type { DetectorPool } from '../src/detect/index.js';
import type { Box, SampledFrame } from '../src/types.js';

export const secondsSince = (startedAt: bigint) => Number(process.hrtime.bigint() - startedAt) / 1e9;

/** ffmpeg -> the pipeline's frame reader at `fps`, resized to the analysis size; no model. */
export async function decodeOnly(input: string, fps: number, width: number, height: number): Promise<{ frames: number; seconds: number }> {
  const startedAt = process.hrtime.bigint();
  let frames = 0;
  for await (const _frame of sampleFrames(input, { fps, width, height })) frames += 1;
  return { frames, seconds: secondsSince(startedAt) };
}

export async function firstFrame(input: string, fps: number, width: number, height: number): Promise<SampledFrame> {
  for await (const frame of sampleFrames(input, { fps, width, height })) return frame;
  throw new Error(`${input}: no frame`);
}

/**
 * Frames per second (each `views.length` inferences) of the same frame again and again through a
 * pool, two frames queued per worker so no worker ever waits for the main thread: the model
 * stage's own rate with that many workers. With several workers it includes what they cost each
 * other (shared cores, memory bandwidth), which is what limits the whole pipeline.
 */
export async function modelOnly(pool: DetectorPool, frame: SampledFrame, views: readonly Box[], iterations: number): Promise<number> {
  await Promise.all(Array.from({ length: pool.workers }, () => pool.detect({ ...frame, pixels: frame.pixels.slice() }, views))); // warm-up
  const startedAt = process.hrtime.bigint();
  let started = 0;
  const loop = async (): Promise<void> => {
    let pixels: Uint8Array = frame.pixels.slice();
    while (started < iterations) {
      started += 1;
      pixels = (await pool.detect({ ...frame, pixels }, views)).pixels ?? frame.pixels.slice();
    }
  };
  await Promise.all(Array.from({ length: 2 * pool.workers }, loop));
  return iterations / secondsSince(startedAt);
}
