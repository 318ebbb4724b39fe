import { cellsInside, changedFractionBeyondExposure } from '../picture.js';
import type { Box, FrameThumbnail, TrackedFrame } from '../types.js';
import type { Taxonomy } from './parse-taxonomy.js';

/**
 * When a track of a fixed object counts as moved: its box's centre went further than `leastShift`
 * times the box's size (its larger side) from where the track began, while fewer than
 * `mostBackgroundChange` of the picture's cells outside both boxes changed, beyond a change of
 * exposure (the camera held still).
 * Set, not fitted: half a box is far beyond a detector's jitter on a still object (0.02 measured on
 * the still chairs of classroom.mp4), and a camera that pans or zooms changes most of the picture.
 */
export interface FixedObjectRule {
  leastShift: number;
  mostBackgroundChange: number;
}

export const DEFAULT_FIXED_OBJECT_RULE: FixedObjectRule = { leastShift: 0.5, mostBackgroundChange: 0.5 };

interface Seen {
  box: Box;
  thumbnail: FrameThumbnail | undefined;
}

const centreShift = (a: Box, b: Box): number => Math.hypot(a.left + a.width / 2 - (b.left + b.width / 2), a.top + a.height / 2 - (b.top + b.height / 2));

/** The fraction of cells outside both boxes that changed between the two pictures, exposure aside; undefined when they cannot be compared. */
function backgroundChange(first: Seen, later: Seen): number | undefined {
  const [a, b] = [first.thumbnail, later.thumbnail];
  if (!a || !b || a.columns !== b.columns || a.rows !== b.rows) return undefined;
  const covered = new Set([...cellsInside(a, first.box), ...cellsInside(a, later.box)]);
  const background = Array.from({ length: a.columns * a.rows }, (_, cell) => cell).filter((cell) => !covered.has(cell));
  return background.length === 0 ? undefined : changedFractionBeyondExposure(a.luma, b.luma, background);
}

const movedOnStillPicture = (first: Seen, later: Seen, rule: FixedObjectRule): boolean => {
  if (centreShift(first.box, later.box) <= rule.leastShift * Math.max(first.box.width, first.box.height, later.box.width, later.box.height)) return false;
  const change = backgroundChange(first, later);
  return change !== undefined && change < rule.mostBackgroundChange;
};

/**
 * Scene context: a parking meter, a bench or a toilet does not drive across a still picture. A track
 * of a class the taxonomy lists as fixed in place that moves while the camera holds still is a
 * misreading of something else (an overhead car as a parking meter, measured on car-detection.mp4),
 * and is dropped at every timestamp. `thumbnails[i]` is the picture of `frames[i]` (FrameDetections.thumbnail);
 * where pictures are missing nothing can be told, and the track stays. Everything else passes unchanged. Pure.
 */
export function dropMovingFixedObjects(
  frames: readonly TrackedFrame[],
  thumbnails: readonly (FrameThumbnail | undefined)[],
  taxonomy: Pick<Taxonomy, 'fixedInPlace'>,
  rule: FixedObjectRule = DEFAULT_FIXED_OBJECT_RULE,
): TrackedFrame[] {
  const firstSeen = new Map<number, Seen>();
  const moved = new Set<number>();
  frames.forEach((frame, index) => {
    for (const object of frame.objects) {
      if (!taxonomy.fixedInPlace.has(object.className) || moved.has(object.trackId)) continue;
      const seen = { box: object.box, thumbnail: thumbnails[index] };
      const first = firstSeen.get(object.trackId);
      if (!first) firstSeen.set(object.trackId, seen);
      else if (movedOnStillPicture(first, seen, rule)) moved.add(object.trackId);
    }
  });
  if (moved.size === 0) return [...frames];
  return frames.map((frame) => ({ ...frame, objects: frame.objects.filter((object) => !moved.has(object.trackId)) }));
}
