/**
 * Backpressure: however fast ffmpeg decodes, the pipeline holds only a bounded number of frames
 * waiting for the model (memory stays flat on long videos). The detector here is a slow stand-in
 * for the model, so that decoding always outruns it; the pipeline around it is the real one.
 */
import { describe, expect, it } from 'vitest';
import type { DetectorPool } from '../../src/detect/index.js';
import { loadModelManifest } from '../../src/detect/manifest.js';
import { analyzeVideo, type AnalyzeOptions } from '../../src/pipeline.js';
import { media } from '../media.js';

function slowDetector(workers: number): { pool: DetectorPool; maxOutstanding: () => number; calls: () => number } {
  let outstanding = 0;
  let highest = 0;
  let calls = 0;
  const pool: DetectorPool = {
    manifest: loadModelManifest('centernet'),
    workers,
    backend: { backend: 'wasm', provider: '@tensorflow/tfjs', reason: 'slow stand-in for the model' },
    async detect(frame) {
      calls += 1;
      outstanding += 1;
      highest = Math.max(highest, outstanding);
      await new Promise((resolve) => setTimeout(resolve, 15));
      outstanding -= 1;
      return { detections: [], pixels: frame.pixels };
    },
    // CenterNet takes no second look: never called here.
    lookAgain: async (frame) => ({ detections: [], pixels: frame.pixels }),
    async lookForHands(frame) {
      outstanding += 1;
      highest = Math.max(highest, outstanding);
      await new Promise((resolve) => setTimeout(resolve, 5));
      outstanding -= 1;
      return { hands: [], pixels: frame.pixels };
    },
    destroy: async () => {},
  };
  return { pool, maxOutstanding: () => highest, calls: () => calls };
}

describe('backpressure between decoding and detection', () => {
  it.each<[string, AnalyzeOptions]>([
    ['every frame', { analyzeEveryFrame: true }],
    ['similar frames skipped', { skipSimilarFrames: true, adaptiveSampling: false }],
    ['adaptive sampling', { skipSimilarFrames: false, adaptiveSampling: true }],
    ['the default: both', {}],
  ])('keeps at most two frames per worker waiting for the model (%s)', async (_, options) => {
    const detector = slowDetector(1);
    const analysis = await analyzeVideo(media.car, { ...options, fps: 'all', tiling: 'off', detector: detector.pool });
    expect(analysis.analysedTimestampsMs.length).toBeGreaterThan(300);
    expect(detector.calls()).toBeGreaterThan(0);
    expect(detector.maxOutstanding()).toBeLessThanOrEqual(2);
  });
});
