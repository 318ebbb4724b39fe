import type { Box } from '../types.js';
import { solveAssignment } from './hungarian.js';
import { bufferedIou } from '../geometry.js';
import type { TrackerOptions } from './options.js';

export interface Located {
  box: Box;
  className: string;
}

/** A track's predicted box, and how far its boxes are pushed out for matching when that differs from the rule's (see TrackerOptions.firstMatchBuffer). */
export interface Predicted extends Located {
  matchBuffer?: number;
}

/** When two boxes of one class, in two frames, may be the same object: buffered IoU at least `minIou`. */
export type OverlapRule = Pick<TrackerOptions, 'minIou' | 'matchBuffer'>;

/** How much two boxes overlap under `rule` (buffered IoU, 0..1). */
export const matchOverlap = (a: Box, b: Box, rule: OverlapRule): number => bufferedIou(a, b, rule.matchBuffer);

/**
 * Pairs tracks (at their predicted boxes) with detections so that the total overlap is as large as
 * possible (Hungarian on cost 1 − overlap, as SORT does with IoU), then drops pairs of different
 * classes or with overlap below `rule.minIou`. The overlap is the buffered IoU
 * ({@link matchOverlap}). Cross-class pairs cost as much as non-overlapping ones, so they never win a
 * detection away from a same-class track.
 *
 * @returns `[trackIndex, detectionIndex]` pairs.
 */
export const matchDetectionsToTracks = (
  tracks: readonly Predicted[],
  detections: readonly Located[],
  rule: OverlapRule,
): [number, number][] => {
  const overlap = tracks.map((track) => {
    const trackRule = track.matchBuffer === undefined ? rule : { ...rule, matchBuffer: track.matchBuffer };
    return detections.map((detection) => (detection.className === track.className ? matchOverlap(track.box, detection.box, trackRule) : 0));
  });
  const columnOfRow = solveAssignment(overlap.map((row) => row.map((value) => 1 - value)));
  return columnOfRow.flatMap((column, row): [number, number][] =>
    column >= 0 && (overlap[row]?.[column] ?? 0) >= rule.minIou ? [[row, column]] : [],
  );
};
