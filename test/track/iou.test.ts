import { describe, expect, it } from 'vitest';
import { matchDetectionsToTracks } from '../../src/track/association.js';
import { bufferedBox, bufferedIou, iou } from '../../src/geometry.js';

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

describe('bufferedIou', () => {
  it('is the plain IoU at buffer 0', () => {
    expect(bufferedIou(box(0, 0), box(0.1, 0), 0)).toBe(iou(box(0, 0), box(0.1, 0)));
  });

  it('pushes each side out by the buffer times the box size, about the centre', () => {
    const buffered = bufferedBox(box(0.2, 0.4, 0.1, 0.2), 0.3);
    const expected = { left: 0.17, top: 0.34, width: 0.16, height: 0.32 };
    for (const key of ['left', 'top', 'width', 'height'] as const) expect(buffered[key]).toBeCloseTo(expected[key], 12);
  });

  it('still sees a small box that moved by more than its own width, where the IoU is 0', () => {
    // 0.04 wide, moved 0.05 to the right: disjoint. Buffered by 0.3 (0.064 wide each): overlap
    // 0.014 of 0.114 in x, same rows: 0.014 / 0.114 = 0.123.
    const [before, after] = [box(0.3, 0.1, 0.04, 0.1), box(0.35, 0.1, 0.04, 0.1)];
    expect(iou(before, after)).toBe(0);
    expect(bufferedIou(before, after, 0.3)).toBeCloseTo(0.014 / 0.114, 12);
  });

  it('keeps boxes apart whose gap is more than 0.6 of their size', () => {
    // 0.1 wide: a gap of 0.061 stays a gap after both grow 0.03 on each side; a gap of 0.059 does not.
    expect(bufferedIou(box(0, 0, 0.1, 0.1), box(0.161, 0, 0.1, 0.1), 0.3)).toBe(0);
    expect(bufferedIou(box(0, 0, 0.1, 0.1), box(0.159, 0, 0.1, 0.1), 0.3)).toBeGreaterThan(0);
  });

  it('ranks candidates of one size as the IoU does: the nearer overlaps more', () => {
    const track = box(0.3, 0.3);
    expect(bufferedIou(track, box(0.35, 0.3), 0.3)).toBeGreaterThan(bufferedIou(track, box(0.4, 0.3), 0.3));
  });
});

describe('matchDetectionsToTracks', () => {
  const plain = { minIou: 0.2, matchBuffer: 0 };
  const person = (left: number) => ({ box: box(left, 0.3), className: 'person' });
  const dog = (left: number) => ({ box: box(left, 0.3), className: 'dog' });

  it('never pairs different classes, even on the same box', () => {
    expect(matchDetectionsToTracks([person(0.1)], [dog(0.1)], plain)).toEqual([]);
  });

  it('pairs each object with its own class when classes share a box', () => {
    expect(matchDetectionsToTracks([person(0.1), dog(0.1)], [dog(0.1), person(0.1)], plain)).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('gates on the buffered IoU: a small walker half its width further on still matches', () => {
    // Measured on person-bicycle-car-detection.gif at 2 frames/s: IoU 0.168 from one frame to the next.
    const walker = (left: number, height: number) => ({ box: { left, top: 0, width: 0.036, height }, className: 'person' });
    const [track, detection] = [walker(0.331, 0.135), walker(0.353, 0.088)];
    expect(iou(track.box, detection.box)).toBeLessThan(0.2);
    expect(matchDetectionsToTracks([track], [detection], plain)).toEqual([]);
    expect(matchDetectionsToTracks([track], [detection], { minIou: 0.2, matchBuffer: 0.3 })).toEqual([[0, 0]]);
  });

  it('drops pairs below the IoU gate', () => {
    // Shifted by 3/4 of a width: IoU = 0.05 / 0.35 = 0.14 < 0.2; by half a width: 1/3 >= 0.2.
    expect(matchDetectionsToTracks([person(0.1)], [person(0.25)], plain)).toEqual([]);
    expect(matchDetectionsToTracks([person(0.1)], [person(0.2)], plain)).toEqual([[0, 0]]);
  });

  it('maximises total overlap rather than matching greedily', () => {
    // Boxes 0.2 wide; IoU is 0.6 for a 0.05 shift and 0.14 for a 0.15 shift. Greedy in track order
    // would give track 0 detection 0 (0.6) and leave track 1 with 0.14, below the gate; the optimum
    // gives track 0 detection 1 and track 1 detection 0, both at 0.6.
    expect(matchDetectionsToTracks([person(0.1), person(0.2)], [person(0.15), person(0.05)], plain)).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });
});
