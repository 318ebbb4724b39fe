import { describe, expect, it } from 'vitest';
import { matchDetectionsToTracks } from '../../src/track/association.js';
import { iou } from '../../src/geometry.js';

const box = (left: number, top: number, width = 0.2, height = 0.2) => ({ left, top, width, height });

describe('iou', () => {
  it('is 1 for identical boxes and 0 for disjoint or merely touching ones', () => {
    expect(iou(box(0.1, 0.1), box(0.1, 0.1))).toBeCloseTo(1, 12);
    expect(iou(box(0, 0), box(0.5, 0.5))).toBe(0);
    expect(iou(box(0, 0), box(0.2, 0))).toBe(0);
  });

  it('divides the overlap by the union', () => {
    // Shifted by half a width: overlap 0.1 x 0.2 = 0.02, union 0.04 + 0.04 - 0.02 = 0.06.
    expect(iou(box(0, 0), box(0.1, 0))).toBeCloseTo(1 / 3, 12);
    // A 0.2 box inside a 0.4 box: 0.04 / 0.16.
    expect(iou(box(0, 0, 0.4, 0.4), box(0.1, 0.1))).toBeCloseTo(0.25, 12);
  });
});

describe('matchDetectionsToTracks', () => {
  const person = (left: number) => ({ box: box(left, 0.3), className: 'person' });
  const dog = (left: number) => ({ box: box(left, 0.3), className: 'dog' });

  it('never pairs different classes, even on the same box', () => {
    expect(matchDetectionsToTracks([person(0.1)], [dog(0.1)], 0.2)).toEqual([]);
  });

  it('pairs each object with its own class when classes share a box', () => {
    expect(matchDetectionsToTracks([person(0.1), dog(0.1)], [dog(0.1), person(0.1)], 0.2)).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('drops pairs below the IoU gate', () => {
    // Shifted by 3/4 of a width: IoU = 0.05 / 0.35 = 0.14 < 0.2; by half a width: 1/3 >= 0.2.
    expect(matchDetectionsToTracks([person(0.1)], [person(0.25)], 0.2)).toEqual([]);
    expect(matchDetectionsToTracks([person(0.1)], [person(0.2)], 0.2)).toEqual([[0, 0]]);
  });

  it('maximises total overlap rather than matching greedily', () => {
    // Boxes 0.2 wide; IoU is 0.6 for a 0.05 shift and 0.14 for a 0.15 shift. Greedy in track order
    // would give track 0 detection 0 (0.6) and leave track 1 with 0.14, below the gate; the optimum
    // gives track 0 detection 1 and track 1 detection 0, both at 0.6.
    expect(matchDetectionsToTracks([person(0.1), person(0.2)], [person(0.15), person(0.05)], 0.2)).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });
});
