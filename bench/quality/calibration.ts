/**
 * Confidence calibration from hand-labelled frames (pure): label every raw detection right or wrong
 * against the ground truth, fit a monotonic map from raw score to the fraction of right detections
 * (isotonic regression), and score per-timestamp precision and recall of truly visible objects.
 */
import type { FrameDetections } from '../../src/types.js';
import type { LabelView } from './metrics.js';

export interface LabelledDetection {
  label: string;
  score: number;
  right: boolean;
}

/** What a person saw at each analysed timestamp: objects per label (presence without a count counts as one). */
export type TruthByLabel = ReadonlyMap<string, LabelView>;

const trueCount = (truth: LabelView | undefined, index: number): number =>
  truth === undefined ? 0 : (truth.counts?.[index] ?? (truth.present[index] ? 1 : 0));

/** Whether a person counted the label's instances, or only said where it is present (dozens of bowls). */
const isCounted = (truth: LabelView | undefined): boolean => truth === undefined || truth.counts !== undefined;

/**
 * A detection of label L at a timestamp is right when it is among the `n` best-scored detections of
 * L there, `n` being how many L a person counted. Where L is present but uncounted (dozens of bowls)
 * the best one is right and the others are left out, since nobody knows. Labels in `ignoredLabels`
 * (accepted but not required: e.g. the table under the bottles) are left out.
 */
export function labelDetections(
  frames: readonly FrameDetections[],
  truth: TruthByLabel,
  labelOfClass: (className: string) => string,
  ignoredLabels: ReadonlySet<string> = new Set(),
): LabelledDetection[] {
  return frames.flatMap((frame, index) => {
    const byLabel = new Map<string, number[]>();
    for (const detection of frame.detections) {
      const label = labelOfClass(detection.className);
      if (ignoredLabels.has(label)) continue;
      byLabel.set(label, [...(byLabel.get(label) ?? []), detection.score]);
    }
    return [...byLabel].flatMap(([label, scores]) => {
      const view = truth.get(label);
      const seen = trueCount(view, index);
      const ranked = scores.sort((a, b) => b - a).map((score, rank) => ({ label, score, right: rank < seen }));
      return isCounted(view) ? ranked : ranked.slice(0, Math.max(1, seen));
    });
  });
}

export interface CalibrationFit {
  /** Monotonic (raw score, confidence 0..100) points for models/<name>/manifest.json. */
  points: Array<[number, number]>;
  detections: number;
  right: number;
}

/**
 * Isotonic regression by pool-adjacent-violators over score bins of `binWidth`, each bin's rate
 * smoothed towards the overall rate with `priorWeight` pseudo-detections so that a bin of two
 * detections cannot claim 0 % or 100 %.
 */
export function fitCalibration(detections: readonly Pick<LabelledDetection, 'score' | 'right'>[], binWidth = 0.05, priorWeight = 2): CalibrationFit {
  const right = detections.filter((d) => d.right).length;
  const overall = detections.length === 0 ? 0.5 : right / detections.length;
  const bins = new Map<number, { scoreSum: number; right: number; count: number }>();
  for (const { score, right: isRight } of detections) {
    const bin = Math.min(Math.floor(score / binWidth), Math.floor(1 / binWidth) - 1);
    const entry = bins.get(bin) ?? { scoreSum: 0, right: 0, count: 0 };
    entry.scoreSum += score;
    entry.right += isRight ? 1 : 0;
    entry.count += 1;
    bins.set(bin, entry);
  }
  type Block = { scoreSum: number; rateSum: number; weight: number };
  const blocks: Block[] = [];
  for (const [, bin] of [...bins].sort(([a], [b]) => a - b)) {
    const rate = (bin.right + priorWeight * overall) / (bin.count + priorWeight);
    blocks.push({ scoreSum: bin.scoreSum, rateSum: rate * bin.count, weight: bin.count });
    // Pool adjacent blocks while their rates decrease with score.
    while (blocks.length > 1) {
      const last = blocks.at(-1)!;
      const previous = blocks.at(-2)!;
      if (previous.rateSum / previous.weight <= last.rateSum / last.weight) break;
      blocks.splice(-2, 2, { scoreSum: previous.scoreSum + last.scoreSum, rateSum: previous.rateSum + last.rateSum, weight: previous.weight + last.weight });
    }
  }
  const points = blocks.map((block): [number, number] => [round(block.scoreSum / block.weight, 3), round((100 * block.rateSum) / block.weight, 1)]);
  const last = points.at(-1);
  if (last && last[0] < 1) points.push([1, last[1]]);
  return { points, detections: detections.length, right };
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

export interface PrecisionRecall {
  precision: number;
  recall: number;
  predicted: number;
  truth: number;
}

/**
 * Per-timestamp precision and recall of visible objects: at each timestamp and label, min(predicted,
 * true) objects are right; predictions of labels the ground truth does not count are all wrong.
 * A label present but uncounted there counts as one object: one prediction is right, more are left out.
 */
export function objectPrecisionRecall(
  predictedCounts: ReadonlyArray<ReadonlyMap<string, number>>,
  truth: TruthByLabel,
  ignoredLabels: ReadonlySet<string> = new Set(),
): PrecisionRecall {
  let predicted = 0;
  let trueObjects = 0;
  let right = 0;
  predictedCounts.forEach((counts, index) => {
    for (const [label, count] of counts) {
      if (ignoredLabels.has(label)) continue;
      const view = truth.get(label);
      const scored = isCounted(view) || !view?.present[index] ? count : Math.min(count, 1);
      predicted += scored;
      right += Math.min(scored, trueCount(view, index));
    }
    for (const [, view] of truth) trueObjects += trueCount(view, index);
  });
  return { precision: predicted === 0 ? Number.NaN : right / predicted, recall: trueObjects === 0 ? Number.NaN : right / trueObjects, predicted, truth: trueObjects };
}
