/**
 * Videos real users have: phone clips whose display matrix turns the stored picture, and clips too
 * short for the tracker's confirmation window. What a person sees in them: three bottles on a table
 * (media/bottle-detection.mp4, first seconds); an empty parking lot (car-detection.mp4 at 10 s).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetectorPool, type DetectorPool } from '../../src/detect/index.js';
import { iou } from '../../src/geometry.js';
import { analyzeVideo } from '../../src/pipeline.js';
import type { Box, VideoAnalysis } from '../../src/types.js';
import { media } from '../media.js';
import { makeFramesClip, makePhoneStyleCopy, type Rotation } from '../reliability/media.js';

const reported = (analysis: VideoAnalysis, minConfidence = 50) =>
  analysis.labels.filter((timeline) => timeline.occurrences.some((occurrence) => occurrence.confidence >= minConfidence)).map((timeline) => timeline.label.name);

const bottleBoxesAt = (analysis: VideoAnalysis, timestampMs: number): Box[] =>
  analysis.labels.find((timeline) => timeline.label.name === 'Bottle')?.occurrences.find((occurrence) => occurrence.timestampMs === timestampMs)?.instances.map((instance) => instance.box) ?? [];

describe('short and phone-rotated videos', () => {
  let directory: string;
  let detector: DetectorPool;
  const analyse = (file: string) => analyzeVideo(file, { detector, tiling: 'off' });

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'eld-short-rotated-'));
    detector = await createDetectorPool({ workers: 2 });
  });
  afterAll(async () => {
    await detector?.destroy();
    await rm(directory, { recursive: true, force: true });
  });

  it('reports the bottles of a one-frame video at Timestamp 0, and of a one-second one', async () => {
    const oneFrame = await analyse(await makeFramesClip(media.bottle, path.join(directory, 'one-frame.mp4'), 1));
    expect(oneFrame.analysedTimestampsMs).toEqual([0]);
    expect(reported(oneFrame)).toEqual(['Bottle']);
    expect(bottleBoxesAt(oneFrame, 0)).toHaveLength(3);
    const oneSecond = await analyse(await makeFramesClip(media.bottle, path.join(directory, 'one-second.mp4'), 30));
    expect(reported(oneSecond)).toEqual(['Bottle']);
    for (const timestampMs of oneSecond.analysedTimestampsMs) expect(bottleBoxesAt(oneSecond, timestampMs)).toHaveLength(3);
  });

  it('reports nothing for a one-frame video of an empty parking lot', async () => {
    const emptyLot = await analyse(await makeFramesClip(media.car, path.join(directory, 'empty-lot.mp4'), 1, 10));
    expect(emptyLot.analysedTimestampsMs).toEqual([0]);
    expect(reported(emptyLot)).toEqual([]);
  });

  it('sees a phone video as it is displayed: same labels and boxes as the upright clip, whatever the turn', async () => {
    const upright = await makeFramesClip(media.bottle, path.join(directory, 'upright.mp4'), 90);
    const reference = await analyse(upright);
    expect(reported(reference)).toEqual(['Bottle']);
    for (const rotation of [90, 180, 270] as Rotation[]) {
      const turned = await analyse(await makePhoneStyleCopy(upright, directory, rotation));
      expect([turned.videoMetadata.FrameWidth, turned.videoMetadata.FrameHeight], `rotate=${rotation}`).toEqual([640, 360]);
      expect(turned.analysedTimestampsMs).toEqual(reference.analysedTimestampsMs);
      expect(reported(turned), `rotate=${rotation}`).toEqual(reported(reference));
      for (const timestampMs of reference.analysedTimestampsMs) {
        const expected = bottleBoxesAt(reference, timestampMs);
        const actual = bottleBoxesAt(turned, timestampMs);
        expect(actual, `rotate=${rotation} at ${timestampMs} ms`).toHaveLength(expected.length);
        for (const box of expected) expect(Math.max(...actual.map((other) => iou(box, other))), `rotate=${rotation} at ${timestampMs} ms`).toBeGreaterThanOrEqual(0.9);
      }
    }
  });
});
