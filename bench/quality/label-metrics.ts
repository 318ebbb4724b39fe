/**
 * Label-level quality (pure): is each label name a video is given true of it? A Rekognition user
 * reads every returned name, parents included, as a claim about the video, so label precision
 * counts names, not detections.
 */
import type { Taxonomy } from '../../src/taxonomy/parse-taxonomy.js';
import type { GroundTruth } from './ground-truth.js';

/** Every name a person accepts for the clip: required, accepted and people labels, and all their ancestors. */
export function acceptedLabelNames(groundTruth: Pick<GroundTruth, 'labels' | 'acceptedLabels'> & Partial<Pick<GroundTruth, 'peopleLabels'>>, taxonomy: Taxonomy): Set<string> {
  const accepted = new Set<string>();
  const add = (name: string) => {
    if (accepted.has(name)) return;
    accepted.add(name);
    for (const parent of taxonomy.labels.get(name)?.parents ?? []) add(parent);
  };
  for (const name of [...Object.keys(groundTruth.labels), ...Object.keys(groundTruth.acceptedLabels), ...Object.keys(groundTruth.peopleLabels ?? {})]) add(name);
  return accepted;
}

export interface LabelSetScores {
  reported: string[];
  required: string[];
  /** Reported names a person would not accept. */
  falseLabels: string[];
  /** Required labels that were not reported. */
  missedLabels: string[];
  /** True reported names / reported names (NaN when nothing was reported). */
  precision: number;
  /** Required labels reported / required labels (NaN when none is required). */
  recall: number;
}

const ratio = (part: number, whole: number): number => (whole === 0 ? Number.NaN : part / whole);

export function scoreLabelSet(reported: Iterable<string>, required: Iterable<string>, accepted: ReadonlySet<string>): LabelSetScores {
  const names = [...new Set(reported)].sort();
  const needed = [...new Set(required)].sort();
  const falseLabels = names.filter((name) => !accepted.has(name));
  const missedLabels = needed.filter((name) => !names.includes(name));
  return {
    reported: names,
    required: needed,
    falseLabels,
    missedLabels,
    precision: ratio(names.length - falseLabels.length, names.length),
    recall: ratio(needed.length - missedLabels.length, needed.length),
  };
}

/** Pooled over clips: every clip's reported names against its own truth, counted together. */
export function pooledLabelScores(perClip: readonly LabelSetScores[]): LabelSetScores {
  const tagged = (pick: (clip: LabelSetScores) => string[]) => perClip.flatMap((clip, index) => pick(clip).map((name) => `${index}:${name}`));
  const reported = tagged((clip) => clip.reported);
  const required = tagged((clip) => clip.required);
  const falseLabels = tagged((clip) => clip.falseLabels);
  const missedLabels = tagged((clip) => clip.missedLabels);
  return {
    reported,
    required,
    falseLabels,
    missedLabels,
    precision: ratio(reported.length - falseLabels.length, reported.length),
    recall: ratio(required.length - missedLabels.length, required.length),
  };
}
