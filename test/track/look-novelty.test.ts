import { describe, expect, it } from 'vitest';
import { CELL_CHANGE_THRESHOLD, frameThumbnail } from '../../src/picture.js';
import { lookNovelty, lookWeight } from '../../src/track/temporal-confidence.js';
import { trackObjects } from '../../src/track/index.js';
import type { FrameThumbnail } from '../../src/types.js';

/** A `columns` x `rows` thumbnail at one grey level. */
const flat = (grey: number, columns = 10, rows = 10): FrameThumbnail => ({ columns, rows, luma: new Uint8Array(columns * rows).fill(grey) });

/** A copy of `thumbnail` with the cells of columns [c0, c1) x rows [r0, r1) set to `grey`. */
const painted = (thumbnail: FrameThumbnail, [c0, c1]: [number, number], [r0, r1]: [number, number], grey: number): FrameThumbnail => {
  const luma = Uint8Array.from(thumbnail.luma);
  for (let row = r0; row < r1; row += 1) for (let column = c0; column < c1; column += 1) luma[row * thumbnail.columns + column] = grey;
  return { ...thumbnail, luma };
};

const leftHalf = { left: 0, top: 0, width: 0.5, height: 1 };

describe('lookNovelty', () => {
  it('is 0 for an unchanged picture and 1 for a box whose every cell changed', () => {
    expect(lookNovelty(flat(100), flat(100), leftHalf)).toBe(0);
    expect(lookNovelty(flat(100), flat(200), leftHalf)).toBe(1);
  });

  it('counts only the cells under the box', () => {
    const before = flat(100);
    const rightChanged = painted(before, [5, 10], [0, 10], 200);
    expect(lookNovelty(before, rightChanged, leftHalf)).toBe(0);
    // A quarter of the left half (columns 0-4, rows 0-4 of 0-9... here 5 x 5 of 5 x 10 cells) changed.
    const cornerChanged = painted(before, [0, 5], [0, 5], 200);
    expect(lookNovelty(before, cornerChanged, leftHalf)).toBe(0.5);
  });

  it('ignores grey-level changes up to the noise threshold', () => {
    expect(lookNovelty(flat(100), flat(100 + CELL_CHANGE_THRESHOLD), leftHalf)).toBe(0);
    expect(lookNovelty(flat(100), flat(100 + CELL_CHANGE_THRESHOLD + 1), leftHalf)).toBe(1);
  });

  it('looks at the cell under the centre of a box smaller than a cell', () => {
    const before = flat(100);
    const tiny = { left: 0.51, top: 0.31, width: 0.02, height: 0.02 };
    expect(lookNovelty(before, painted(before, [5, 6], [3, 4], 200), tiny)).toBe(1);
    expect(lookNovelty(before, painted(before, [4, 5], [3, 4], 200), tiny)).toBe(0);
  });

  it('is 1 when there is nothing to compare with', () => {
    expect(lookNovelty(undefined, flat(100), leftHalf)).toBe(1);
    expect(lookNovelty(flat(100), undefined, leftHalf)).toBe(1);
    expect(lookNovelty(flat(100, 10, 10), flat(100, 10, 5), leftHalf)).toBe(1);
  });
});

describe('lookWeight', () => {
  it('goes from the repeated-look weight (no change) to 1 (all changed)', () => {
    expect(lookWeight(0, 0.2)).toBe(0.2);
    expect(lookWeight(1, 0.2)).toBe(1);
    expect(lookWeight(0.5, 0.2)).toBeCloseTo(0.6, 12);
  });
});

describe('frameThumbnail', () => {
  it('keeps the frame shape at 64 columns, cells of whole grey levels', () => {
    const [width, height] = [910, 512];
    const pixels = new Uint8Array(width * height * 3).fill(77);
    const { columns, rows, luma } = frameThumbnail(pixels, width, height);
    expect([columns, rows]).toEqual([64, 36]);
    expect(luma).toHaveLength(64 * 36);
    expect(luma.every((grey) => grey === 77)).toBe(true);
  });

  it('puts a bright square where it is in the frame', () => {
    const [width, height] = [640, 360];
    const pixels = new Uint8Array(width * height * 3);
    for (let y = 0; y < 90; y += 1) for (let x = 320; x < 480; x += 1) pixels.fill(255, (y * width + x) * 3, (y * width + x) * 3 + 3);
    const { columns, luma } = frameThumbnail(pixels, width, height);
    expect(luma[0 * columns + 40]).toBe(255); // top, right of centre
    expect(luma[0 * columns + 10]).toBe(0);
    expect(luma[20 * columns + 40]).toBe(0);
  });

  it('never makes cells smaller than 2 pixels on a tiny frame', () => {
    const { columns, rows } = frameThumbnail(new Uint8Array(20 * 10 * 3), 20, 10);
    expect([columns, rows]).toEqual([10, 5]);
  });
});

describe('a detection that comes and goes at one place', () => {
  // Seen for 2 frames, gone for 6 (longer than the tracker keeps a lost track), seen again, and so
  // on: five visits, each a new track.
  const box = { left: 0.7, top: 0.7, width: 0.15, height: 0.15 };
  const framesOf = (confidenceAt: (visit: number) => number, picture: (index: number) => FrameThumbnail) =>
    Array.from({ length: 40 }, (_, index) => ({
      timestampMs: index * 500,
      detections: index % 8 < 2 ? [{ box, className: 'hand', score: 0.5, confidence: confidenceAt(Math.floor(index / 8)) }] : [],
      thumbnail: picture(index),
    }));
  /** The timestamps at which the tracker reports it at 50 or more. */
  const reportedAt = (frames: ReturnType<typeof framesOf>) => trackObjects(frames).filter((frame) => frame.objects.some((object) => object.confidence >= 50)).map((frame) => frame.timestampMs);
  const unchanged = () => flat(100);
  const changedEachVisit = (index: number) => flat(Math.floor(index / 8) % 2 === 0 ? 60 : 160);
  const everyVisit = [0, 500, 4000, 4500, 8000, 8500, 12000, 12500, 16000, 16500];

  it('is no surer for coming back to pixels it already saw: a still mistake first seen at 30, then at 50, is never reported', () => {
    // As one long track would: 10 looks at the same pixels count as 1.45 looks, at most 43. Were
    // each return a new track with a new first look, every return would be reported at 51.7.
    expect(reportedAt(framesOf((visit) => (visit === 0 ? 30 : 50), unchanged))).toEqual([]);
  });

  it('is as sure when it shows again as when it went: a still bottle at 60 hidden and shown again is reported at every visit', () => {
    // A first look at 60 and a repeated one: 61.5, carried over to every return and growing slowly.
    expect(reportedAt(framesOf(() => 60, unchanged))).toEqual(everyVisit);
  });

  it('is a new look at every visit when the picture there changed in between', () => {
    expect(reportedAt(framesOf((visit) => (visit === 0 ? 30 : 50), changedEachVisit))).toEqual(everyVisit.slice(2));
  });
});
