import { iou } from '../geometry.js';
import type { Detection } from '../types.js';

/** Greedy per-class non-maximum suppression: keeps the best-scored box of every overlapping group. */
export function suppressOverlaps(detections: readonly Detection[], iouThreshold: number): Detection[] {
  const kept: Detection[] = [];
  for (const candidate of [...detections].sort((a, b) => b.score - a.score)) {
    const duplicate = kept.some((other) => other.className === candidate.className && iou(other.box, candidate.box) > iouThreshold);
    if (!duplicate) kept.push(candidate);
  }
  return kept;
}
