/**
 * Per-label data that pictures are drawn from (the report, the annotated video): timestamped box
 * instances and time segments. Made from an analysis, read as a GetLabelDetection request would
 * read it, or, for a result saved as JSON, from that response (which may hold segments only).
 */
import type { GetLabelDetectionResponse, LabelDetection, VideoMetadata } from '@aws-sdk/client-rekognition';
import { invalidParameter } from '../errors.js';
import { DEFAULT_MIN_CONFIDENCE, selectLabels, toSegments, type LabelReadOptions, type LabelSegment } from '../response/index.js';
import type { LabelOccurrence, VideoAnalysis } from '../types.js';

export interface ResultLabel {
  name: string;
  parents: string[];
  categories: string[];
  /** Empty when the response was aggregated by SEGMENTS, which carries no instances. */
  occurrences: LabelOccurrence[];
  segments: LabelSegment[];
}

export interface LabelResult {
  videoMetadata: VideoMetadata;
  labelModelVersion?: string;
  aggregateBy: 'TIMESTAMPS' | 'SEGMENTS';
  sampleIntervalMs: number;
  /** Ordered by name. */
  labels: ResultLabel[];
}

/** Used when a response holds too few timestamps to tell how far apart its samples are. */
const FALLBACK_SAMPLE_INTERVAL_MS = 500;

const median = (values: number[]): number | undefined => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/**
 * The spacing of analysed timestamps, which a response does not state: the median gap between
 * consecutive distinct timestamps, so a label missing from a few samples does not skew it.
 */
export function inferSampleIntervalMs(timestampsMs: readonly number[]): number {
  const distinct = [...new Set(timestampsMs)].sort((a, b) => a - b);
  const gaps = distinct.slice(1).map((timestamp, index) => timestamp - (distinct[index] as number));
  return median(gaps) ?? FALLBACK_SAMPLE_INTERVAL_MS;
}

const isSegment = (detection: LabelDetection): boolean => detection.StartTimestampMillis !== undefined && detection.EndTimestampMillis !== undefined;

const occurrenceOf = (detection: LabelDetection): LabelOccurrence => ({
  timestampMs: detection.Timestamp ?? 0,
  confidence: detection.Label?.Confidence ?? 0,
  instances: (detection.Label?.Instances ?? []).map((instance) => ({
    confidence: instance.Confidence ?? 0,
    box: {
      left: instance.BoundingBox?.Left ?? 0,
      top: instance.BoundingBox?.Top ?? 0,
      width: instance.BoundingBox?.Width ?? 0,
      height: instance.BoundingBox?.Height ?? 0,
    },
  })),
});

const segmentOf = (detection: LabelDetection): LabelSegment => {
  const startTimestampMs = detection.StartTimestampMillis ?? 0;
  const endTimestampMs = detection.EndTimestampMillis ?? startTimestampMs;
  return { startTimestampMs, endTimestampMs, durationMs: endTimestampMs - startTimestampMs, confidence: detection.Label?.Confidence ?? 0 };
};

/** An analysis as GetLabelDetection with these options would return it, with instances and segments. */
export function labelResultOf(analysis: VideoAnalysis, options: Pick<LabelReadOptions, 'minConfidence' | 'settings'> = {}): LabelResult {
  const selected = selectLabels(analysis, { minConfidence: options.minConfidence ?? DEFAULT_MIN_CONFIDENCE, generalLabels: options.settings?.GeneralLabels });
  const segmentOptions = { sampleIntervalMs: analysis.sampleIntervalMs, videoDurationMs: analysis.videoMetadata.DurationMillis ?? Number.POSITIVE_INFINITY };
  return {
    videoMetadata: analysis.videoMetadata,
    labelModelVersion: analysis.labelModelVersion,
    aggregateBy: 'TIMESTAMPS',
    sampleIntervalMs: analysis.sampleIntervalMs,
    labels: selected.map(({ label, occurrences }) => ({
      name: label.name,
      parents: label.parents,
      categories: label.categories,
      occurrences,
      segments: toSegments(occurrences, segmentOptions),
    })),
  };
}

/** Reads a complete (all pages joined) GetLabelDetection response of either aggregation. */
export function readLabelResult(response: GetLabelDetectionResponse, options: { sampleIntervalMs?: number } = {}): LabelResult {
  if (response.JobStatus !== undefined && response.JobStatus !== 'SUCCEEDED') {
    throw invalidParameter(`JobStatus: the result is ${response.JobStatus}${response.StatusMessage ? ` (${response.StatusMessage})` : ''}; only a SUCCEEDED result has labels`);
  }
  if (!Array.isArray(response.Labels)) throw invalidParameter('Labels: the result has no Labels array; expected a GetLabelDetection response');
  const detections = response.Labels.filter((detection) => detection.Label?.Name);
  const aggregateBy = detections.some(isSegment) ? 'SEGMENTS' : 'TIMESTAMPS';
  const sampleIntervalMs = options.sampleIntervalMs ?? inferSampleIntervalMs(detections.map((detection) => detection.Timestamp ?? 0));
  const videoDurationMs = response.VideoMetadata?.DurationMillis ?? Number.POSITIVE_INFINITY;
  const byName = new Map<string, LabelDetection[]>();
  for (const detection of detections) {
    const name = detection.Label?.Name as string;
    byName.set(name, [...(byName.get(name) ?? []), detection]);
  }
  const labels = [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, ofLabel]): ResultLabel => {
      const byTime = [...ofLabel].sort((a, b) => (a.Timestamp ?? 0) - (b.Timestamp ?? 0));
      const occurrences = aggregateBy === 'TIMESTAMPS' ? byTime.map(occurrenceOf) : [];
      const first = byTime[0]?.Label;
      return {
        name,
        parents: (first?.Parents ?? []).flatMap((parent) => (parent.Name ? [parent.Name] : [])),
        categories: (first?.Categories ?? []).flatMap((category) => (category.Name ? [category.Name] : [])),
        occurrences,
        segments: aggregateBy === 'SEGMENTS' ? byTime.map(segmentOf) : toSegments(occurrences, { sampleIntervalMs, videoDurationMs }),
      };
    });
  return {
    videoMetadata: response.VideoMetadata ?? {},
    ...(response.LabelModelVersion ? { labelModelVersion: response.LabelModelVersion } : {}),
    aggregateBy,
    sampleIntervalMs,
    labels,
  };
}
