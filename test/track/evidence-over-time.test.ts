import { describe, expect, it } from 'vitest';
import { trackObjects } from '../../src/track/index.js';
import type { FrameDetections } from '../../src/types.js';

/** One still object seen in every frame at the same per-frame confidence. */
const steadyObject = (durationMs: number, intervalMs: number, confidence: number): FrameDetections[] =>
  Array.from({ length: Math.floor(durationMs / intervalMs) + 1 }, (_, index) => ({
    timestampMs: index * intervalMs,
    detections: [{ box: { left: 0.4, top: 0.3, width: 0.1, height: 0.2 }, className: 'person', score: confidence / 100, confidence }],
  }));

const confidences = (frames: FrameDetections[], startAt = 30): number[] =>
  trackObjects(frames, { highConfidence: startAt, lowConfidence: Math.min(10, startAt) }).flatMap((frame) => frame.objects.map((object) => object.confidence));

describe('temporal confidence depends on time seen, not on sampling density', () => {
  it('gives a 1 s track the same confidence at 2 frames/s and at 12.5 frames/s', () => {
    const sparse = confidences(steadyObject(1000, 500, 25), 20);
    const dense = confidences(steadyObject(1000, 80, 25), 20);
    expect(sparse).toHaveLength(3);
    expect(dense).toHaveLength(13);
    // 3 new looks at 25: 100 * (1 - 0.75^3) = 57.8 (the cap of 3 looks, reached only just).
    expect(sparse[0]).toBeCloseTo(100 * (1 - 0.75 ** 3), 5);
    // 13 frames 80 ms apart: the first counts fully, the next 12 each 80/500 of a look: 2.92 looks.
    expect(dense[0]).toBeCloseTo(100 * (1 - 0.75 ** (1 + (12 * 80) / 500)), 5);
    expect(Math.abs(dense[0]! - sparse[0]!)).toBeLessThan(3);
  });
});

describe('systematic errors never become certain', () => {
  it('keeps a track of 20% frames below 50 however long it lasts', () => {
    // Let such weak detections start tracks at all (the default needs 30), to see the cap alone.
    const values = confidences(steadyObject(30_000, 500, 20), 15);
    expect(values.length).toBe(61);
    // At most three independent looks: 1 - 0.8^3 = 48.8.
    for (const value of values) expect(value).toBeCloseTo(48.8, 5);
  });

  it('lets a long track of 30% frames reach, and stay at, 1 - 0.7^3', () => {
    const values = confidences(steadyObject(30_000, 500, 30));
    for (const value of values) expect(value).toBeCloseTo(100 * (1 - 0.7 ** 3), 5);
  });

  it('lets a long track of 90% frames become nearly certain', () => {
    const values = confidences(steadyObject(10_000, 500, 90));
    for (const value of values) expect(value).toBeGreaterThan(99.8);
  });
});
