/**
 * Quality metrics of label detection against hand-made ground truth. Everything here is a pure
 * function over plain data aligned on the analysed timeline (one entry per analysed timestamp), so
 * the tracker's output and raw per-frame detections are scored by exactly the same code.
 */

/** A half-open span of video time, [startMs, endMs). */
export interface Interval {
  startMs: number;
  endMs: number;
}

/** One label as seen by a predictor or by a person, on the analysed timeline. */
export interface LabelView {
  /** Presence at each analysed timestamp. */
  present: boolean[];
  /** Instance count at each analysed timestamp; absent when nobody counted. */
  counts?: number[];
  /** Continuous appearances, in time order. */
  segments: Interval[];
}

export interface PresenceScores {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** |predicted ∩ true| / |predicted ∪ true| over the analysed timestamps. */
  iou: number;
  precision: number;
  recall: number;
}

export interface BoundaryError {
  matchedSegments: number;
  /** Mean of |start - start| and |end - end| over all matched pairs, in ms. */
  meanMs: number;
  maxMs: number;
}

export interface LabelScores extends PresenceScores {
  predictedSegments: number;
  trueSegments: number;
  segmentCountError: number;
  boundary: BoundaryError;
  /** Fraction of analysed timestamps whose predicted count equals the true count. */
  countAccuracy: number;
  /** The same, over only the timestamps where the label is truly present: empty frames cannot inflate it. */
  countAccuracyWhenPresent: number;
}

/** NaN marks a ratio with nothing to measure (e.g. precision without any prediction); JSON writes it as null. */
const ratio = (numerator: number, denominator: number): number => (denominator === 0 ? Number.NaN : numerator / denominator);

function assertSameLength(what: string, predicted: readonly unknown[], truth: readonly unknown[]): void {
  if (predicted.length !== truth.length) {
    throw new Error(`${what}: ${predicted.length} predicted values but ${truth.length} true values; both must cover the same timestamps`);
  }
}

export const isWithinIntervals = (intervals: readonly Interval[], timestampMs: number): boolean =>
  intervals.some((interval) => interval.startMs <= timestampMs && timestampMs < interval.endMs);

export function scorePresence(predicted: readonly boolean[], truth: readonly boolean[]): PresenceScores {
  assertSameLength('presence', predicted, truth);
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  predicted.forEach((isPredicted, index) => {
    const isTrue = truth[index] === true;
    if (isPredicted && isTrue) truePositives += 1;
    else if (isPredicted) falsePositives += 1;
    else if (isTrue) falseNegatives += 1;
  });
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    iou: ratio(truePositives, truePositives + falsePositives + falseNegatives),
    precision: ratio(truePositives, truePositives + falsePositives),
    recall: ratio(truePositives, truePositives + falseNegatives),
  };
}

export const segmentCountError = (predicted: readonly Interval[], truth: readonly Interval[]): number =>
  Math.abs(predicted.length - truth.length);

export const overlapMs = (a: Interval, b: Interval): number =>
  Math.max(0, Math.min(a.endMs, b.endMs) - Math.max(a.startMs, b.startMs));

export interface SegmentMatch {
  predicted: Interval;
  truth: Interval;
}

/**
 * One-to-one pairs of overlapping segments, largest overlap first: a predicted segment that covers
 * two true ones is matched to the one it covers most, and the other counts as missed.
 */
export function matchSegments(predicted: readonly Interval[], truth: readonly Interval[]): SegmentMatch[] {
  const candidates = predicted.flatMap((predictedSegment, predictedIndex) =>
    truth.map((trueSegment, trueIndex) => ({ predictedIndex, trueIndex, overlap: overlapMs(predictedSegment, trueSegment) })),
  );
  const usedPredicted = new Set<number>();
  const usedTruth = new Set<number>();
  const matches: Array<SegmentMatch & { trueIndex: number }> = [];
  for (const candidate of candidates.filter((pair) => pair.overlap > 0).sort((a, b) => b.overlap - a.overlap)) {
    if (usedPredicted.has(candidate.predictedIndex) || usedTruth.has(candidate.trueIndex)) continue;
    usedPredicted.add(candidate.predictedIndex);
    usedTruth.add(candidate.trueIndex);
    matches.push({
      predicted: predicted[candidate.predictedIndex] as Interval,
      truth: truth[candidate.trueIndex] as Interval,
      trueIndex: candidate.trueIndex,
    });
  }
  return matches.sort((a, b) => a.trueIndex - b.trueIndex).map(({ predicted: p, truth: t }) => ({ predicted: p, truth: t }));
}

/** Distances between the starts and between the ends of matched segments; unmatched segments are the count error's business. */
export function boundaryError(predicted: readonly Interval[], truth: readonly Interval[]): BoundaryError {
  const matches = matchSegments(predicted, truth);
  const distances = matches.flatMap((match) => [
    Math.abs(match.predicted.startMs - match.truth.startMs),
    Math.abs(match.predicted.endMs - match.truth.endMs),
  ]);
  return {
    matchedSegments: matches.length,
    meanMs: ratio(
      distances.reduce((sum, distance) => sum + distance, 0),
      distances.length,
    ),
    maxMs: distances.length === 0 ? Number.NaN : distances.reduce((highest, distance) => Math.max(highest, distance), 0),
  };
}

export function countAccuracy(predicted: readonly number[], truth: readonly number[]): number {
  assertSameLength('counts', predicted, truth);
  const agreeing = predicted.filter((count, index) => count === truth[index]).length;
  return ratio(agreeing, truth.length);
}

const countsWhere = (counts: readonly number[], keep: readonly boolean[]): number[] => counts.filter((_, index) => keep[index]);

export function scoreLabel(predicted: LabelView, truth: LabelView): LabelScores {
  const counted = truth.counts && predicted.counts ? { predicted: predicted.counts, truth: truth.counts } : undefined;
  return {
    ...scorePresence(predicted.present, truth.present),
    predictedSegments: predicted.segments.length,
    trueSegments: truth.segments.length,
    segmentCountError: segmentCountError(predicted.segments, truth.segments),
    boundary: boundaryError(predicted.segments, truth.segments),
    countAccuracy: counted ? countAccuracy(counted.predicted, counted.truth) : Number.NaN,
    countAccuracyWhenPresent: counted
      ? countAccuracy(countsWhere(counted.predicted, truth.present), countsWhere(counted.truth, truth.present))
      : Number.NaN,
  };
}
