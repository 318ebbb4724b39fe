/**
 * The few lines `detect` ends with on a terminal: what was found, when, how many at once, and how
 * fast. Pure: built from the responses the command prints, so it says what the JSON says.
 */
import type { GetLabelDetectionResponse } from '@aws-sdk/client-rekognition';

export interface RunFacts {
  backend: string;
  framesPerSecond: number;
}

/** Segments listed per label before the rest are counted. */
export const SEGMENTS_SHOWN = 4;

const seconds = (ms: number | undefined): string => ((ms ?? 0) / 1000).toFixed(1);

/**
 * One line per label, in name order: its segments (start–end, in seconds), and the most instances
 * seen at one timestamp (parent labels have no instances of their own).
 */
export function summaryLines(bySegments: GetLabelDetectionResponse, byTimestamps: GetLabelDetectionResponse, run: RunFacts): string[] {
  const segments = new Map<string, string[]>();
  for (const detection of bySegments.Labels ?? []) {
    const name = detection.Label?.Name ?? '';
    segments.set(name, [...(segments.get(name) ?? []), `${seconds(detection.StartTimestampMillis)}-${seconds(detection.EndTimestampMillis)}`]);
  }
  const mostAtOnce = new Map<string, number>();
  for (const detection of byTimestamps.Labels ?? []) {
    const name = detection.Label?.Name ?? '';
    mostAtOnce.set(name, Math.max(mostAtOnce.get(name) ?? 0, detection.Label?.Instances?.length ?? 0));
  }
  const names = [...segments.keys()].sort();
  const width = Math.max(0, ...names.map((name) => name.length));
  const duration = seconds(bySegments.VideoMetadata?.DurationMillis);
  const head = `summary: ${names.length === 0 ? 'no label' : `${names.length} label${names.length === 1 ? '' : 's'}`} in ${duration} s of video; backend ${run.backend}, ${run.framesPerSecond.toFixed(2)} frames/s`;
  return [
    head,
    ...names.map((name) => {
      const all = segments.get(name) ?? [];
      const listed = all.slice(0, SEGMENTS_SHOWN).join(', ') + (all.length > SEGMENTS_SHOWN ? ` and ${all.length - SEGMENTS_SHOWN} more` : '');
      const most = mostAtOnce.get(name) ?? 0;
      return `  ${name.padEnd(width)}  ${listed} s${most > 0 ? `  (up to ${most} at once)` : ''}`;
    }),
  ];
}
