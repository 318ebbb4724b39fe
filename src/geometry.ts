import type { Box } from './types.js';

export const boxArea = (box: Box): number => Math.max(0, box.width) * Math.max(0, box.height);

/** The area two boxes share; 0 when they do not overlap. */
export function intersectionArea(a: Box, b: Box): number {
  const overlapWidth = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const overlapHeight = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return overlapWidth <= 0 || overlapHeight <= 0 ? 0 : overlapWidth * overlapHeight;
}

/** Intersection over union of two boxes; 0 when either is empty. */
export function iou(a: Box, b: Box): number {
  const intersection = intersectionArea(a, b);
  if (intersection === 0) return 0;
  const union = boxArea(a) + boxArea(b) - intersection;
  return union > 0 ? intersection / union : 0;
}

/**
 * The box with each side pushed out by `buffer` times the box's own width (left, right) or height
 * (top, bottom), about its centre. Not clamped to the frame.
 */
export const bufferedBox = (box: Box, buffer: number): Box => ({
  left: box.left - buffer * box.width,
  top: box.top - buffer * box.height,
  width: box.width * (1 + 2 * buffer),
  height: box.height * (1 + 2 * buffer),
});

/**
 * Buffered IoU (BIoU, Yang et al. 2023, arXiv 2211.14317): the IoU of both boxes buffered by
 * `buffer` ({@link bufferedBox}). Equal to {@link iou} at buffer 0. It stays above zero when a small
 * object moved by more than its own size between two sampled frames, where the plain IoU is 0, and
 * it keeps the same order as IoU for boxes of one size: the nearer of two candidates still overlaps
 * more.
 */
export const bufferedIou = (a: Box, b: Box, buffer: number): number => iou(bufferedBox(a, buffer), bufferedBox(b, buffer));

/** Builds a normalised box from corner coordinates, clamped to the frame. */
export function boxFromCorners(x1: number, y1: number, x2: number, y2: number): Box {
  const clamp = (value: number) => Math.min(1, Math.max(0, value));
  const left = clamp(Math.min(x1, x2));
  const top = clamp(Math.min(y1, y2));
  return { left, top, width: clamp(Math.max(x1, x2)) - left, height: clamp(Math.max(y1, y2)) - top };
}
