import type {
  Instance,
  Label,
  LabelDetection,
  LabelDetectionAggregateBy,
  LabelDetectionSortBy,
} from '@aws-sdk/client-rekognition';
import type { LabelInfo, LabelInstance, LabelTimeline } from '../types.js';
import { toSegments, type SegmentOptions } from './segments.js';

export interface LabelDetectionOptions extends SegmentOptions {
  aggregateBy: LabelDetectionAggregateBy;
  sortBy: LabelDetectionSortBy;
}

/** A LabelDetection with the keys it is sorted by, so sorting never reads optional SDK fields. */
interface SortableDetection {
  timestampMs: number;
  name: string;
  confidence: number;
  detection: LabelDetection;
}

/**
 * The `Labels` array of GetLabelDetection, unpaginated. TIMESTAMPS gives one element per label per
 * analysed timestamp, with bounding-box instances; SEGMENTS gives one element per continuous
 * appearance, without instances, and `Timestamp` equal to `StartTimestampMillis`.
 *
 * TIMESTAMP sorts by time, then by label name. NAME groups a label's elements together, labels in
 * name order, each group by confidence (highest first), then by time. Names compare by UTF-16 code
 * units rather than the host locale, so every machine returns the same order.
 */
export const toLabelDetections = (labels: LabelTimeline[], options: LabelDetectionOptions): LabelDetection[] => {
  const toDetections = options.aggregateBy === 'SEGMENTS' ? segmentDetections : timestampDetections;
  return labels
    .flatMap((timeline) => toDetections(timeline, options))
    .sort(comparators[options.sortBy])
    .map((sortable) => sortable.detection);
};

const timestampDetections = (timeline: LabelTimeline): SortableDetection[] =>
  timeline.occurrences.map((occurrence) => {
    const timestampMs = Math.round(occurrence.timestampMs);
    return {
      timestampMs,
      name: timeline.label.name,
      confidence: occurrence.confidence,
      detection: {
        Timestamp: timestampMs,
        Label: toLabel(timeline.label, occurrence.confidence, occurrence.instances),
      },
    };
  });

const segmentDetections = (timeline: LabelTimeline, options: SegmentOptions): SortableDetection[] =>
  toSegments(timeline.occurrences, options).map((segment) => ({
    timestampMs: segment.startTimestampMs,
    name: timeline.label.name,
    confidence: segment.confidence,
    detection: {
      Timestamp: segment.startTimestampMs,
      Label: toLabel(timeline.label, segment.confidence),
      StartTimestampMillis: segment.startTimestampMs,
      EndTimestampMillis: segment.endTimestampMs,
      DurationMillis: segment.durationMs,
    },
  }));

const toLabel = (label: LabelInfo, confidence: number, instances?: LabelInstance[]): Label => ({
  Name: label.name,
  Confidence: confidence,
  ...(instances && { Instances: instances.map(toInstance) }),
  Parents: label.parents.map((Name) => ({ Name })),
  Aliases: label.aliases.map((Name) => ({ Name })),
  Categories: label.categories.map((Name) => ({ Name })),
});

const toInstance = (instance: LabelInstance): Instance => ({
  BoundingBox: {
    Width: instance.box.width,
    Height: instance.box.height,
    Left: instance.box.left,
    Top: instance.box.top,
  },
  Confidence: instance.confidence,
});

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const comparators: Record<LabelDetectionSortBy, (a: SortableDetection, b: SortableDetection) => number> = {
  TIMESTAMP: (a, b) => a.timestampMs - b.timestampMs || byCodeUnits(a.name, b.name),
  NAME: (a, b) => byCodeUnits(a.name, b.name) || b.confidence - a.confidence || a.timestampMs - b.timestampMs,
};
