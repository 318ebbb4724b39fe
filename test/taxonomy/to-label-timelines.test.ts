import { describe, expect, it } from 'vitest';
import { parseTaxonomy, toLabelTimelines } from '../../src/taxonomy/index.js';
import type { Box, LabelTimeline, TrackedFrame, TrackedObject } from '../../src/types.js';

const entry = (parents: string[] = []) => ({ parents, aliases: [], categories: ['Vehicles and Automotive'] });

// Two classes (truck, pickup) share a label, and a class (vehicle) maps straight to an ancestor label.
const taxonomy = parseTaxonomy({
  version: 'test',
  source: 'hand-built for this test',
  classes: { car: 'Car', truck: 'Truck', pickup: 'Truck', vehicle: 'Vehicle', dog: 'Dog', person: 'Person' },
  labels: {
    Transportation: entry(),
    Vehicle: entry(['Transportation']),
    Car: entry(['Vehicle']),
    Truck: entry(['Vehicle']),
    Animal: entry(),
    Dog: entry(['Animal']),
    Person: entry(),
  },
});

const box = (left: number): Box => ({ left, top: 0.1, width: 0.2, height: 0.3 });

let nextTrackId = 1;
const object = (className: string, confidence: number, left = 0.5): TrackedObject => ({
  trackId: nextTrackId++,
  className,
  box: box(left),
  confidence,
});

const frame = (timestampMs: number, ...objects: TrackedObject[]): TrackedFrame => ({ timestampMs, objects });

const timelineOf = (timelines: LabelTimeline[], name: string): LabelTimeline => {
  const timeline = timelines.find((candidate) => candidate.label.name === name);
  if (timeline === undefined) throw new Error(`no timeline for ${name}`);
  return timeline;
};

describe('toLabelTimelines', () => {
  it('groups the tracked objects of a class as instances of its label, confidence = best instance', () => {
    const timelines = toLabelTimelines([frame(0, object('car', 80, 0.1), object('dog', 70), object('car', 90, 0.6))], taxonomy);
    expect(timelineOf(timelines, 'Car').occurrences).toEqual([
      {
        timestampMs: 0,
        confidence: 90,
        instances: [
          { box: box(0.1), confidence: 80 },
          { box: box(0.6), confidence: 90 },
        ],
      },
    ]);
    expect(timelineOf(timelines, 'Dog').occurrences).toEqual([
      { timestampMs: 0, confidence: 70, instances: [{ box: box(0.5), confidence: 70 }] },
    ]);
  });

  it('gives every ancestor its own occurrence without instances, as confident as its best descendant', () => {
    const timelines = toLabelTimelines([frame(0, object('car', 90), object('car', 80), object('dog', 70))], taxonomy);
    expect(timelineOf(timelines, 'Vehicle').occurrences).toEqual([{ timestampMs: 0, confidence: 90, instances: [] }]);
    expect(timelineOf(timelines, 'Transportation').occurrences).toEqual([{ timestampMs: 0, confidence: 90, instances: [] }]);
    expect(timelineOf(timelines, 'Animal').occurrences).toEqual([{ timestampMs: 0, confidence: 70, instances: [] }]);
  });

  it('merges an ancestor shared by several present labels into one occurrence per timestamp', () => {
    const timelines = toLabelTimelines([frame(500, object('truck', 85), object('car', 60))], taxonomy);
    expect(timelineOf(timelines, 'Vehicle').occurrences).toEqual([{ timestampMs: 500, confidence: 85, instances: [] }]);
    expect(timelineOf(timelines, 'Transportation').occurrences).toEqual([
      { timestampMs: 500, confidence: 85, instances: [] },
    ]);
  });

  it('merges classes that map to the same label into one occurrence', () => {
    const timelines = toLabelTimelines([frame(0, object('truck', 50, 0.1), object('pickup', 75, 0.7))], taxonomy);
    expect(timelineOf(timelines, 'Truck').occurrences).toEqual([
      {
        timestampMs: 0,
        confidence: 75,
        instances: [
          { box: box(0.1), confidence: 50 },
          { box: box(0.7), confidence: 75 },
        ],
      },
    ]);
  });

  it('keeps the own instances of a label that is also an ancestor, with confidence over both', () => {
    const timelines = toLabelTimelines([frame(0, object('car', 65), object('vehicle', 40))], taxonomy);
    expect(timelineOf(timelines, 'Vehicle').occurrences).toEqual([
      { timestampMs: 0, confidence: 65, instances: [{ box: box(0.5), confidence: 40 }] },
    ]);
  });

  it('orders timelines by label name and occurrences by time, whatever the frame order', () => {
    const timelines = toLabelTimelines(
      [frame(2000, object('dog', 60)), frame(0, object('car', 90)), frame(1000, object('dog', 50), object('car', 70))],
      taxonomy,
    );
    expect(timelines.map((timeline) => timeline.label.name)).toEqual([
      'Animal', 'Car', 'Dog', 'Transportation', 'Vehicle',
    ]);
    expect(timelineOf(timelines, 'Car').occurrences.map((o) => o.timestampMs)).toEqual([0, 1000]);
    expect(timelineOf(timelines, 'Dog').occurrences.map((o) => o.timestampMs)).toEqual([1000, 2000]);
    expect(timelineOf(timelines, 'Animal').occurrences.map((o) => [o.timestampMs, o.confidence])).toEqual([
      [1000, 50],
      [2000, 60],
    ]);
  });

  it('merges frames that share a timestamp', () => {
    const timelines = toLabelTimelines([frame(0, object('car', 55, 0.2)), frame(0, object('car', 45, 0.4))], taxonomy);
    expect(timelineOf(timelines, 'Car').occurrences).toEqual([
      {
        timestampMs: 0,
        confidence: 55,
        instances: [
          { box: box(0.2), confidence: 55 },
          { box: box(0.4), confidence: 45 },
        ],
      },
    ]);
  });

  it('produces nothing for frames without objects, and no timeline for labels never seen', () => {
    expect(toLabelTimelines([frame(0), frame(1000)], taxonomy)).toEqual([]);
    const names = toLabelTimelines([frame(0), frame(1000, object('dog', 80))], taxonomy).map((t) => t.label.name);
    expect(names).toEqual(['Animal', 'Dog']);
  });

  it('attaches the full label description: all ancestors, aliases and categories', () => {
    const [car] = toLabelTimelines([frame(0, object('car', 90))], taxonomy).filter((t) => t.label.name === 'Car');
    expect(car?.label).toEqual({
      name: 'Car',
      parents: ['Vehicle', 'Transportation'],
      aliases: [],
      categories: ['Vehicles and Automotive'],
    });
  });

  it('does not share boxes with its input', () => {
    const input = frame(0, object('car', 90));
    const [timeline] = toLabelTimelines([input], taxonomy).filter((t) => t.label.name === 'Car');
    const instanceBox = timeline?.occurrences[0]?.instances[0]?.box;
    expect(instanceBox).toEqual(input.objects[0]?.box);
    expect(instanceBox).not.toBe(input.objects[0]?.box);
  });

  it('throws a clear error for a class the taxonomy does not map', () => {
    expect(() => toLabelTimelines([frame(0, object('unicorn', 90))], taxonomy)).toThrow(
      /Detector class "unicorn" is not mapped/,
    );
  });
});
