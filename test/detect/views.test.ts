import { describe, expect, it } from 'vitest';
import {
  analysisFrameSize,
  analysisViews,
  boxInFrame,
  isCutByViewBorder,
  isWholeFrameOnly,
  mergeViewDetections,
  scoreByViewMean,
  MIN_TILE_OVERLAP,
  WHOLE_FRAME,
} from '../../src/detect/views.js';
import type { Box, Detection } from '../../src/types.js';

const input = { width: 512, height: 512 };
const detection = (className: string, score: number, box: Box): Detection => ({ className, score, confidence: score * 100, box });

describe('analysisFrameSize', () => {
  it('decodes untiled frames at the model input size, stretched', () => {
    expect(analysisFrameSize(640, 360, input, 'off')).toEqual({ width: 512, height: 512 });
  });

  it('keeps the aspect ratio with the short side at the input size when tiled', () => {
    expect(analysisFrameSize(640, 360, input, 'tiles')).toEqual({ width: 910, height: 512 });
    expect(analysisFrameSize(360, 640, input, 'tiles')).toEqual({ width: 512, height: 910 });
    expect(analysisFrameSize(480, 270, input, 'tiles')).toEqual({ width: 910, height: 512 });
  });

  it('does not tile near-square frames or frames of unknown size', () => {
    expect(analysisFrameSize(600, 540, input, 'tiles')).toEqual({ width: 512, height: 512 });
    expect(analysisFrameSize(0, 0, input, 'tiles')).toEqual({ width: 512, height: 512 });
  });
});

describe('analysisFrameSize, letterboxing model', () => {
  const letterboxed = { width: 640, height: 640, resize: 'letterbox' as const };
  it('decodes untiled frames at their own aspect ratio, fitted inside the input', () => {
    expect(analysisFrameSize(1280, 720, letterboxed, 'off')).toEqual({ width: 640, height: 360 });
    expect(analysisFrameSize(720, 1280, letterboxed, 'off')).toEqual({ width: 360, height: 640 });
    expect(analysisFrameSize(500, 500, letterboxed, 'off')).toEqual({ width: 640, height: 640 });
  });

  it('tiles as a stretching model does: the short side at the input', () => {
    expect(analysisFrameSize(1280, 720, letterboxed, 'tiles')).toEqual({ width: 1138, height: 640 });
  });
});

describe('analysisViews', () => {
  it('is the whole frame alone when untiled', () => {
    expect(analysisViews(512, 512, 'tiles')).toEqual([WHOLE_FRAME]);
    expect(analysisViews(910, 512, 'off')).toEqual([WHOLE_FRAME]);
  });

  it.each([
    [910, 512],
    [683, 512],
    [1820, 512],
    [512, 910],
    [3000, 512],
  ])('covers a %ix%i frame with square tiles overlapping by at least the minimum, from edge to edge', (width, height) => {
    const [whole, ...tiles] = analysisViews(width, height, 'tiles');
    expect(whole).toBe(WHOLE_FRAME);
    const landscape = width >= height;
    const start = (tile: Box) => (landscape ? tile.left : tile.top);
    const length = (tile: Box) => (landscape ? tile.width : tile.height);
    expect(tiles.length).toBeGreaterThanOrEqual(2);
    for (const tile of tiles) {
      // Square in pixels, spanning the short side.
      expect(tile.width * width).toBeCloseTo(tile.height * height, 6);
      expect(landscape ? tile.height : tile.width).toBe(1);
    }
    expect(start(tiles[0]!)).toBe(0);
    expect(start(tiles.at(-1)!) + length(tiles.at(-1)!)).toBeCloseTo(1, 9);
    for (let index = 1; index < tiles.length; index += 1) {
      const overlap = start(tiles[index - 1]!) + length(tiles[index - 1]!) - start(tiles[index]!);
      expect(overlap / length(tiles[index]!)).toBeGreaterThanOrEqual(MIN_TILE_OVERLAP - 1e-9);
    }
    // As few tiles as the overlap allows: one fewer would leave neighbours overlapping too little.
    const tileFraction = length(tiles[0]!);
    const fewer = tiles.length - 1;
    if (fewer >= 2) expect(1 - (1 - tileFraction) / (fewer - 1) / tileFraction).toBeLessThan(MIN_TILE_OVERLAP);
  });

  it('uses two tiles for 16:9 video', () => {
    expect(analysisViews(910, 512, 'tiles')).toHaveLength(3);
  });
});

