import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accumulateEvidence,
  confidenceFromEvidence,
  frameEvidence,
  twoSidedEvidence,
} from '../../src/track/temporal-confidence.js';

const WEIGHT = 0.5;
const DECAY = 0.5;

/** Causal confidence after a run of frames (null = miss). */
const confidenceAfter = (frames: (number | null)[]): number =>
  confidenceFromEvidence(
    frames.reduce<number>(
      (evidence, c) => accumulateEvidence(evidence, c === null ? null : frameEvidence(c, WEIGHT), DECAY),
      0,
    ),
  );

/** Discounted noisy-OR in product form: 1 - Π (1 - p)^w. */
const noisyOr = (c: number, frames: number): number => 100 * (1 - (1 - c / 100) ** (WEIGHT * frames));

describe('temporal confidence, frames weighted 0.5 each', () => {
  it('is the discounted noisy-OR of the frames', () => {
    expect(confidenceAfter([40, 40, 40])).toBeCloseTo(noisyOr(40, 3), 9);
    expect(confidenceAfter([30, 60])).toBeCloseTo(100 * (1 - Math.sqrt(0.7 * 0.4)), 9);
  });

  it.each([
    [35, 4, 47.6, 57.75],
    [40, 3, 40, 53.52],
    [45, 3, 45, 59.21],
  ])('frames all at %i cross 50 at frame %i', (c, crossing, before, at) => {
    const run = (frames: number) => confidenceAfter(new Array<number>(frames).fill(c));
    expect(run(crossing - 1)).toBeCloseTo(before, 1);
    expect(run(crossing - 1)).toBeLessThan(50);
    expect(run(crossing)).toBeCloseTo(at, 1);
    expect(run(crossing)).toBeGreaterThanOrEqual(50);
  });

  it('keeps a single frame below its own confidence, so below 50 for any c < 50', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 99.99, noNaN: true }), (c) => {
        expect(confidenceAfter([c])).toBeLessThan(c);
      }),
    );
    expect(confidenceAfter([40])).toBeCloseTo(100 * (1 - Math.sqrt(0.6)), 9);
  });

  it('rises with every frame and with every per-frame confidence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 99, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.nat(7),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        (frames, which, raise) => {
          const index = which % frames.length;
          const raised = frames.map((c, at) => (at === index ? Math.min(c + raise, 99.9) : c));
          expect(confidenceAfter(raised)).toBeGreaterThan(confidenceAfter(frames));
          expect(confidenceAfter([...frames, 10])).toBeGreaterThan(confidenceAfter(frames));
        },
      ),
    );
  });

  it('decays on a miss', () => {
    // Three frames at 40 hold 1.5 * -ln 0.6 of evidence; a miss halves it to 0.75 * -ln 0.6.
    expect(confidenceAfter([40, 40, 40, null])).toBeCloseTo(100 * (1 - 0.6 ** 0.75), 9);
  });

  it('stays finite for a per-frame confidence of 100', () => {
    expect(Number.isFinite(frameEvidence(100, WEIGHT))).toBe(true);
    expect(confidenceAfter([100])).toBeLessThan(100);
  });

  it('offline, gives every frame the evidence of the whole track', () => {
    const e = frameEvidence(40, WEIGHT);
    const [first, middle, last] = twoSidedEvidence([e, e, e], DECAY);
    for (const value of [first, middle, last]) expect(value).toBeCloseTo(3 * e, 12);
  });

  it('offline, values a missed frame no higher than its neighbours', () => {
    // Forward: e, e/2, 3e/2; backward: 3e/2, e/2, e; each matched frame counted once.
    const e = frameEvidence(40, WEIGHT);
    const evidence = twoSidedEvidence([e, null, e], DECAY);
    expect(evidence[0]).toBeCloseTo(1.5 * e, 12);
    expect(evidence[1]).toBeCloseTo(e, 12);
    expect(evidence[2]).toBeCloseTo(1.5 * e, 12);
  });
});
