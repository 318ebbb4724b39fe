/**
 * Tiled inference (pure): which parts of a frame the model looks at, and how what it saw in each
 * part becomes one list of detections for the frame.
 *
 * A detector with a square input sees a 16:9 frame squeezed to 56 % of its width and, for objects a
 * few dozen pixels tall, too small to recognise. Besides the whole frame, tiled inference also runs
 * the model on square tiles along the frame's long side (each tile as tall as the frame, so nothing
 * is squeezed and everything is magnified to the model's input), the slicing-aided inference of
 * SAHI. A tile reports only objects it sees whole: a detection touching a tile border that lies
 * inside the frame is a cut object, seen whole by the neighbouring tile or the whole-frame view.
 * Detections of all views are then merged by the model's own class-wise non-maximum suppression.
 */
import { invalidParameter } from '../errors.js';
import type { Box, Detection } from '../types.js';
import { iou } from '../geometry.js';
import { suppressOverlaps } from './nms.js';

export const TILINGS = ['off', 'tiles'] as const;
export type Tiling = (typeof TILINGS)[number];

/** The model looks at the whole frame and at tiles: small and far objects are found (see above). */
export const DEFAULT_TILING: Tiling = 'tiles';

export const isTiling = (value: string): value is Tiling => (TILINGS as readonly string[]).includes(value);

/** `value` as a Tiling; anything else is an InvalidParameterException naming `source` (a flag, variable or option). */
export function toTiling(value: string, source: string): Tiling {
  if (!isTiling(value)) throw invalidParameter(`${source} must be one of ${TILINGS.join(', ')}, got "${value}"`);
  return value;
}


/** The whole frame, as a view. */
export const WHOLE_FRAME: Box = Object.freeze({ left: 0, top: 0, width: 1, height: 1 });

/**
 * Whether `views` is the whole frame alone. By value, not identity: views reach the worker thread
 * as structured-clone copies.
 */
export const isWholeFrameOnly = (views: readonly Box[]): boolean =>
  views.length === 1 && views[0]!.left === 0 && views[0]!.top === 0 && views[0]!.width === 1 && views[0]!.height === 1;

/**
 * Frames no more elongated than this are analysed whole, since square tiles would add almost
 * nothing (a 4:3 frame, 1.33, still gets tiles).
 */
export const MIN_TILED_ASPECT_RATIO = 1.2;

/** Least overlap of neighbouring tiles, as a fraction of a tile (SAHI's default, 0.2). */
export const MIN_TILE_OVERLAP = 0.2;

/**
 * A detection's edge closer than this (fraction of the tile) to a tile border inside the frame
 * marks it as cut by that border.
 */
export const CUT_EDGE_MARGIN = 0.01;

export interface InputSize {
  width: number;
  height: number;
}

const isTiled = (tiling: Tiling, width: number, height: number): boolean =>
  tiling === 'tiles' && width > 0 && height > 0 && Math.max(width, height) / Math.min(width, height) >= MIN_TILED_ASPECT_RATIO;

/**
 * The size frames are decoded to. Untiled: the model's input size for a model that takes frames
 * stretched; for one that takes them letterboxed (`resize: 'letterbox'`), the frame's own aspect
 * ratio fitted inside the input, so the frame is the input's unpadded part. Tiled: the frame's own
 * aspect ratio with its short side at the input's, so a tile is exactly one input and only the
 * whole-frame view is resized (rounded to even pixel counts).
 */
export function analysisFrameSize(sourceWidth: number, sourceHeight: number, input: InputSize & { resize?: 'stretch' | 'letterbox' }, tiling: Tiling): InputSize {
  const even = (value: number) => Math.max(2, 2 * Math.round(value / 2));
  if (!isTiled(tiling, sourceWidth, sourceHeight)) {
    if (input.resize !== 'letterbox' || !(sourceWidth > 0 && sourceHeight > 0)) return { width: input.width, height: input.height };
    const scale = Math.min(input.width / sourceWidth, input.height / sourceHeight);
    return { width: Math.min(input.width, even(sourceWidth * scale)), height: Math.min(input.height, even(sourceHeight * scale)) };
  }
  const side = Math.min(input.width, input.height);
  return sourceWidth >= sourceHeight
    ? { width: even((side * sourceWidth) / sourceHeight), height: side }
    : { width: side, height: even((side * sourceHeight) / sourceWidth) };
}

/**
 * The views of a frame, normalised to it: the whole frame first, then (tiled) square tiles from one
 * end of the long side to the other, evenly spaced, as few as keep neighbours overlapping by at
 * least {@link MIN_TILE_OVERLAP}.
 */