describe('merging what the views saw', () => {
  const leftTile: Box = { left: 0, top: 0, width: 0.5625, height: 1 };
  const rightTile: Box = { left: 0.4375, top: 0, width: 0.5625, height: 1 };

  it('maps boxes from a view to the frame', () => {
    expect(boxInFrame({ left: 0.5, top: 0.25, width: 0.2, height: 0.5 }, rightTile)).toEqual({
      left: 0.4375 + 0.5 * 0.5625,
      top: 0.25,
      width: 0.2 * 0.5625,
      height: 0.5,
    });
  });

  it('calls a box cut only at view borders inside the frame', () => {
    const atRightBorder = { left: 0.8, top: 0.2, width: 0.2, height: 0.3 };
    const atLeftBorder = { left: 0, top: 0.2, width: 0.2, height: 0.3 };
    expect(isCutByViewBorder(atRightBorder, leftTile)).toBe(true);
    expect(isCutByViewBorder(atLeftBorder, leftTile)).toBe(false);
    expect(isCutByViewBorder(atLeftBorder, rightTile)).toBe(true);
    expect(isCutByViewBorder(atRightBorder, rightTile)).toBe(false);
    expect(isCutByViewBorder(atRightBorder, WHOLE_FRAME)).toBe(false);
  });

  it('keeps one box per object seen by several views, the best scored, in frame coordinates', () => {
    const inWhole = detection('bottle', 0.4, { left: 0.1, top: 0.3, width: 0.1, height: 0.4 });
    const inLeft = detection('bottle', 0.75, { left: 0.1 / 0.5625, top: 0.3, width: 0.1 / 0.5625, height: 0.4 });
    const merged = mergeViewDetections(
      [
        { view: WHOLE_FRAME, detections: [inWhole] },
        { view: leftTile, detections: [inLeft] },
        { view: rightTile, detections: [] },
      ],
      0.5,
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]!.score).toBe(0.75);
    expect(merged[0]!.box.left).toBeCloseTo(0.1, 9);
    expect(merged[0]!.box.width).toBeCloseTo(0.1, 9);
  });

  it('drops the half of an object a tile cuts, keeping the whole object from another view', () => {
    const whole = detection('car', 0.5, { left: 0.45, top: 0.4, width: 0.2, height: 0.2 });
    const cutInLeftTile = detection('car', 0.9, { left: (0.45 - 0) / 0.5625, top: 0.4, width: 1 - 0.45 / 0.5625, height: 0.2 });
    const merged = mergeViewDetections(
      [
        { view: WHOLE_FRAME, detections: [whole] },
        { view: leftTile, detections: [cutInLeftTile] },
      ],
      0.5,
    );
    expect(merged).toEqual([whole]);
  });

  it('treats a copy of the whole-frame view (as a worker thread receives it) as the whole frame', () => {
    const copied = structuredClone([WHOLE_FRAME]);
    expect(copied[0]).not.toBe(WHOLE_FRAME);
    expect(isWholeFrameOnly(copied)).toBe(true);
    expect(isWholeFrameOnly([{ ...WHOLE_FRAME, width: 0.5 }])).toBe(false);
    expect(isWholeFrameOnly([WHOLE_FRAME, WHOLE_FRAME])).toBe(false);
    const overlapping = [
      detection('bottle', 0.7, { left: 0.1, top: 0.1, width: 0.2, height: 0.2 }),
      detection('bottle', 0.6, { left: 0.11, top: 0.1, width: 0.2, height: 0.2 }),
    ];
    // The whole frame's detections were suppressed in the view already; merging leaves them as they are.
    expect(mergeViewDetections([{ view: copied[0]!, detections: overlapping }], 0.5)).toEqual(overlapping);
  });

  it('keeps different classes on the same spot and returns untiled detections unchanged', () => {
    const person = detection('person', 0.6, { left: 0.2, top: 0.2, width: 0.1, height: 0.3 });
    const bicycle = detection('bicycle', 0.5, { left: 0.2, top: 0.3, width: 0.1, height: 0.2 });
    expect(mergeViewDetections([{ view: WHOLE_FRAME, detections: [person, bicycle] }], 0.5)).toEqual([person, bicycle]);
    expect(
      mergeViewDetections(
        [
          { view: WHOLE_FRAME, detections: [person] },
          { view: leftTile, detections: [{ ...bicycle, box: { ...bicycle.box, left: 0.2 / 0.5625, width: 0.1 / 0.5625 } }] },
        ],
        0.5,
      ).map((d) => d.className),
    ).toEqual(['person', 'bicycle']);
  });
});

describe('scoreByViewMean (viewScoring mean)', () => {
  const wholeFrame = { left: 0, top: 0, width: 1, height: 1 };
  const leftTile = { left: 0, top: 0, width: 0.5625, height: 1 };
  const rightTile = { left: 0.4375, top: 0, width: 0.5625, height: 1 };
  const box = { left: 0.1, top: 0.4, width: 0.1, height: 0.2 };

  it('scores a box by the mean over the views that hold its centre, 0 for a view that saw nothing there: a tile\'s lone hallucination counts for half', () => {
    const teddy = { box, className: 'teddy bear', score: 0.6 };
    const [rescored] = scoreByViewMean([teddy], [
      { view: wholeFrame, detections: [] },
      { view: leftTile, detections: [teddy] },
      { view: rightTile, detections: [] }, // does not hold the box's centre: not asked
    ]);
    expect(rescored?.score).toBeCloseTo(0.3);
  });

  it('keeps what every view that could see it says: a bowl seen by both', () => {
    const [rescored] = scoreByViewMean([{ box, className: 'bowl', score: 0.7 }], [
      { view: wholeFrame, detections: [{ box: { ...box, left: 0.102 }, className: 'bowl', score: 0.5 }] },
      { view: leftTile, detections: [{ box, className: 'bowl', score: 0.7 }, { box, className: 'cup', score: 0.9 }] },
    ]);
    expect(rescored?.score).toBeCloseTo(0.6);
  });

  it('leaves people as the surest view saw them', () => {
    const person = { box, className: 'person', score: 0.8 };
    expect(scoreByViewMean([person], [{ view: wholeFrame, detections: [] }, { view: leftTile, detections: [person] }])).toEqual([person]);
  });
});
