import type { Box } from '../types.js';
import { solveAssignment } from './hungarian.js';
import { iou } from '../geometry.js';

export interface Located {
  box: Box;
  className: string;
}

/**
 * Pairs tracks (at their predicted boxes) with detections so that the total IoU is as large as
 * possible (Hungarian on cost 1 − IoU, as SORT does), then drops pairs of different classes or with
 * IoU below `minIou`. Cross-class pairs cost as much as non-overlapping ones, so they never win a
 * detection away from a same-class track.
 *
 * @returns `[trackIndex, detectionIndex]` pairs.
 */
export const matchDetectionsToTracks = (
  tracks: readonly Located[],
  detections: readonly Located[],
  minIou: number,
): [number, number][] => {
  const overlap = tracks.map((track) =>
    detections.map((detection) => (detection.className === track.className ? iou(track.box, detection.box) : 0)),
  );
  const columnOfRow = solveAssignment(overlap.map((row) => row.map((value) => 1 - value)));
  return columnOfRow.flatMap((column, row): [number, number][] =>
    column >= 0 && (overlap[row]?.[column] ?? 0) >= minIou ? [[row, column]] : [],
  );
};
