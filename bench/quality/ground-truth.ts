/**
 * Hand-made ground truth (see ground-truth/README.md): its file format, a parser that refuses
 * inconsistent files, and its projection onto the timeline a pipeline run actually analysed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isWithinIntervals, type Interval, type LabelView } from './metrics.js';

export interface LabelTruth {
  /** How a person decided what counts, in words. */
  rule: string;
  /** Where at least one instance counts as visible. */
  intervals: Interval[];
  /** Instances that count, one per sampled timestamp; absent when nobody counted. */
  countsPerSample?: number[];
}

export interface GroundTruth {
  /** File name in the shared media folder. */
  video: string;
  durationMs: number;
  sampleIntervalMs: number;
  /** The timestamps of the frames a person looked at. */
  sampledTimestampsMs: number[];
  /** Keyed by Rekognition label name: what must be found (label recall) and where (per-instant metrics). */
  labels: Record<string, LabelTruth>;
  /**
   * Further label names a person accepts as true of the clip (a table under the bottles), with why.
   * Reporting them is right, missing them is no error. The ancestors of every required or accepted
   * label are accepted too (see acceptedLabelNames).
   */
  acceptedLabels: Record<string, string>;
  /**
   * People labels (Face, Head, Hand, Walking, Standing, Sitting, People), same shape as `labels`:
   * scored by bench/quality/people.ts, and true of the clip for label precision.
   */
  peopleLabels: Record<string, LabelTruth>;
}

interface GroundTruthFile {
  video: string;
  durationMs: number;
  sampleIntervalMs: number;
  sampledTimestampsMs: number[];
  labels: Record<string, { rule: string; intervalsMs: Array<[number, number]>; countsPerSample?: number[] }>;
  acceptedLabels?: Record<string, string>;
  peopleLabels?: Record<string, { rule: string; intervalsMs: Array<[number, number]>; countsPerSample?: number[] }>;
}

function checkLabel(source: string, name: string, truth: LabelTruth, file: GroundTruthFile): void {
  const fail = (problem: string): never => {
    throw new Error(`${source}: label ${name}: ${problem}`);
  };
  truth.intervals.forEach((interval, index) => {
    const previous = truth.intervals[index - 1];
    if (!(interval.startMs < interval.endMs)) fail(`interval ${index} is empty or reversed`);
    if (interval.startMs < 0 || interval.endMs > file.durationMs) fail(`interval ${index} lies outside 0..${file.durationMs} ms`);
    if (previous && previous.endMs >= interval.startMs) fail(`interval ${index} overlaps or touches interval ${index - 1}`);
  });
  const counts = truth.countsPerSample;
  if (!counts) return;
  if (counts.length !== file.sampledTimestampsMs.length) {
    fail(`${counts.length} counts for ${file.sampledTimestampsMs.length} sampled timestamps`);
  }
  file.sampledTimestampsMs.forEach((timestampMs, index) => {
    const counted = (counts[index] ?? 0) > 0;
    if (counted !== isWithinIntervals(truth.intervals, timestampMs)) {
      fail(`at ${timestampMs} ms the count (${counts[index]}) disagrees with the intervals`);
    }
  });
}

const labelTruths = (labels: GroundTruthFile['labels']): Record<string, LabelTruth> =>
  Object.fromEntries(
    Object.entries(labels).map(([name, label]) => [
      name,
      {
        rule: label.rule,
        intervals: label.intervalsMs.map(([startMs, endMs]) => ({ startMs, endMs })),
        ...(label.countsPerSample && { countsPerSample: label.countsPerSample }),
      },
    ]),
  );

/** Parses one ground-truth file; `source` names it in error messages. */
export function parseGroundTruth(text: string, source: string): GroundTruth {
  const file = JSON.parse(text) as GroundTruthFile;
  const groundTruth: GroundTruth = {
    video: file.video,
    durationMs: file.durationMs,
    sampleIntervalMs: file.sampleIntervalMs,
    sampledTimestampsMs: file.sampledTimestampsMs,
    labels: labelTruths(file.labels),
    acceptedLabels: file.acceptedLabels ?? {},
    peopleLabels: labelTruths(file.peopleLabels ?? {}),
  };
  for (const [name, truth] of Object.entries({ ...groundTruth.labels, ...groundTruth.peopleLabels })) checkLabel(source, name, truth, file);
  return groundTruth;
}

export const groundTruthDirectory = new URL('./ground-truth/', import.meta.url);

export function loadAllGroundTruth(directory: URL = groundTruthDirectory): GroundTruth[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => parseGroundTruth(readFileSync(new URL(name, directory), 'utf8'), name));
}

/**
 * For each analysed timestamp, the index of the sampled timestamp a person looked at for it. The
 * pipeline samples with the same rule, so each should be (nearly) identical; a larger distance
 * means the two timelines differ and the counts would be compared across different frames.
 */
export function alignSamples(sampledTimestampsMs: readonly number[], analysedTimestampsMs: readonly number[], toleranceMs: number): number[] {
  return analysedTimestampsMs.map((analysedMs) => {
    let nearest = -1;
    sampledTimestampsMs.forEach((sampledMs, index) => {
      const best = sampledTimestampsMs[nearest];
      if (best === undefined || Math.abs(sampledMs - analysedMs) < Math.abs(best - analysedMs)) nearest = index;
    });
    const nearestMs = sampledTimestampsMs[nearest];
    if (nearestMs === undefined || Math.abs(nearestMs - analysedMs) > toleranceMs) {
      throw new Error(`analysed timestamp ${analysedMs} ms has no hand-labelled sample within ${toleranceMs} ms`);
    }
    return nearest;
  });
}

/** The ground truth of one label as it looks on the analysed timeline. */
export function truthOnTimeline(groundTruth: GroundTruth, labelName: string, analysedTimestampsMs: readonly number[]): LabelView {
  const truth = groundTruth.labels[labelName] ?? groundTruth.peopleLabels[labelName];
  if (!truth) throw new Error(`${groundTruth.video}: no ground truth for label ${labelName}`);
  const counts = truth.countsPerSample;
  const sampleIndexes = counts ? alignSamples(groundTruth.sampledTimestampsMs, analysedTimestampsMs, groundTruth.sampleIntervalMs / 2) : [];
  return {
    present: analysedTimestampsMs.map((timestampMs) => isWithinIntervals(truth.intervals, timestampMs)),
    ...(counts && { counts: sampleIndexes.map((index) => counts[index] ?? 0) }),
    segments: truth.intervals,
  };
}
