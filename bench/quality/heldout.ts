/**
 * Held-out evaluation (pure): for every clip, whatever a variant fits (calibration, thresholds) is
 * fitted on the OTHER clips, the clip is replayed with that fit and scored against its ground
 * truth. The figure reported for a clip therefore comes from a fit that never saw it.
 */
import type { Detection, FrameDetections, VideoAnalysis } from '../../src/types.js';
import { labelDetectionResponse } from '../../src/response/index.js';
import type { Taxonomy } from '../../src/taxonomy/parse-taxonomy.js';
import { labelInfoForClass } from '../../src/taxonomy/index.js';
import { objectPrecisionRecall, type PrecisionRecall, type TruthByLabel } from './calibration.js';
import { truthOnTimeline, type GroundTruth } from './ground-truth.js';
import { PEOPLE_STAGE_LABELS } from '../../src/people/index.js';
import { acceptedLabelNames, pooledLabelScores, scoreLabelSet, type LabelSetScores } from './label-metrics.js';
import { scoreLabel, type LabelScores } from './metrics.js';
import { labelSegments, labelSightings, toLabelView } from './predictions.js';
import type { RecordedClip } from './recording-format.js';

export const MIN_CONFIDENCE = 50;

/** A clip with what a person saw in it. */
export interface LabelledClip {
  clip: RecordedClip;
  truth: GroundTruth;
}

/**
 * What a variant of the pipeline does with a clip, given what it fitted on other clips: the
 * per-frame detections it sees (calibrated), and the analysis it answers with.
 */
export interface Variant<Fit> {
  name: string;
  fit(training: readonly LabelledClip[]): Fit;
  replay(clip: RecordedClip, fit: Fit): { frames: FrameDetections[]; analysis: VideoAnalysis; inferred?: number; views?: number };
}

/** The three ways of reading one replay: the model's raw scores, its calibrated confidences, and the final answer. */
export const VIEWS = ['raw', 'calibrated', 'final'] as const;
export type View = (typeof VIEWS)[number];

export interface ClipScores {
  video: string;
  labels: LabelSetScores;
  objects: PrecisionRecall;
  /** Per-instant precision and recall of Person alone, on clips where a person is. */
  person: PrecisionRecall | undefined;
  /** Final view only: presence, segments and counts of each required label (metrics.ts). */
  perLabel?: Record<string, LabelScores>;
}

export interface VariantScores {
  variant: string;
  /** Views the model looked at, per sampled frame, over all clips (3 per frame for 16:9 tiled, every frame). */
  viewsPerFrame: number;
  perView: Record<View, { clips: ClipScores[]; labels: LabelSetScores; objects: PrecisionRecall; person: PrecisionRecall }>;
}

type Sighting = { className: string; confidence: number };

/** Label names (ancestors included) and per-timestamp counts of object labels, from per-frame sightings at MinConfidence. */
function readSightings(perFrame: readonly Sighting[][], taxonomy: Taxonomy): { names: Set<string>; counts: Array<Map<string, number>> } {
  const names = new Set<string>();
  const counts = perFrame.map((sightings) => {
    const frameCounts = new Map<string, number>();
    for (const { className, confidence } of sightings) {
      if (confidence < MIN_CONFIDENCE) continue;
      const label = labelInfoForClass(taxonomy, className);
      frameCounts.set(label.name, (frameCounts.get(label.name) ?? 0) + 1);
      names.add(label.name);
      for (const parent of label.parents) names.add(parent);
    }
    return frameCounts;
  });
  return { names, counts };
}

/** What the final answer says: the names GetLabelDetection returns, and instance counts per timestamp. */
function readAnalysis(analysis: VideoAnalysis): { names: Set<string>; counts: Array<Map<string, number>> } {
  const response = labelDetectionResponse(analysis, { minConfidence: MIN_CONFIDENCE });
  const names = new Set((response.Labels ?? []).map((detection) => detection.Label?.Name ?? ''));
  const counts = analysis.analysedTimestampsMs.map((timestampMs) => {
    const frameCounts = new Map<string, number>();
    for (const detection of response.Labels ?? []) {
      const instances = detection.Label?.Instances?.length ?? 0;
      if (detection.Timestamp === timestampMs && instances > 0) frameCounts.set(detection.Label?.Name ?? '', instances);
    }
    return frameCounts;
  });
  return { names, counts };
}

const pooledObjects = (scores: readonly PrecisionRecall[]): PrecisionRecall => {
  const predicted = scores.reduce((sum, score) => sum + score.predicted, 0);
  const truth = scores.reduce((sum, score) => sum + score.truth, 0);
  const right = scores.reduce((sum, score) => sum + (Number.isNaN(score.precision) ? 0 : score.precision * score.predicted), 0);
  return { predicted, truth, precision: predicted === 0 ? Number.NaN : right / predicted, recall: truth === 0 ? Number.NaN : right / truth };
};

