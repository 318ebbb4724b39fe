import type { LabelOccurrence } from '../types.js';

/**
 * Absences up to this long inside a run of presence do not split a segment: a detector that misses
 * an object for a frame or two should not cut one continuous appearance into several.
 */
export const DEFAULT_SEGMENT_GAP_TOLERANCE_MS = 1000;

export interface SegmentOptions {
  /** Spacing of analysed timestamps: each sample stands for the interval until the next one. */
  sampleIntervalMs: number;
  /** Segments never extend past the end of the video. */
  videoDurationMs: number;
  /** Longest absence that is bridged; defaults to {@link DEFAULT_SEGMENT_GAP_TOLERANCE_MS}. */
  gapToleranceMs?: number;
}

/** One continuous appearance of a label, in whole milliseconds as GetLabelDetection reports them. */
export interface LabelSegment {
  startTimestampMs: number;
  endTimestampMs: number;
  durationMs: number;
  /** The highest confidence among the segment's occurrences (Rekognition reports the maximum). */
  confidence: number;
}

type TimedConfidence = Pick<LabelOccurrence, 'timestampMs' | 'confidence'>;

/**
 * Groups a label's occurrences (ascending by time) into segments. The absence between two
 * occurrences is the time from the end of the earlier sample's interval to the later timestamp.
 * A segment runs from its first timestamp to its last timestamp plus one sample interval, capped
 * at the video duration (but never before its own start).
 */
export const toSegments = (occurrences: readonly TimedConfidence[], options: SegmentOptions): LabelSegment[] => {
  const gapToleranceMs = options.gapToleranceMs ?? DEFAULT_SEGMENT_GAP_TOLERANCE_MS;
  const runs: TimedConfidence[][] = [];
  for (const occurrence of occurrences) {
    const run = runs.at(-1);
    const previous = run?.at(-1);
    const continuesRun =
      previous !== undefined &&
      occurrence.timestampMs - (previous.timestampMs + options.sampleIntervalMs) <= gapToleranceMs;
    if (run && continuesRun) run.push(occurrence);
    else runs.push([occurrence]);
  }
  return runs.map((run) => runToSegment(run, options));
};

const runToSegment = (run: TimedConfidence[], options: SegmentOptions): LabelSegment => {
  const first = run[0]!;
  const last = run.at(-1)!;
  const startTimestampMs = Math.round(first.timestampMs);
  const uncappedEndMs = last.timestampMs + options.sampleIntervalMs;
  const endTimestampMs = Math.max(startTimestampMs, Math.round(Math.min(uncappedEndMs, options.videoDurationMs)));
  return {
    startTimestampMs,
    endTimestampMs,
    durationMs: endTimestampMs - startTimestampMs,
    // reduce, not Math.max(...spread): a long run would overflow the argument list.
    confidence: run.reduce((highest, occurrence) => Math.max(highest, occurrence.confidence), -Infinity),
  };
};
