import { describe, expect, it } from 'vitest';
import { dropRivalNames } from '../../src/taxonomy/index.js';
import type { Box, TrackedFrame, TrackedObject } from '../../src/types.js';

const tracked = (trackId: number, className: string, confidence: number, box: Box): TrackedObject => ({ trackId, className, confidence, box });
const at = (left: number, top = 0.4, width = 0.15, height = 0.3): Box => ({ left, top, width, height });
const namesOf = (frames: readonly TrackedFrame[]) => [...new Set(frames.flatMap((frame) => frame.objects.map((object) => object.className)))].sort();

describe('dropRivalNames (one name per object)', () => {
  it('keeps the name an object wore most: an overhead car called car, then cell phone, on the same moving box', () => {
    // Car at 60-85 in most frames, cell phone at 40-70 in some, always on the car's box as it drives right.
    const frames: TrackedFrame[] = [0.1, 0.2, 0.3, 0.4, 0.5].map((left, index) => ({
      timestampMs: index * 500,
      objects: [tracked(1, 'car', [60, 70, 75, 80, 85][index]!, at(left)), ...(index >= 1 && index <= 3 ? [tracked(2, 'cell phone', [40, 70, 55][index - 1]!, at(left + 0.01))] : [])],
    }));
    const kept = dropRivalNames(frames);
    expect(namesOf(kept)).toEqual(['car']);
    expect(kept.map((frame) => frame.objects.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('keeps two names on two objects side by side or one on top of the other: a bottle on a table, a cup beside a bowl', () => {
    const frames: TrackedFrame[] = [0, 500, 1000].map((timestampMs) => ({
      timestampMs,
      objects: [
        tracked(1, 'dining table', 55, { left: 0.1, top: 0.5, width: 0.8, height: 0.5 }),
        tracked(2, 'bottle', 90, { left: 0.45, top: 0.3, width: 0.06, height: 0.25 }),
        tracked(3, 'cup', 60, at(0.1, 0.4, 0.05, 0.05)),
        tracked(4, 'bowl', 70, at(0.16, 0.4, 0.06, 0.05)),
      ],
    }));
    expect(namesOf(dropRivalNames(frames))).toEqual(['bottle', 'bowl', 'cup', 'dining table']);
  });

  it('keeps two names that only cross once: a car passing behind a parked truck', () => {
    const frames: TrackedFrame[] = [0.1, 0.25, 0.4, 0.55, 0.7].map((left, index) => ({
      timestampMs: index * 500,
      objects: [tracked(1, 'truck', 80, at(0.4)), tracked(2, 'car', 50, at(left))],
    }));
    expect(namesOf(dropRivalNames(frames))).toEqual(['car', 'truck']);
  });

  it('never treats a person or a person\'s parts as a rival name: a cyclist on a bicycle, a hand on a phone', () => {
    const frames: TrackedFrame[] = [0, 500].map((timestampMs) => ({
      timestampMs,
      objects: [tracked(1, 'person', 60, at(0.3)), tracked(2, 'bicycle', 90, at(0.3, 0.45)), tracked(3, 'hand', 50, at(0.7, 0.4, 0.05, 0.05)), tracked(4, 'cell phone', 70, at(0.7, 0.4, 0.05, 0.05))],
    }));
    expect(namesOf(dropRivalNames(frames))).toEqual(['bicycle', 'cell phone', 'hand', 'person']);
  });

  it('compares evidence as the scene left it: a phone nobody holds (confidence 0) loses to the car under it however sure the model was', () => {
    const frames: TrackedFrame[] = [0, 500, 1000].map((timestampMs) => ({
      timestampMs,
      objects: [tracked(1, 'cell phone', 0, at(0.3)), tracked(2, 'car', 20, at(0.3))],
    }));
    expect(namesOf(dropRivalNames(frames))).toEqual(['car']);
  });

  it('returns the frames unchanged when there are no rivals', () => {
    const frames: TrackedFrame[] = [{ timestampMs: 0, objects: [tracked(1, 'bottle', 80, at(0.2))] }];
    expect(dropRivalNames(frames)).toEqual(frames);
  });
});