export function analysisViews(frameWidth: number, frameHeight: number, tiling: Tiling): Box[] {
  if (!isTiled(tiling, frameWidth, frameHeight)) return [WHOLE_FRAME];
  const landscape = frameWidth >= frameHeight;
  const tileFraction = landscape ? frameHeight / frameWidth : frameWidth / frameHeight;
  const tiles = 1 + Math.ceil((1 - tileFraction) / (tileFraction * (1 - MIN_TILE_OVERLAP)) - 1e-9);
  const step = (1 - tileFraction) / (tiles - 1);
  const tileViews = Array.from({ length: tiles }, (_, index): Box => {
    const start = index === tiles - 1 ? 1 - tileFraction : index * step;
    return landscape
      ? { left: start, top: 0, width: tileFraction, height: 1 }
      : { left: 0, top: start, width: 1, height: tileFraction };
  });
  return [WHOLE_FRAME, ...tileViews];
}

/** A box normalised to `view` re-expressed in the coordinates of the frame the view is part of. */
export const boxInFrame = (box: Box, view: Box): Box => ({
  left: view.left + box.left * view.width,
  top: view.top + box.top * view.height,
  width: box.width * view.width,
  height: box.height * view.height,
});

/** Whether a box (normalised to `view`) touches one of the view's borders that lies inside the frame. */
export function isCutByViewBorder(box: Box, view: Box): boolean {
  const near = (distance: number) => distance < CUT_EDGE_MARGIN;
  const interior = (position: number) => position > 1e-9 && position < 1 - 1e-9;
  return (
    (interior(view.left) && near(box.left)) ||
    (interior(view.top) && near(box.top)) ||
    (interior(view.left + view.width) && near(1 - box.left - box.width)) ||
    (interior(view.top + view.height) && near(1 - box.top - box.height))
  );
}

/**
 * One frame's detections from its views' (each view's boxes normalised to that view, each view's
 * own overlaps already suppressed): cut objects dropped, boxes moved to frame coordinates, overlaps
 * between views suppressed class by class.
 */
export function mergeViewDetections(
  perView: ReadonlyArray<{ view: Box; detections: readonly Detection[] }>,
  nmsIouThreshold: number,
  scoring?: { viewScoring: ViewScoring; calibrate: (className: string, score: number) => number },
): Detection[] {
  if (isWholeFrameOnly(perView.map(({ view }) => view))) return [...perView[0]!.detections];
  const inFrameByView = perView.map(({ view, detections }) => ({
    view,
    detections: detections.filter((detection) => !isCutByViewBorder(detection.box, view)).map((detection) => ({ ...detection, box: boxInFrame(detection.box, view) })),
  }));
  const merged = suppressOverlaps(inFrameByView.flatMap(({ detections }) => detections), nmsIouThreshold);
  if (!scoring || scoring.viewScoring === 'best') return merged;
  return scoreByViewMean(merged, inFrameByView).map((detection) => ({ ...detection, confidence: scoring.calibrate(detection.className, detection.score) }));
}

/**
 * How a merged box is scored when several views saw the frame. `best`: the surest view's score
 * (what non-maximum suppression keeps). `mean`: for classes other than person, the mean over the
 * views whose area holds the box's centre of each view's best score for that class on that box
 * (IoU >= {@link VIEW_MEAN_SAME_BOX_IOU}; 0 for a view that saw none), so one view's hallucination
 * on a magnified tile counts for less than what every view that could see the object says. Which
 * one a model uses is in its manifest (`viewScoring`), chosen on the held-out table
 * (bench/quality/run.ts): mean for YOLOv5s, best for CenterNet.
 */
export type ViewScoring = 'best' | 'mean';

export const VIEW_MEAN_SAME_BOX_IOU = 0.5;

const holdsCentre = (view: Box, box: Box): boolean => {
  const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
  return x >= view.left && x <= view.left + view.width && y >= view.top && y <= view.top + view.height;
};

/** Each merged non-person box's score as the mean over the views that could see it (see ViewScoring); boxes of all views in frame coordinates. Pure. */
export function scoreByViewMean<T extends Pick<Detection, 'box' | 'className' | 'score'>>(
  merged: readonly T[],
  perView: ReadonlyArray<{ view: Box; detections: ReadonlyArray<Pick<Detection, 'box' | 'className' | 'score'>> }>,
  sameBoxIou: number = VIEW_MEAN_SAME_BOX_IOU,
): T[] {
  return merged.map((detection) => {
    if (detection.className === 'person') return detection;
    const seeing = perView.filter(({ view }) => holdsCentre(view, detection.box));
    if (seeing.length === 0) return detection;
    const scores = seeing.map(({ detections }) => Math.max(0, ...detections.filter((other) => other.className === detection.className && iou(other.box, detection.box) >= sameBoxIou).map((other) => other.score)));
    return { ...detection, score: scores.reduce((sum, score) => sum + score, 0) / scores.length };
  });
}
