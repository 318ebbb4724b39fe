import { describe, expect, it } from 'vitest';
import { dropMovingFixedObjects, loadTaxonomy } from '../../src/taxonomy/index.js';
import type { Box, FrameThumbnail, TrackedFrame } from '../../src/types.js';

const taxonomy = loadTaxonomy();
const COLUMNS = 32;
const ROWS = 18;

/** A scene's grey levels with no pattern (a fixed pseudo-random draw), wider than the picture so it can pan. */
const SCENE = Array.from({ length: ROWS * (COLUMNS + 8) }, (_, index) => 60 + ((index * 7919 + ((index * index) % 97) * 31) % 120));

/** The scene seen with the camera `pan` cells further right and the exposure `exposure` grey levels brighter. */
const picture = ({ pan = 0, exposure = 0 } = {}): FrameThumbnail => ({
  columns: COLUMNS,
  rows: ROWS,
  luma: Uint8Array.from({ length: COLUMNS * ROWS }, (_, cell) => SCENE[Math.floor(cell / COLUMNS) * (COLUMNS + 8) + (cell % COLUMNS) + pan]! + exposure),
});

/** One track of `className` at 2 frames/s, at the boxes given. */
const trackAt = (className: string, boxes: Box[]): TrackedFrame[] =>
  boxes.map((box, index) => ({ timestampMs: index * 500, objects: [{ trackId: 7, className, box, confidence: 86 }] }));

const sliding = (from: number, by: number, steps: number): Box[] => Array.from({ length: steps }, (_, step) => ({ left: 0.35, top: from - (by * step) / (steps - 1), width: 0.22, height: 0.3 }));
const reported = (frames: TrackedFrame[]) => frames.map((frame) => frame.objects.map((object) => object.className));

describe('dropMovingFixedObjects', () => {
  it('drops a parking meter that drives up and out of a still picture, at every timestamp (an overhead car, car-detection.mp4 at 5.5-8 s)', () => {
    const frames = trackAt('parking meter', sliding(0.6, 0.55, 6));
    const result = dropMovingFixedObjects(frames, frames.map(() => picture()), taxonomy);
    expect(reported(result)).toEqual([[], [], [], [], [], []]);
    expect(result.map((frame) => frame.timestampMs)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
  });

  it('drops it too when the camera changes its exposure meanwhile (mean grey level 105 -> 65 -> 77 measured there)', () => {
    const frames = trackAt('parking meter', sliding(0.6, 0.55, 6));
    const exposures = [0, -27, -40, -40, -28, -30];
    expect(reported(dropMovingFixedObjects(frames, exposures.map((exposure) => picture({ exposure })), taxonomy))).toEqual([[], [], [], [], [], []]);
  });

  it('keeps a bench that crosses the picture while the camera pans (the whole picture changes)', () => {
    const frames = trackAt('bench', sliding(0.6, 0.55, 6));
    const result = dropMovingFixedObjects(frames, frames.map((_, index) => picture({ pan: index })), taxonomy);
    expect(reported(result)).toEqual(frames.map(() => ['bench']));
  });

  it('keeps a still bench whose box jitters by a few percent', () => {
    const jitter = [0, 0.01, -0.01, 0.02, 0];
    const frames = trackAt('bench', jitter.map((offset) => ({ left: 0.2 + offset, top: 0.5 - offset, width: 0.5, height: 0.3 })));
    expect(reported(dropMovingFixedObjects(frames, frames.map(() => picture()), taxonomy))).toEqual(frames.map(() => ['bench']));
  });

  it('keeps a car driving across a still picture: cars move', () => {
    const frames = trackAt('car', sliding(0.6, 0.55, 6));
    expect(reported(dropMovingFixedObjects(frames, frames.map(() => picture()), taxonomy))).toEqual(frames.map(() => ['car']));
  });

  it('keeps a moving fixed object when there is no picture to tell whether the camera moved', () => {
    const frames = trackAt('parking meter', sliding(0.6, 0.55, 6));
    expect(reported(dropMovingFixedObjects(frames, frames.map(() => undefined), taxonomy))).toEqual(frames.map(() => ['parking meter']));
  });

  it('drops only the moving track: a person and another, still, fixed object at the same timestamps stay', () => {
    const meter = trackAt('parking meter', sliding(0.6, 0.55, 4));
    const frames = meter.map((frame) => ({
      ...frame,
      objects: [...frame.objects, { trackId: 8, className: 'fire hydrant', box: { left: 0.8, top: 0.7, width: 0.05, height: 0.1 }, confidence: 70 }, { trackId: 9, className: 'person', box: { left: 0.05, top: 0.2, width: 0.1, height: 0.4 }, confidence: 90 }],
    }));
    expect(reported(dropMovingFixedObjects(frames, frames.map(() => picture()), taxonomy))).toEqual(frames.map(() => ['fire hydrant', 'person']));
  });

  it('lists fixed objects by detector class names the taxonomy maps', () => {
    for (const className of ['parking meter', 'bench', 'toilet', 'fire hydrant', 'dining table']) expect(taxonomy.fixedInPlace.has(className)).toBe(true);
    for (const className of ['car', 'bottle', 'person', 'chair', 'cup']) expect(taxonomy.fixedInPlace.has(className)).toBe(false);
  });
});
