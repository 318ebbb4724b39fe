import { iou } from '../geometry.js';
import type { Detection } from '../types.js';

type Scored = Pick<Detection, 'box' | 'score'>;

/** Greedy suppression: best score first, each detection kept unless `duplicates(kept, it)` for one already kept. */
export function keepBestScored<T extends Scored>(detections: readonly T[], duplicates: (kept: T, candidate: T) => boolean): T[] {
  const kept: T[] = [];
  for (const candidate of [...detections].sort((a, b) => b.score - a.score)) {
    if (!kept.some((other) => duplicates(other, candidate))) kept.push(candidate);
  }
  return kept;
}

/** Greedy per-class non-maximum suppression: keeps the best-scored box of every overlapping group. */
export function suppressOverlaps<T extends Scored & Pick<Detection, 'className'>>(detections: readonly T[], iouThreshold: number): T[] {
  return keepBestScored(detections, (other, candidate) => other.className === candidate.className && iou(other.box, candidate.box) > iouThreshold);
}
