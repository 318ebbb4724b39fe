import { describe, expect, it } from 'vitest';
import { CROWD_SIZE, groupsAmong } from '../../src/people/index.js';
import { labelTimelinesOf } from '../../src/pipeline.js';
import type { TrackedObject } from '../../src/types.js';

const person = (trackId: number, left: number, confidence: number, height = 0.4): TrackedObject => ({ trackId, className: 'person', box: { left, top: 0.2, width: 0.05, height }, confidence });

describe('group labels', () => {
  it('People holds for two or more persons, as sure as the second surest', () => {
    expect(groupsAmong([person(1, 0.1, 95)])).toEqual([]);
    expect(groupsAmong([person(1, 0.1, 95), person(2, 0.5, 70), person(3, 0.8, 60)])).toEqual([{ className: 'people', confidence: 70 }]);
  });

  it('does not count a person box lying inside a surer one twice', () => {
    const whole = person(1, 0.1, 95);
    const upperHalf: TrackedObject = { ...person(2, 0.1, 80), box: { left: 0.1, top: 0.2, width: 0.05, height: 0.2 } };
    expect(groupsAmong([whole, upperHalf])).toEqual([]);
  });

  it(`Crowd holds from ${CROWD_SIZE} persons`, () => {
    const many = Array.from({ length: CROWD_SIZE }, (_, index) => person(index + 1, index * 0.09, 90 - index));
    expect(groupsAmong(many.slice(0, CROWD_SIZE - 1)).map((group) => group.className)).toEqual(['people']);
    expect(groupsAmong(many)).toEqual([
      { className: 'people', confidence: 89 },
      { className: 'crowd', confidence: 90 - (CROWD_SIZE - 1) },
    ]);
  });

  it('People is a label with Person as parent and no instances', () => {
    const detections = [0.1, 0.6].map((left) => ({ box: { left, top: 0.2, width: 0.1, height: 0.5 }, className: 'person', score: 0.9, confidence: 90 }));
    const frames = Array.from({ length: 5 }, (_, index) => ({ timestampMs: index * 500, detections }));
    const people = labelTimelinesOf(frames).find((timeline) => timeline.label.name === 'People');
    expect(people?.label.parents).toEqual(['Person']);
    expect(people?.occurrences).toHaveLength(5);
    expect(people?.occurrences.every((occurrence) => occurrence.instances.length === 0)).toBe(true);
  });
});