export function truthByLabel(truth: GroundTruth, timelineMs: readonly number[]): TruthByLabel {
  return new Map(Object.keys(truth.labels).map((label) => [label, truthOnTimeline(truth, label, timelineMs.map(Math.round))]));
}

/** The object labels of what was read: the people stage's labels (Face, Walking, People, ...) are scored by people.ts. */
const objectLabelsOf = (read: { names: Set<string>; counts: Array<Map<string, number>> }) => ({
  names: new Set([...read.names].filter((name) => !PEOPLE_STAGE_LABELS.includes(name))),
  counts: read.counts.map((counts) => new Map([...counts].filter(([name]) => !PEOPLE_STAGE_LABELS.includes(name)))),
});

function scoreClip(labelled: LabelledClip, everything: { names: Set<string>; counts: Array<Map<string, number>> }, timelineMs: readonly number[], taxonomy: Taxonomy): ClipScores {
  const { truth } = labelled;
  const read = objectLabelsOf(everything);
  const accepted = acceptedLabelNames(truth, taxonomy);
  const byLabel = truthByLabel(truth, timelineMs);
  // Accepted but not required labels are neither right nor wrong per instant: nobody counted them.
  const ignored = new Set([...accepted].filter((name) => !(name in truth.labels)));
  const person = byLabel.get('Person');
  const personOnly = read.counts.map((counts) => new Map([...counts].filter(([name]) => name === 'Person')));
  return {
    video: truth.video,
    labels: scoreLabelSet(read.names, Object.keys(truth.labels), accepted),
    objects: objectPrecisionRecall(read.counts, byLabel, ignored),
    person: person ? objectPrecisionRecall(personOnly, new Map([['Person', person]])) : undefined,
  };
}

/** Presence, segments and counts of every required label in the final answer. */
function scoreRequiredLabels(truth: GroundTruth, analysis: VideoAnalysis): Record<string, LabelScores> {
  const timeline = analysis.analysedTimestampsMs.map(Math.round);
  const byTimestamps = labelDetectionResponse(analysis, { minConfidence: MIN_CONFIDENCE, aggregateBy: 'TIMESTAMPS' });
  const bySegments = labelDetectionResponse(analysis, { minConfidence: MIN_CONFIDENCE, aggregateBy: 'SEGMENTS' });
  return Object.fromEntries(
    Object.keys(truth.labels).map((label) => [
      label,
      scoreLabel(toLabelView(timeline, labelSightings(byTimestamps, label), labelSegments(bySegments, label)), truthOnTimeline(truth, label, timeline)),
    ]),
  );
}

/** Leave-one-clip-out: each clip replayed with a fit on all the others, and scored in each view. */
export function evaluateHeldOut<Fit>(variant: Variant<Fit>, clips: readonly LabelledClip[], taxonomy: Taxonomy, fitOn: 'others' | 'all' = 'others'): VariantScores {
  const perView = Object.fromEntries(VIEWS.map((view) => [view, [] as ClipScores[]])) as Record<View, ClipScores[]>;
  let views = 0;
  let sampled = 0;
  for (const labelled of clips) {
    const fit = variant.fit(fitOn === 'all' ? clips : clips.filter((other) => other !== labelled));
    const { frames, analysis, views: looked } = variant.replay(labelled.clip, fit);
    views += looked ?? frames.length;
    sampled += frames.length;
    const timeline = analysis.analysedTimestampsMs;
    const sightings = (confidenceOf: (detection: Detection) => number) =>
      frames.map((frame) => frame.detections.map((detection) => ({ className: detection.className, confidence: confidenceOf(detection) })));
    perView.raw.push(scoreClip(labelled, readSightings(sightings((d) => d.score * 100), taxonomy), timeline, taxonomy));
    perView.calibrated.push(scoreClip(labelled, readSightings(sightings((d) => d.confidence), taxonomy), timeline, taxonomy));
    perView.final.push({ ...scoreClip(labelled, readAnalysis(analysis), timeline, taxonomy), perLabel: scoreRequiredLabels(labelled.truth, analysis) });
  }
  const summarise = (scores: ClipScores[]) => ({
    clips: scores,
    labels: pooledLabelScores(scores.map((score) => score.labels)),
    objects: pooledObjects(scores.map((score) => score.objects)),
    person: pooledObjects(scores.flatMap((score) => (score.person ? [score.person] : []))),
  });
  return { variant: variant.name, viewsPerFrame: views / sampled, perView: Object.fromEntries(VIEWS.map((view) => [view, summarise(perView[view])])) as VariantScores['perView'] };
}
