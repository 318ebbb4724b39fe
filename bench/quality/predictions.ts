/**
 * The two predictions that are scored against ground truth, both on the analysed timeline:
 * the tracker's output as a user reads it (GetLabelDetection), and the detector's raw per-frame
 * detections with no tracking. Both are cut into segments by the pipeline's own segmenter, so any
 * difference between them is the tracker's doing.
 */
import type { GetLabelDetectionResponse } from '@aws-sdk/client-rekognition';
import { toSegments } from '../../src/response/index.js';
import type { FrameDetections } from '../../src/types.js';
import type { Interval, LabelView } from './metrics.js';

/** A label seen at one analysed timestamp. */
export interface SeenLabel {
  timestampMs: number;
  confidence: number;
  instanceCount: number;
}

/** Presence and counts at every analysed timestamp, given where the label was seen. */
export function toLabelView(analysedTimestampsMs: readonly number[], seen: readonly SeenLabel[], segments: Interval[]): LabelView {
  const countAt = new Map(seen.map((sighting) => [sighting.timestampMs, sighting.instanceCount]));
  const counts = analysedTimestampsMs.map((timestampMs) => countAt.get(timestampMs) ?? 0);
  return {
    present: analysedTimestampsMs.map((timestampMs) => countAt.has(timestampMs)),
    counts,
    segments,
  };
}

/** Where a label was seen, from a GetLabelDetection response aggregated by TIMESTAMPS. */
export const labelSightings = (byTimestamps: GetLabelDetectionResponse, labelName: string): SeenLabel[] =>
  (byTimestamps.Labels ?? [])
    .filter((detection) => detection.Label?.Name === labelName)
    .map((detection) => ({
      timestampMs: detection.Timestamp ?? 0,
      confidence: detection.Label?.Confidence ?? 0,
      instanceCount: detection.Label?.Instances?.length ?? 0,
    }));

/** A label's segments, from a GetLabelDetection response aggregated by SEGMENTS. */
export const labelSegments = (bySegments: GetLabelDetectionResponse, labelName: string): Interval[] =>
  (bySegments.Labels ?? [])
    .filter((detection) => detection.Label?.Name === labelName)
    .map((detection) => ({ startMs: detection.StartTimestampMillis ?? 0, endMs: detection.EndTimestampMillis ?? 0 }))
    .sort((a, b) => a.startMs - b.startMs);

/**
 * Where anything at all was reported, whatever its label: the timestamps of a GetLabelDetection
 * response aggregated by TIMESTAMPS, each with its number of instance boxes (parent labels have none).
 */
export function anySightings(byTimestamps: GetLabelDetectionResponse): SeenLabel[] {
  const byTimestamp = new Map<number, SeenLabel>();
  for (const detection of byTimestamps.Labels ?? []) {
    const timestampMs = detection.Timestamp ?? 0;
    const seen = byTimestamp.get(timestampMs) ?? { timestampMs, confidence: 0, instanceCount: 0 };
    seen.confidence = Math.max(seen.confidence, detection.Label?.Confidence ?? 0);
    seen.instanceCount += detection.Label?.Instances?.length ?? 0;
    byTimestamp.set(timestampMs, seen);
  }
  return [...byTimestamp.values()].sort((a, b) => a.timestampMs - b.timestampMs);
}

/**
 * Where a label was seen without a tracker: a frame shows the label when any detection of a class
 * it stands for (`isOfLabel`) is at least `minConfidence` confident, and every such detection is one
 * instance.
 */
export function rawSightings(frames: readonly FrameDetections[], isOfLabel: (className: string) => boolean, minConfidence: number): SeenLabel[] {
  return frames.flatMap((frame) => {
    const confident = frame.detections.filter((detection) => detection.confidence >= minConfidence && isOfLabel(detection.className));
    if (confident.length === 0) return [];
    return [
      {
        timestampMs: Math.round(frame.timestampMs),
        confidence: confident.reduce((highest, detection) => Math.max(highest, detection.confidence), 0),
        instanceCount: confident.length,
      },
    ];
  });
}

/** Raw sightings cut into segments exactly as the pipeline cuts tracked ones. */
export const rawSegments = (seen: readonly SeenLabel[], sampleIntervalMs: number, videoDurationMs: number): Interval[] =>
  toSegments(seen, { sampleIntervalMs, videoDurationMs }).map((segment) => ({
    startMs: segment.startTimestampMs,
    endMs: segment.endTimestampMs,
  }));
