import { describe, expect, it } from 'vitest';
import { DEFAULT_SEGMENT_GAP_TOLERANCE_MS, toLabelDetections, toSegments } from '../../src/response/index.js';
import type { LabelTimeline } from '../../src/types.js';
import { label, seen, timeline } from './fixtures.js';

const at = (...timestamps: number[]) => timestamps.map((timestampMs) => seen(timestampMs, 80));
const spans = (segments: { startTimestampMs: number; endTimestampMs: number }[]) =>
  segments.map((segment) => [segment.startTimestampMs, segment.endTimestampMs]);
const everySecond = { sampleIntervalMs: 1000, videoDurationMs: 60_000 };

describe('toSegments', () => {
  it('defaults the gap tolerance to one second', () => {
    expect(DEFAULT_SEGMENT_GAP_TOLERANCE_MS).toBe(1000);
  });

  it('turns consecutive samples into one segment ending one interval after the last sample', () => {
    expect(toSegments(at(0, 1000, 2000), everySecond)).toEqual([
      { startTimestampMs: 0, endTimestampMs: 3000, durationMs: 3000, confidence: 80 },
    ]);
  });

  it('bridges an absence as long as the tolerance', () => {
    // The 2000 sample is missing: absent from 2000 to 3000, exactly the 1000 ms tolerance.
    expect(spans(toSegments(at(0, 1000, 3000), everySecond))).toEqual([[0, 4000]]);
  });

  it('splits at an absence longer than the tolerance', () => {
    // Absent from 2000 to 3500: 1500 ms.
    expect(spans(toSegments(at(0, 1000, 3500), everySecond))).toEqual([
      [0, 2000],
      [3500, 4500],
    ]);
  });

  it('honours a custom tolerance', () => {
    const strict = { ...everySecond, gapToleranceMs: 0 };
    expect(spans(toSegments(at(0, 1000, 3000), strict))).toEqual([
      [0, 2000],
      [3000, 4000],
    ]);
    const lenient = { ...everySecond, gapToleranceMs: 5000 };
    // Absent from 1000 to 6000: exactly the 5000 ms tolerance.
    expect(spans(toSegments(at(0, 6000), lenient))).toEqual([[0, 7000]]);
  });

  it('gives a single sample the duration of one sample interval', () => {
    expect(toSegments(at(5000), { sampleIntervalMs: 200, videoDurationMs: 60_000 })).toEqual([
      { startTimestampMs: 5000, endTimestampMs: 5200, durationMs: 200, confidence: 80 },
    ]);
  });

  it('ends no segment after the end of the video', () => {
    expect(toSegments(at(8000, 9000, 9500), { sampleIntervalMs: 1000, videoDurationMs: 9800 })).toEqual([
      { startTimestampMs: 8000, endTimestampMs: 9800, durationMs: 1800, confidence: 80 },
    ]);
  });

  it('reports the highest confidence within each segment', () => {
    const occurrences = [seen(0, 60), seen(1000, 90), seen(2000, 70), seen(9000, 55), seen(10_000, 65)];
    expect(toSegments(occurrences, everySecond).map((segment) => segment.confidence)).toEqual([90, 65]);
  });

  it('reports whole milliseconds when samples fall between them', () => {
    const interval = 1000 / 29.97;
    const occurrences = at(0, interval, 2 * interval);
    // Ends at 3 * 33.3667 = 100.1 ms.
    expect(toSegments(occurrences, { sampleIntervalMs: interval, videoDurationMs: 60_000 })).toEqual([
      { startTimestampMs: 0, endTimestampMs: 100, durationMs: 100, confidence: 80 },
    ]);
  });

  it('returns no segment for no occurrence', () => {
    expect(toSegments([], everySecond)).toEqual([]);
  });
});

describe('segments of parent labels', () => {
  // A parent occurs wherever any of its children occurs, as the taxonomy stage builds it.
  const withParent = (children: LabelTimeline[]): LabelTimeline[] => {
    const timestamps = [...new Set(children.flatMap((child) => child.occurrences.map((o) => o.timestampMs)))];
    const parent = timeline(
      label('Animal'),
      timestamps.sort((a, b) => a - b).map((timestampMs) => seen(timestampMs, 80)),
    );
    return [parent, ...children];
  };
  const segmentsByName = (timelines: LabelTimeline[]) => {
    const detections = toLabelDetections(timelines, { ...everySecond, aggregateBy: 'SEGMENTS', sortBy: 'NAME' });
    const byName = new Map<string, number[][]>();
    for (const detection of detections) {
      const name = detection.Label?.Name ?? '';
      const segments = byName.get(name) ?? [];
      segments.push([detection.StartTimestampMillis ?? -1, detection.EndTimestampMillis ?? -1]);
      byName.set(name, segments.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)));
    }
    return Object.fromEntries(byName);
  };

  it('are the union of its children’s segments when the children are apart', () => {
    const dog = timeline(label('Dog', { parents: ['Animal'] }), at(0, 1000));
    const cat = timeline(label('Cat', { parents: ['Animal'] }), at(5000, 6000));
    expect(segmentsByName(withParent([dog, cat]))).toEqual({
      Animal: [
        [0, 2000],
        [5000, 7000],
      ],
      Cat: [[5000, 7000]],
      Dog: [[0, 2000]],
    });
  });

  it('merge where the children’s segments overlap', () => {
    const dog = timeline(label('Dog', { parents: ['Animal'] }), at(0, 1000, 2000));
    const cat = timeline(label('Cat', { parents: ['Animal'] }), at(1000, 2000, 3000, 4000));
    expect(segmentsByName(withParent([dog, cat]))).toEqual({
      Animal: [[0, 5000]],
      Cat: [[1000, 5000]],
      Dog: [[0, 3000]],
    });
  });
});
