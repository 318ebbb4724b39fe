import { describe, expect, it } from 'vitest';
import {
  boundaryError,
  countAccuracy,
  isWithinIntervals,
  matchSegments,
  scoreLabel,
  scorePresence,
  segmentCountError,
} from '../../bench/quality/metrics.js';

const span = (startMs: number, endMs: number) => ({ startMs, endMs });

describe('isWithinIntervals', () => {
  it('treats intervals as half-open', () => {
    const intervals = [span(1000, 2000)];
    expect(isWithinIntervals(intervals, 999)).toBe(false);
    expect(isWithinIntervals(intervals, 1000)).toBe(true);
    expect(isWithinIntervals(intervals, 1999)).toBe(true);
    expect(isWithinIntervals(intervals, 2000)).toBe(false);
  });
});

describe('scorePresence', () => {
  it('counts hits, false alarms and misses per timestamp', () => {
    // timestamps:        hit   hit   alarm  miss   neither
    const predicted = [true, true, true, false, false];
    const truth = [true, true, false, true, false];
    expect(scorePresence(predicted, truth)).toEqual({
      truePositives: 2,
      falsePositives: 1,
      falseNegatives: 1,
      iou: 2 / 4,
      precision: 2 / 3,
      recall: 2 / 3,
    });
  });

  it('gives NaN where a ratio has nothing to measure', () => {
    const scores = scorePresence([false, false], [false, false]);
    expect(scores.iou).toBeNaN();
    expect(scores.precision).toBeNaN();
    expect(scores.recall).toBeNaN();
  });

  it('gives zero precision and recall when every prediction is wrong', () => {
    const scores = scorePresence([true, false], [false, true]);
    expect([scores.iou, scores.precision, scores.recall]).toEqual([0, 0, 0]);
  });

  it('refuses timelines of different lengths', () => {
    expect(() => scorePresence([true], [true, false])).toThrow(/presence: 1 predicted values but 2 true values/);
  });
});

describe('segmentCountError', () => {
  it('is the absolute difference of the segment counts', () => {
    expect(segmentCountError([span(0, 1), span(2, 3), span(4, 5)], [span(0, 5)])).toBe(2);
    expect(segmentCountError([], [span(0, 5), span(6, 7)])).toBe(2);
  });
});

describe('matchSegments', () => {
  it('pairs each true segment with the predicted one overlapping it most, one to one', () => {
    const truth = [span(0, 1000), span(2000, 3000)];
    // The long prediction overlaps the first true segment by 1000 ms and the second by 500 ms; the
    // short one overlaps the second by 400 ms. Largest overlap first: long->first, short->second.
    const long = span(0, 2500);
    const short = span(2600, 3000);
    expect(matchSegments([long, short], truth)).toEqual([
      { predicted: long, truth: truth[0] },
      { predicted: short, truth: truth[1] },
    ]);
  });

  it('leaves a true segment unmatched when its best prediction is taken by a larger overlap', () => {
    const truth = [span(0, 1000), span(1500, 1800)];
    const merged = span(0, 2000);
    expect(matchSegments([merged], truth)).toEqual([{ predicted: merged, truth: truth[0] }]);
  });

  it('never pairs segments that only touch', () => {
    expect(matchSegments([span(0, 1000)], [span(1000, 2000)])).toEqual([]);
  });
});

describe('boundaryError', () => {
  it('averages start and end distances over matched pairs and keeps the largest', () => {
    // Pair 1: starts 500 apart, ends 0 apart. Pair 2: starts 0 apart, ends 1000 apart.
    const predicted = [span(500, 2000), span(5000, 7000)];
    const truth = [span(0, 2000), span(5000, 6000)];
    expect(boundaryError(predicted, truth)).toEqual({ matchedSegments: 2, meanMs: 1500 / 4, maxMs: 1000 });
  });

  it('is NaN when nothing matches', () => {
    const error = boundaryError([span(0, 1000)], [span(5000, 6000)]);
    expect(error.matchedSegments).toBe(0);
    expect(error.meanMs).toBeNaN();
    expect(error.maxMs).toBeNaN();
  });
});

describe('countAccuracy', () => {
  it('is the fraction of timestamps whose counts agree exactly', () => {
    expect(countAccuracy([3, 2, 2, 0], [3, 3, 2, 1])).toBe(2 / 4);
  });

  it('refuses timelines of different lengths', () => {
    expect(() => countAccuracy([1, 2], [1])).toThrow(/counts/);
  });
});

describe('scoreLabel', () => {
  it('combines presence, segments, boundaries and counts of one label', () => {
    const truth = { present: [true, true, false, true], counts: [2, 1, 0, 1], segments: [span(0, 1000), span(1500, 2000)] };
    const predicted = { present: [true, true, true, true], counts: [1, 1, 1, 1], segments: [span(0, 2000)] };
    const scores = scoreLabel(predicted, truth);
    expect(scores.iou).toBe(3 / 4);
    expect(scores.precision).toBe(3 / 4);
    expect(scores.recall).toBe(1);
    expect(scores.predictedSegments).toBe(1);
    expect(scores.trueSegments).toBe(2);
    expect(scores.segmentCountError).toBe(1);
    // The one prediction matches the first true segment (1000 ms overlap vs 500): start 0, end 1000 off.
    expect(scores.boundary).toEqual({ matchedSegments: 1, meanMs: 500, maxMs: 1000 });
    expect(scores.countAccuracy).toBe(2 / 4);
    // Truly present at timestamps 0, 1 and 3; counts agree at 1 and 3.
    expect(scores.countAccuracyWhenPresent).toBe(2 / 3);
  });

  it('has no count accuracy when nobody counted', () => {
    const truth = { present: [true], segments: [span(0, 500)] };
    const predicted = { present: [true], counts: [1], segments: [span(0, 500)] };
    expect(scoreLabel(predicted, truth).countAccuracy).toBeNaN();
    expect(scoreLabel(predicted, truth).countAccuracyWhenPresent).toBeNaN();
  });
});
