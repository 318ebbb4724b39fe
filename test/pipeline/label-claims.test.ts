/**
 * Label claims on real footage, one clip of each kind, at the default settings (tiled, 2 frames/s,
 * MinConfidence 50), asserting what a person sees in them (media/README.md, bench/quality/ground-truth):
 * an empty surface with a bolt, overhead cars with nobody in view, two people walking towards the camera.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetectorPool, type DetectorPool } from '../../src/detect/index.js';
import { labelDetectionResponse } from '../../src/response/index.js';
import { analyzeVideo } from '../../src/pipeline.js';
import type { VideoAnalysis } from '../../src/types.js';
import { media } from '../media.js';
import { makeFramesClip } from '../reliability/media.js';

const namesOf = (analysis: VideoAnalysis): string[] => [...new Set((labelDetectionResponse(analysis).Labels ?? []).map((label) => label.Label?.Name ?? ''))].sort();

describe('what the default pipeline claims about real clips', () => {
  let directory: string;
  let detector: DetectorPool;
  const analyse = (file: string) => analyzeVideo(file, { detector, tiling: 'tiles' });

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'eld-claims-'));
    detector = await createDetectorPool({ workers: 2 });
  });
  afterAll(async () => {
    await detector?.destroy();
    await rm(directory, { recursive: true, force: true });
  });

  it('claims nothing about a grey surface with a metal bolt: no COCO object is there', async () => {
    expect(namesOf(await analyse(media.bolt))).toEqual([]);
  });

  it('does not call overhead cars with nobody in view a Mobile Phone or a Parking Meter (car-detection.mp4, 5.5-8 s)', async () => {
    // The detector's raw scores for "cell phone" on these cars reach 0.70, for "parking meter" 0.59,
    // higher than for "car": a phone needs someone to hold it, and a parking meter does not drive
    // out of a still picture.
    const passingCar = await analyse(await makeFramesClip(media.car, path.join(directory, 'passing-car.mp4'), 31, 5.5));
    expect(namesOf(passingCar)).not.toContain('Mobile Phone');
    expect(namesOf(passingCar)).not.toContain('Phone');
    expect(namesOf(passingCar)).not.toContain('Parking Meter');
  });

  it('reports the two people walking down the corridor at every timestamp, their faces and hands, and nothing else', async () => {
    const walking = await analyse(media.faceDemographicsWalking);
    // Two people (People), walking towards the camera, faces turned to it, hands at their sides:
    // Head and Body Part are the parents of Face and Hand. Nobody stands or sits.
    expect(namesOf(walking)).toEqual(['Body Part', 'Face', 'Hand', 'Head', 'People', 'Person', 'Walking']);
    const personAt = new Set(walking.labels.find((label) => label.label.name === 'Person')?.occurrences.filter((o) => o.confidence >= 50).map((o) => o.timestampMs));
    expect(walking.analysedTimestampsMs.every((timestampMs) => personAt.has(timestampMs))).toBe(true);
  });
});
