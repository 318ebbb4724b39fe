import { describe, expect, it } from 'vitest';
import { toLabelDetections, type LabelDetectionOptions } from '../../src/response/index.js';
import type { LabelDetection } from '@aws-sdk/client-rekognition';
import { box, label, seen, timeline } from './fixtures.js';

const options = (overrides: Partial<LabelDetectionOptions> = {}): LabelDetectionOptions => ({
  aggregateBy: 'TIMESTAMPS',
  sortBy: 'TIMESTAMP',
  sampleIntervalMs: 1000,
  videoDurationMs: 10_000,
  ...overrides,
});
const keys = (detections: LabelDetection[]) =>
  detections.map((detection) => `${detection.Label?.Name}@${detection.Timestamp}:${detection.Label?.Confidence}`);

const car = label('Car', { parents: ['Vehicle', 'Transportation'], aliases: ['Automobile'], categories: ['Vehicles and Automotive'] });
const vehicle = label('Vehicle', { parents: ['Transportation'], categories: ['Vehicles and Automotive'] });

describe('toLabelDetections: TIMESTAMPS', () => {
  it('emits the SDK shape with instances, parents, aliases and categories', () => {
    const carAtOneSecond = timeline(car, [
      { timestampMs: 1000, confidence: 97.5, instances: [{ box: box(0.36, 0.09, 0.27, 0.86), confidence: 96 }] },
    ]);
    expect(toLabelDetections([carAtOneSecond], options())).toStrictEqual([
      {
        Timestamp: 1000,
        Label: {
          Name: 'Car',
          Confidence: 97.5,
          Instances: [{ BoundingBox: { Width: 0.27, Height: 0.86, Left: 0.36, Top: 0.09 }, Confidence: 96 }],
          Parents: [{ Name: 'Vehicle' }, { Name: 'Transportation' }],
          Aliases: [{ Name: 'Automobile' }],
          Categories: [{ Name: 'Vehicles and Automotive' }],
        },
      },
    ]);
  });

  it('gives parent labels an empty Instances list', () => {
    const [detection] = toLabelDetections([timeline(vehicle, [seen(0, 90)])], options());
    expect(detection?.Label?.Instances).toEqual([]);
    expect(detection?.Label?.Parents).toEqual([{ Name: 'Transportation' }]);
  });

  it('emits one element per label per timestamp, whole milliseconds', () => {
    const detections = toLabelDetections([timeline(car, [seen(0, 90), seen(33.4, 91), seen(66.7, 92)])], options());
    expect(detections.map((detection) => detection.Timestamp)).toEqual([0, 33, 67]);
  });
});

describe('toLabelDetections: SEGMENTS', () => {
  const carLabelWithoutInstances = (confidence: number) => ({
    Name: 'Car',
    Confidence: confidence,
    Parents: [{ Name: 'Vehicle' }, { Name: 'Transportation' }],
    Aliases: [{ Name: 'Automobile' }],
    Categories: [{ Name: 'Vehicles and Automotive' }],
  });
  const segmented = toLabelDetections(
    [timeline(car, [seen(2000, 70, [70]), seen(3000, 88, [88]), seen(7000, 60, [60])])],
    options({ aggregateBy: 'SEGMENTS' }),
  );

  it('emits one element per segment with start, end and duration, Timestamp equal to the start', () => {
    expect(segmented).toStrictEqual([
      {
        Timestamp: 2000,
        Label: carLabelWithoutInstances(88),
        StartTimestampMillis: 2000,
        EndTimestampMillis: 4000,
        DurationMillis: 2000,
      },
      {
        Timestamp: 7000,
        Label: carLabelWithoutInstances(60),
        StartTimestampMillis: 7000,
        EndTimestampMillis: 8000,
        DurationMillis: 1000,
      },
    ]);
  });

  it('carries no Instances key at all', () => {
    expect(segmented.every((detection) => detection.Label && !('Instances' in detection.Label))).toBe(true);
  });
});

describe('toLabelDetections: sorting', () => {
  const person = timeline(label('Person'), [seen(0, 99), seen(1000, 80), seen(2000, 95)]);
  const dog = timeline(label('Dog'), [seen(1000, 70), seen(2000, 85)]);
  const bicycle = timeline(label('Bicycle'), [seen(2000, 85), seen(3000, 85)]);

  it('TIMESTAMP orders by time, then by label name', () => {
    expect(keys(toLabelDetections([person, dog, bicycle], options({ sortBy: 'TIMESTAMP' })))).toEqual([
      'Person@0:99',
      'Dog@1000:70',
      'Person@1000:80',
      'Bicycle@2000:85',
      'Dog@2000:85',
      'Person@2000:95',
      'Bicycle@3000:85',
    ]);
  });

  it('NAME groups by label name, highest confidence first, equal confidences by time', () => {
    expect(keys(toLabelDetections([person, dog, bicycle], options({ sortBy: 'NAME' })))).toEqual([
      'Bicycle@2000:85',
      'Bicycle@3000:85',
      'Dog@2000:85',
      'Dog@1000:70',
      'Person@0:99',
      'Person@2000:95',
      'Person@1000:80',
    ]);
  });

  it('NAME sorts segments by confidence within a label', () => {
    const flickering = timeline(label('Cup'), [seen(0, 60), seen(5000, 90), seen(9000, 75)]);
    const detections = toLabelDetections([flickering, dog], options({ sortBy: 'NAME', aggregateBy: 'SEGMENTS' }));
    expect(keys(detections)).toEqual(['Cup@5000:90', 'Cup@9000:75', 'Cup@0:60', 'Dog@1000:85']);
  });

  it('does not depend on the order of its input', () => {
    for (const sortBy of ['TIMESTAMP', 'NAME'] as const) {
      const forwards = toLabelDetections([person, dog, bicycle], options({ sortBy }));
      const backwards = toLabelDetections([bicycle, dog, person], options({ sortBy }));
      expect(backwards).toEqual(forwards);
    }
  });
});
