import type { Box, LabelOccurrence, LabelTimeline, TrackedFrame } from '../types.js';
import type { Taxonomy } from './parse-taxonomy.js';
import { compareNames, labelInfo, labelNameForClass } from './lookup.js';

/** Label name -> its occurrence at one timestamp. */
type OccurrencesAtTimestamp = Map<string, LabelOccurrence>;

const occurrenceOf = (
  occurrences: OccurrencesAtTimestamp,
  labelName: string,
  timestampMs: number,
): LabelOccurrence => {
  let occurrence = occurrences.get(labelName);
  if (occurrence === undefined) {
    occurrence = { timestampMs, confidence: 0, instances: [] };
    occurrences.set(labelName, occurrence);
  }
  return occurrence;
};

const addFrame = (occurrences: OccurrencesAtTimestamp, frame: TrackedFrame, taxonomy: Taxonomy): void => {
  const add = (className: string, confidence: number, box?: Box) => {
    const labelName = labelNameForClass(taxonomy, className);
    const own = occurrenceOf(occurrences, labelName, frame.timestampMs);
    if (box) own.instances.push({ box: { ...box }, confidence });
    own.confidence = Math.max(own.confidence, confidence);
    // Rekognition reports every ancestor as a label of its own: no boxes, as confident as its best descendant.
    for (const ancestor of taxonomy.labels.get(labelName)?.parents ?? []) {
      const inherited = occurrenceOf(occurrences, ancestor, frame.timestampMs);
      inherited.confidence = Math.max(inherited.confidence, confidence);
    }
  };
  for (const object of frame.objects) add(object.className, object.confidence, object.box);
  // Group labels (People) have no box of their own: their members are the instances of Person.
  for (const group of frame.groups ?? []) add(group.className, group.confidence);
};

/**
 * Turns the tracker's frames into one timeline per label (object labels and all their ancestors), ordered by
 * label name, each with at most one occurrence per timestamp, in ascending time. Object labels carry the tracked
 * objects of their classes as instances; ancestors and group labels carry no instances. Frames sharing a timestamp are merged,
 * and frames without objects contribute nothing.
 */
export const toLabelTimelines = (frames: TrackedFrame[], taxonomy: Taxonomy): LabelTimeline[] => {
  const byTimestamp = new Map<number, OccurrencesAtTimestamp>();
  for (const frame of frames) {
    let occurrences = byTimestamp.get(frame.timestampMs);
    if (occurrences === undefined) {
      occurrences = new Map();
      byTimestamp.set(frame.timestampMs, occurrences);
    }
    addFrame(occurrences, frame, taxonomy);
  }

  const byLabel = new Map<string, LabelOccurrence[]>();
  const timestamps = [...byTimestamp.keys()].sort((a, b) => a - b);
  for (const timestampMs of timestamps) {
    for (const [labelName, occurrence] of byTimestamp.get(timestampMs) ?? []) {
      const timeline = byLabel.get(labelName) ?? [];
      timeline.push(occurrence);
      byLabel.set(labelName, timeline);
    }
  }

  return [...byLabel.keys()]
    .sort(compareNames)
    .map((labelName) => ({ label: labelInfo(taxonomy, labelName), occurrences: byLabel.get(labelName) ?? [] }));
};
