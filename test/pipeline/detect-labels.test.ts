import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectLabels } from '../../src/detect-labels.js';
import { labelDetectionResponse } from '../../src/response/index.js';
import { InvalidParameterException, InvalidS3ObjectException } from '../../src/errors.js';
import { DEFAULT_TILING } from '../../src/detect/views.js';
import { analyzeVideo } from '../../src/pipeline.js';
import type { VideoAnalysis } from '../../src/types.js';
import { media } from '../media.js';

describe('bottle-detection.mp4 end to end (default model, tiling and sampling)', () => {
  let analysis: VideoAnalysis;
  beforeAll(async () => {
    // The suite runs untiled unless told (vitest.config.ts); this is the product's default.
    analysis = await analyzeVideo(media.bottle, { workers: 2, tiling: DEFAULT_TILING });
  });

  it('returns a SUCCEEDED response with the video metadata and the model version', () => {
    const response = labelDetectionResponse(analysis);
    expect(response.JobStatus).toBe('SUCCEEDED');
    expect(response.VideoMetadata).toMatchObject({ FrameWidth: 640, FrameHeight: 360, Codec: 'h264' });
    expect(response.LabelModelVersion).toMatch(/centernet/);
    expect(response.GetRequestMetadata).toEqual({ SortBy: 'TIMESTAMP', AggregateBy: 'TIMESTAMPS' });
  });

  it('sees Bottle at (nearly) every sampled timestamp: 1 to 3 bottles are always on the table', () => {
    const response = labelDetectionResponse(analysis);
    const bottleTimestamps = new Set(response.Labels!.filter((l) => l.Label?.Name === 'Bottle').map((l) => l.Timestamp));
    expect(analysis.analysedTimestampsMs).toHaveLength(80);
    expect(bottleTimestamps.size / analysis.analysedTimestampsMs.length).toBeGreaterThanOrEqual(0.8);
  });

  it('gives Bottle instances with boxes inside the frame, never more than the three bottles there are', () => {
    const bottles = labelDetectionResponse(analysis).Labels!.filter((l) => l.Label?.Name === 'Bottle');
    for (const { Label } of bottles) {
      const instances = Label!.Instances!;
      expect(instances.length).toBeGreaterThanOrEqual(1);
      expect(instances.length).toBeLessThanOrEqual(3);
      for (const { BoundingBox, Confidence } of instances) {
        const { Left, Top, Width, Height } = BoundingBox!;
        for (const value of [Left!, Top!, Left! + Width!, Top! + Height!]) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1 + 1e-9);
        }
        expect(Confidence).toBeGreaterThanOrEqual(50);
      }
    }
  });

  it('aggregated by SEGMENTS, Bottle covers >= 90% of the video with consistent segments and no instances', () => {
    const response = labelDetectionResponse(analysis, { aggregateBy: 'SEGMENTS' });
    const segments = response.Labels!.filter((l) => l.Label?.Name === 'Bottle');
    expect(segments.length).toBeGreaterThanOrEqual(1);
    let covered = 0;
    for (const segment of segments) {
      expect(segment.DurationMillis).toBe(segment.EndTimestampMillis! - segment.StartTimestampMillis!);
      expect(segment.Timestamp).toBe(segment.StartTimestampMillis);
      expect(segment.Label?.Instances).toBeUndefined();
      covered += segment.DurationMillis!;
    }
    expect(covered / analysis.videoMetadata.DurationMillis!).toBeGreaterThanOrEqual(0.9);
  });

  it('applies MinConfidence: at 100 nothing is returned', () => {
    expect(labelDetectionResponse(analysis, { minConfidence: 100 }).Labels!.every((l) => (l.Label?.Confidence ?? 0) >= 100)).toBe(true);
  });

  it('sorts by NAME when asked, grouping each label together', () => {
    const names = labelDetectionResponse(analysis, { sortBy: 'NAME' }).Labels!.map((l) => l.Label!.Name!);
    expect(names).toEqual([...names].sort());
  });
});

describe('bad input gives a clear, typed error naming the file, never a hang', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'eld-bad-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  const expectNamedFailure = async (path: string) => {
    const error = await detectLabels(path, { workers: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidS3ObjectException);
    expect((error as Error).message).toContain(path);
  };

  it('missing file', () => expectNamedFailure(join(directory, 'missing.mp4')));

  it('a text file that is not a video', async () => {
    const path = join(directory, 'notes.mp4');
    await writeFile(path, 'these are not the frames you are looking for\n'.repeat(100));
    await expectNamedFailure(path);
  });

  it('a zero-byte file', async () => {
    const path = join(directory, 'empty.mp4');
    await writeFile(path, '');
    await expectNamedFailure(path);
  });

  it('a truncated MP4 (first half of a real one)', async () => {
    const whole = await readFile(media.bottle);
    const path = join(directory, 'truncated.mp4');
    await writeFile(path, whole.subarray(0, whole.length / 2));
    await expectNamedFailure(path);
  });

  it('an out-of-range MinConfidence, before any video is read', async () => {
    const path = join(directory, 'copy.mp4');
    await copyFile(media.bottle, path);
    await expect(detectLabels(path, { minConfidence: 101 })).rejects.toThrow(InvalidParameterException);
    await expect(detectLabels(path, { minConfidence: 101 })).rejects.toThrow(/MinConfidence/);
  });
});
