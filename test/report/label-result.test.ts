import { describe, expect, it } from 'vitest';
import { inferSampleIntervalMs, readLabelResult } from '../../src/report/label-result.js';
import { carResponse, parentAt } from './fixtures.js';

describe('inferSampleIntervalMs', () => {
  it('takes the typical gap, so a label absent from some samples does not widen it', () => {
    expect(inferSampleIntervalMs([0, 500, 1000, 1500, 4000, 4500])).toBe(500);
  });

  it('ignores repeated timestamps (several labels at one sample)', () => {
    expect(inferSampleIntervalMs([0, 0, 1000, 1000, 2000])).toBe(1000);
  });
});

describe('readLabelResult', () => {
  it('groups a TIMESTAMPS response per label, keeping every box instance with its time', () => {
    const result = readLabelResult(carResponse());
    expect(result.aggregateBy).toBe('TIMESTAMPS');
    expect(result.sampleIntervalMs).toBe(500);
    expect(result.labels.map((label) => label.name)).toEqual(['Car', 'Transportation', 'Vehicle']);
    const car = result.labels[0]!;
    expect(car.parents).toEqual(['Vehicle', 'Transportation']);
    expect(car.occurrences.map((occurrence) => [occurrence.timestampMs, occurrence.instances.length])).toEqual([
      [1000, 1],
      [1500, 2],
      [2000, 1],
      [6000, 1],
    ]);
    expect(car.occurrences[0]!.instances[0]!.box).toEqual({ left: 0.1, top: 0.2, width: 0.3, height: 0.4 });
  });

  it('computes segments: 1.0-2.5 s (three samples of 500 ms) and 6.0-6.5 s, split by the 3.5 s absence', () => {
    const car = readLabelResult(carResponse()).labels[0]!;
    expect(car.segments.map((segment) => [segment.startTimestampMs, segment.endTimestampMs, segment.confidence])).toEqual([
      [1000, 2500, 90],
      [6000, 6500, 80],
    ]);
  });

  it('uses a known sample interval instead of guessing one', () => {
    const car = readLabelResult(carResponse(), { sampleIntervalMs: 250 }).labels[0]!;
    expect(car.segments[0]!.endTimestampMs).toBe(2250);
  });

  it('reads a SEGMENTS response as it is, with no instances', () => {
    const response = {
      JobStatus: 'SUCCEEDED' as const,
      VideoMetadata: { DurationMillis: 10_000 },
      Labels: [{ ...parentAt('Vehicle', 1000, 70), StartTimestampMillis: 1000, EndTimestampMillis: 4000, DurationMillis: 3000 }],
    };
    const result = readLabelResult(response);
    expect(result.aggregateBy).toBe('SEGMENTS');
    expect(result.labels[0]!.segments).toEqual([{ startTimestampMs: 1000, endTimestampMs: 4000, durationMs: 3000, confidence: 70 }]);
    expect(result.labels[0]!.occurrences).toEqual([]);
  });

  it('refuses a job that did not succeed, naming its status', () => {
    expect(() => readLabelResult({ JobStatus: 'FAILED', StatusMessage: 'decoding failed' })).toThrow(/JobStatus: the result is FAILED \(decoding failed\)/);
  });

  it('refuses JSON that is not a GetLabelDetection response', () => {
    expect(() => readLabelResult({} as never)).toThrow(expect.objectContaining({ name: 'InvalidParameterException', message: expect.stringMatching(/^Labels:/) }));
  });
});
