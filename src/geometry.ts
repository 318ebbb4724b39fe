import type { Box } from './types.js';

export const boxArea = (box: Box): number => Math.max(0, box.width) * Math.max(0, box.height);

/** Intersection over union of two boxes; 0 when either is empty. */
export function iou(a: Box, b: Box): number {
  const overlapWidth = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const overlapHeight = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  if (overlapWidth <= 0 || overlapHeight <= 0) return 0;
  const intersection = overlapWidth * overlapHeight;
  const union = boxArea(a) + boxArea(b) - intersection;
  return union > 0 ? intersection / union : 0;
}

/** Builds a normalised box from corner coordinates, clamped to the frame. */
export function boxFromCorners(x1: number, y1: number, x2: number, y2: number): Box {
  const clamp = (value: number) => Math.min(1, Math.max(0, value));
  const left = clamp(Math.min(x1, x2));
  const top = clamp(Math.min(y1, y2));
  return { left, top, width: clamp(Math.max(x1, x2)) - left, height: clamp(Math.max(y1, y2)) - top };
}
