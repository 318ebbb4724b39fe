import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { VideoAnalysis } from '../../src/types.js';

/** A tiny analysis: a Bottle seen at 0 and 500 ms with one instance each, and its parent Beverage. */
export const bottleAnalysis: VideoAnalysis = {
  videoMetadata: { Codec: 'h264', Format: 'QuickTime / MOV', DurationMillis: 1000, FrameRate: 30, FrameWidth: 640, FrameHeight: 360 },
  labelModelVersion: 'test-1',
  sampleIntervalMs: 500,
  analysedTimestampsMs: [0, 500],
  labels: [
    {
      label: { name: 'Beverage', parents: [], aliases: [], categories: ['Food and Beverage'] },
      occurrences: [
        { timestampMs: 0, confidence: 90, instances: [] },
        { timestampMs: 500, confidence: 80, instances: [] },
      ],
    },
    {
      label: { name: 'Bottle', parents: ['Beverage'], aliases: [], categories: ['Food and Beverage'] },
      occurrences: [
        { timestampMs: 0, confidence: 90, instances: [{ box: { left: 0.1, top: 0.1, width: 0.2, height: 0.5 }, confidence: 90 }] },
        { timestampMs: 500, confidence: 80, instances: [{ box: { left: 0.1, top: 0.1, width: 0.2, height: 0.5 }, confidence: 80 }] },
      ],
    },
  ],
};

/** A temporary directory holding a bucket directory with `a.mp4`, `b.mp4` and `c.mp4` (MP4 headers only). */
export async function makeBucket(): Promise<{ root: string; bucketDir: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'jobs-test-'));
  const bucketDir = path.join(root, 'bucket');
  await mkdir(bucketDir);
  const mp4Header = Buffer.from('\0\0\0\x20ftypisom\0\0\x02\0', 'latin1');
  await writeFile(path.join(bucketDir, 'a.mp4'), mp4Header);
  await writeFile(path.join(bucketDir, 'b.mp4'), mp4Header);
  await writeFile(path.join(bucketDir, 'c.mp4'), mp4Header);
  return { root, bucketDir };
}

/** A promise with its resolve/reject exposed, to hold an injected analysis until the test lets it finish. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
