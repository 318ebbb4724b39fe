/**
 * Work avoidance on a clip whose content a person can tell at every moment: a still picture of the
 * bottles (3 s), a black screen (3 s), the same still again (3 s). Whatever frames are skipped,
 * Bottle must be reported at exactly the timestamps a full analysis reports it, with fewer inferences.
 */
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetectorPool, type DetectorPool } from '../../src/detect/index.js';
import { InvalidParameterException } from '../../src/errors.js';
import { resolveBinary } from '../../src/frames/binaries.js';
import { analyzeVideo, type AnalyzeOptions } from '../../src/pipeline.js';
import { framesAgree } from '../../src/track/index.js';
import { DEFAULT_TRACKER_OPTIONS } from '../../src/track/index.js';
import type { Box, Detection, VideoAnalysis } from '../../src/types.js';
import { media } from '../media.js';

const ffmpeg = (args: string[]) => execa(resolveBinary('ffmpeg').path, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args]);

/** Timestamps (ms) at which Bottle is reported at confidence 50 or more. */
const bottleTimestamps = (analysis: VideoAnalysis): number[] =>
  (analysis.labels.find((label) => label.label.name === 'Bottle')?.occurrences ?? [])
    .filter((occurrence) => occurrence.confidence >= 50)
    .map((occurrence) => occurrence.timestampMs);

describe('framesAgree (when adaptive sampling may skip the frames between two anchors)', () => {
  const tracker = { minIou: DEFAULT_TRACKER_OPTIONS.minIou, matchBuffer: DEFAULT_TRACKER_OPTIONS.matchBuffer };
  const at = (className: string, confidence: number, left: number): Detection => {
    const box: Box = { left, top: 0.4, width: 0.1, height: 0.2 };
    return { className, confidence, score: confidence / 100, box };
  };

  it('agrees when the same objects stand in the same places, in any order', () => {
    expect(framesAgree([at('bottle', 90, 0.1), at('bottle', 80, 0.5)], [at('bottle', 85, 0.51), at('bottle', 95, 0.1)], 30, tracker)).toBe(true);
  });

  it('disagrees when an object appeared, left, changed class or moved beyond the overlap', () => {
    expect(framesAgree([at('bottle', 90, 0.1)], [at('bottle', 90, 0.1), at('bottle', 90, 0.5)], 30, tracker)).toBe(false);
    expect(framesAgree([at('bottle', 90, 0.1), at('car', 60, 0.5)], [at('bottle', 90, 0.1)], 30, tracker)).toBe(false);
    expect(framesAgree([at('car', 60, 0.1)], [at('truck', 60, 0.1)], 30, tracker)).toBe(false);
    expect(framesAgree([at('car', 60, 0.1)], [at('car', 60, 0.3)], 30, tracker)).toBe(false);
  });

  it('pairs boxes as the tracker matches them (buffered IoU), not by plain IoU', () => {
    // 0.1 wide, 0.07 apart: plain IoU 0.03 / 0.17 = 0.18 < 0.2; buffered by 0.3, 0.09 / 0.23 = 0.39.
    expect(framesAgree([at('car', 60, 0.1)], [at('car', 60, 0.17)], 30, tracker)).toBe(true);
    expect(framesAgree([at('car', 60, 0.1)], [at('car', 60, 0.17)], 30, { ...tracker, matchBuffer: 0 })).toBe(false);
  });

  it('ignores detections below the confidence that could start a track', () => {
    expect(framesAgree([at('bottle', 90, 0.1), at('cup', 12, 0.6)], [at('bottle', 90, 0.1)], 30, tracker)).toBe(true);
    expect(framesAgree([], [], 30, tracker)).toBe(true);
  });
});

describe('work avoidance (still, black, still: 9 s at 2 frames/s)', () => {
  let directory: string;
  let video: string;
  let detector: DetectorPool;
  const runs = new Map<string, { analysis: VideoAnalysis; inferred: number }>();

  const analyse = async (name: string, options: AnalyzeOptions) => {
    let inferred = 0;
    const analysis = await analyzeVideo(video, { ...options, detector, tiling: 'off', onProgress: (progress) => (inferred = progress.framesInferred ?? 0) });
    runs.set(name, { analysis, inferred });
  };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'eld-avoid-'));
    const still = join(directory, 'still.png');
    video = join(directory, 'still-black-still.mp4');
    await ffmpeg(['-ss', '1', '-i', media.bottle, '-frames:v', '1', still]);
    await ffmpeg([
      '-loop', '1', '-t', '3', '-i', still,
      '-f', 'lavfi', '-t', '3', '-i', 'color=black:s=640x360:r=30',
      '-loop', '1', '-t', '3', '-i', still,
      '-filter_complex', '[0:v]fps=30,format=yuv420p[a];[1:v]format=yuv420p[b];[2:v]fps=30,format=yuv420p[c];[a][b][c]concat=n=3:v=1:a=0[v]',
      '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', video,
    ]);
    detector = await createDetectorPool({ workers: 2 });
    await analyse('full', { analyzeEveryFrame: true });
    await analyse('similar', { skipSimilarFrames: true, adaptiveSampling: false });
    await analyse('adaptive', { skipSimilarFrames: false, adaptiveSampling: true });
    await analyse('both', {});
  });

  afterAll(async () => {
    await detector?.destroy();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('reports Bottle on the stills and not on the black screen when every frame is analysed', () => {
    const { analysis, inferred } = runs.get('full')!;
    expect(analysis.analysedTimestampsMs).toHaveLength(18);
    expect(inferred).toBe(18);
    const bottles = bottleTimestamps(analysis);
    // Stills at 0-3 s and 6-9 s (6 sampled frames each); a person sees nothing at 3-6 s.
    expect(bottles.filter((t) => t < 3000)).toHaveLength(6);
    expect(bottles.filter((t) => t >= 6000)).toHaveLength(6);
    expect(bottles.filter((t) => t >= 3000 && t < 6000)).toEqual([]);
  });

  it.each(['similar', 'adaptive', 'both'])('with %s skipping, reports Bottle at the same timestamps from fewer inferences', (name) => {
    const full = runs.get('full')!;
    const run = runs.get(name)!;
    expect(run.analysis.analysedTimestampsMs).toEqual(full.analysis.analysedTimestampsMs);
    expect(bottleTimestamps(run.analysis)).toEqual(bottleTimestamps(full.analysis));
    expect(run.inferred).toBeLessThan(full.inferred);
  });

  it('analyses each of the three still shots once with the default rules (both on)', () => {
    // Each shot is one picture: similar anchors are skipped inside a shot, and in the two windows
    // where the picture changes, the frames bisection picks are each like one end of their window.
    expect(runs.get('both')!.inferred).toBe(3);
  });

  it('refuses an anchor interval that is not a whole number of at least 1, naming the option', async () => {
    await expect(analyzeVideo(video, { detector, adaptiveSampling: { anchorInterval: 0 } })).rejects.toThrow(InvalidParameterException);
    await expect(analyzeVideo(video, { detector, adaptiveSampling: { anchorInterval: 2.5 } })).rejects.toThrow(/adaptiveSampling\.anchorInterval/);
  });
});
