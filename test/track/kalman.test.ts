import { describe, expect, it } from 'vitest';
import { correctEstimate, estimatedBox, predictEstimate, startEstimate } from '../../src/track/kalman.js';
import { DEFAULT_TRACKER_OPTIONS } from '../../src/track/options.js';

const noise = DEFAULT_TRACKER_OPTIONS;
const box = (left: number, top: number) => ({ left, top, width: 0.1, height: 0.2 });

const expectBoxClose = (actual: ReturnType<typeof estimatedBox>, expected: ReturnType<typeof box>, tolerance: number) => {
  for (const key of ['left', 'top', 'width', 'height'] as const) {
    expect(Math.abs(actual[key] - expected[key])).toBeLessThan(tolerance);
  }
};

describe('box Kalman filter', () => {
  it('starts at the measured box, standing still', () => {
    const estimate = startEstimate(box(0.3, 0.4), noise);
    expectBoxClose(estimatedBox(estimate), box(0.3, 0.4), 1e-12);
    expectBoxClose(estimatedBox(predictEstimate(estimate, 5, noise)), box(0.3, 0.4), 1e-12);
  });

  it('learns a constant velocity and extrapolates it', () => {
    // Moves +0.02 per second in x and -0.01 in y, measured once a second without noise.
    const at = (second: number) => box(0.1 + 0.02 * second, 0.6 - 0.01 * second);
    let estimate = startEstimate(at(0), noise);
    for (let second = 1; second <= 20; second++) {
      estimate = correctEstimate(predictEstimate(estimate, 1, noise), at(second), noise);
    }
    expect(estimate.centreX.velocity).toBeCloseTo(0.02, 3);
    expect(estimate.centreY.velocity).toBeCloseTo(-0.01, 3);
    expectBoxClose(estimatedBox(predictEstimate(estimate, 1, noise)), at(21), 1e-3);
    expectBoxClose(estimatedBox(predictEstimate(estimate, 3, noise)), at(23), 1e-3);
  });

  it('moves the prediction linearly in time', () => {
    let estimate = startEstimate(box(0.1, 0.1), noise);
    estimate = correctEstimate(predictEstimate(estimate, 1, noise), box(0.15, 0.1), noise);
    const now = estimatedBox(estimate).left;
    const oneAhead = estimatedBox(predictEstimate(estimate, 1, noise)).left;
    const twoAhead = estimatedBox(predictEstimate(estimate, 2, noise)).left;
    expect(oneAhead).toBeGreaterThan(now);
    expect(twoAhead - now).toBeCloseTo(2 * (oneAhead - now), 12);
  });

  it('keeps the size as last estimated instead of extrapolating its change', () => {
    // The detector boxes a cyclist with, then without, the bicycle: 0.08 then 0.035 wide half a second
    // apart (measured, person-bicycle-car-detection.gif). A size velocity would predict a zero-width
    // box half a second later; the size is a random walk and stays near the latest measurement.
    const wide = { left: 0.711, top: 0.01, width: 0.08, height: 0.15 };
    const narrow = { left: 0.761, top: 0.006, width: 0.035, height: 0.146 };
    const estimate = correctEstimate(predictEstimate(startEstimate(wide, noise), 0.5, noise), narrow, noise);
    const predicted = estimatedBox(predictEstimate(estimate, 0.5, noise));
    expect(predicted.width).toBeCloseTo(estimatedBox(estimate).width, 12);
    expect(Math.abs(predicted.width - narrow.width)).toBeLessThan(0.005);
    expect(estimate.width.velocity).toBe(0);
  });

  it('follows a size that keeps growing, one measurement behind at most', () => {
    // A car coming closer: 10 % wider every half second, measured without noise.
    const at = (step: number) => ({ left: 0.3, top: 0.3, width: 0.1 * 1.1 ** step, height: 0.1 });
    let estimate = startEstimate(at(0), noise);
    for (let step = 1; step <= 10; step++) estimate = correctEstimate(predictEstimate(estimate, 0.5, noise), at(step), noise);
    const width = estimatedBox(estimate).width;
    expect(width).toBeGreaterThan(at(9).width);
    expect(width).toBeLessThanOrEqual(at(10).width);
  });

  it('grows uncertainty when predicting and shrinks it when measuring', () => {
    const start = startEstimate(box(0.2, 0.2), noise);
    const predicted = predictEstimate(start, 1, noise);
    const corrected = correctEstimate(predicted, box(0.2, 0.2), noise);
    expect(predicted.centreX.positionVariance).toBeGreaterThan(start.centreX.positionVariance);
    expect(predicted.width.positionVariance).toBeGreaterThan(start.width.positionVariance);
    expect(corrected.centreX.positionVariance).toBeLessThan(predicted.centreX.positionVariance);
  });

  it('lands between prediction and measurement, nearer the less uncertain one', () => {
    // At start, the position variance equals the measurement variance: the update splits the difference.
    const corrected = correctEstimate(startEstimate(box(0.2, 0.2), noise), box(0.3, 0.2), noise);
    expect(estimatedBox(corrected).left).toBeCloseTo(0.25, 12);
  });
});
