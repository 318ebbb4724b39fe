/**
 * What a pose says about a person (pure): where the head is and whether a face could show, where
 * the hands are, whether the person sits. Poses are MoveNet's 17 COCO keypoints in frame
 * coordinates (types.ts PersonPose); distances are compared in pixels, so callers pass the frame's
 * size.
 */
import type { Box, Keypoint, PersonPose } from '../types.js';

/** MoveNet's (and COCO's) keypoint order. */
export const KEYPOINT = {
  nose: 0,
  leftEye: 1,
  rightEye: 2,
  leftEar: 3,
  rightEar: 4,
  leftShoulder: 5,
  rightShoulder: 6,
  leftElbow: 7,
  rightElbow: 8,
  leftWrist: 9,
  rightWrist: 10,
  leftHip: 11,
  rightHip: 12,
  leftKnee: 13,
  rightKnee: 14,
  leftAnkle: 15,
  rightAnkle: 16,
} as const;

export const KEYPOINT_COUNT = 17;

/**
 * A keypoint at or above this score is taken as seen. MoveNet's own demos draw keypoints from 0.3;
 * a hidden joint (legs behind a desk) scores 0.0-0.2 on the shared clips.
 */
export const VISIBLE_KEYPOINT_SCORE = 0.3;

/**
 * A head needs one face keypoint at least this sure: on a crop showing only an arm, MoveNet still
 * places a face at 0.3-0.4 (measured on bottle-detection.mp4); real heads on the shared clips score 0.5-0.8.
 */
export const CONFIDENT_KEYPOINT_SCORE = 0.5;

/**
 * Poses scoring less than this (the mean of their keypoints' scores) show no person to go by:
 * 0.25, the least pose score of MoveNet in TF.js pose-detection. On a crop of an arm reaching in
 * (bottle-detection.mp4) MoveNet's poses score 0.07-0.33; whole people on the shared clips 0.3-0.66.
 */
export const POSE_MIN_SCORE = 0.25;

export interface FrameSize {
  width: number;
  height: number;
}

const seen = (point: Keypoint | undefined): point is Keypoint => point !== undefined && point.score >= VISIBLE_KEYPOINT_SCORE;

const pixelDistance = (a: Keypoint, b: Keypoint, frame: FrameSize): number => Math.hypot((a.x - b.x) * frame.width, (a.y - b.y) * frame.height);

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

/** MoveNet's pose score: the mean of its keypoints' scores. */
export const poseScore = (pose: PersonPose): number => (pose.keypoints.length === 0 ? 0 : mean(pose.keypoints.map((point) => point.score)));

/** A square of `side` pixels centred on (x, y) (normalised), as a box normalised to the frame. */
export const squareAround = (x: number, y: number, sidePx: number, frame: FrameSize): Box => ({
  left: x - sidePx / 2 / frame.width,
  top: y - sidePx / 2 / frame.height,
  width: sidePx / frame.width,
  height: sidePx / frame.height,
});

/** The least head size a head region is given, as a fraction of the person box's height. */
const LEAST_HEAD_FRACTION = 0.12;

/**
 * The head as the pose sees it, when at least two of the five face keypoints (nose, eyes, ears), one
 * of them confidently, and a shoulder are seen: a square centred on them, as wide as the largest of
 * 0.6 shoulder widths, 2.2 times the face keypoints' spread, and 12 % of the person's height.
 * Undefined when the pose shows no head.
 */
export function headRegion(pose: PersonPose, frame: FrameSize): Box | undefined {
  const face = pose.keypoints.slice(0, KEYPOINT.leftShoulder).filter(seen);
  // Without a shoulder the "head" is a guess on a crop that shows no body (an arm reaching in).
  if (face.length < 2 || !face.some((point) => point.score >= CONFIDENT_KEYPOINT_SCORE) || !bodySeen(pose, 'shoulders')) return undefined;
  const x = mean(face.map((point) => point.x));
  const y = mean(face.map((point) => point.y));
  const centre: Keypoint = { x, y, score: 1 };
  const spread = Math.max(...face.map((point) => pixelDistance(point, centre, frame)));
  const left = pose.keypoints[KEYPOINT.leftShoulder];
  const right = pose.keypoints[KEYPOINT.rightShoulder];
  const shoulders = seen(left) && seen(right) ? pixelDistance(left, right, frame) : 0;
  const side = Math.max(0.6 * shoulders, 2.2 * spread, LEAST_HEAD_FRACTION * pose.box.height * frame.height);
  return squareAround(x, y, side, frame);
}

/** Whether the pose shows a body: a shoulder (and, for `'torso'`, a hip too) seen. */
export function bodySeen(pose: PersonPose, part: 'shoulders' | 'torso' = 'torso'): boolean {
  const points = pose.keypoints;
  const shoulder = seen(points[KEYPOINT.leftShoulder]) || seen(points[KEYPOINT.rightShoulder]);
  return part === 'shoulders' ? shoulder : shoulder && (seen(points[KEYPOINT.leftHip]) || seen(points[KEYPOINT.rightHip]));
}

/**
 * Hands at the seen wrists: a square centred a third of a forearm beyond the wrist, two thirds of a
 * forearm wide (at least 6 % of the person's height), the hand's size on an adult body. A wrist
 * whose elbow is not seen gets a square of 10 % of the person's height centred on it.
 */
export function handRegions(pose: PersonPose, frame: FrameSize): Array<{ box: Box; score: number }> {
  const pairs = [
    [KEYPOINT.leftElbow, KEYPOINT.leftWrist],
    [KEYPOINT.rightElbow, KEYPOINT.rightWrist],
  ] as const;
  const personPx = pose.box.height * frame.height;
  const hands: Array<{ box: Box; score: number }> = [];
  for (const [elbowIndex, wristIndex] of pairs) {
    const wrist = pose.keypoints[wristIndex];
    if (!seen(wrist)) continue;
    const elbow = pose.keypoints[elbowIndex];
    if (!seen(elbow)) {
      hands.push({ box: squareAround(wrist.x, wrist.y, 0.1 * personPx, frame), score: wrist.score });
      continue;
    }
    const forearm = pixelDistance(elbow, wrist, frame);
    const x = wrist.x + (wrist.x - elbow.x) / 3;
    const y = wrist.y + (wrist.y - elbow.y) / 3;
    hands.push({ box: squareAround(x, y, Math.max((2 / 3) * forearm, 0.06 * personPx), frame), score: wrist.score });
  }
  return hands;
}

export type Posture = 'sitting' | 'upright' | 'unknown';

/**
 * The box of a seated person at a table (upper body, arms on the desk) is less than 1.6 times as
 * tall as wide, in pixels; that of a standing person cut at the waist by a shelf, about 2 or more.
 * Set by looking at classroom.mp4 (1.25-1.45) and store-aisle-detection.mp4 (2.2): in-sample there.
 */
export const SEATED_AT_TABLE_ASPECT = 1.6;

/**
 * Sitting or upright, from hips and knees:
 * - knees seen: sitting when the thighs are closer to horizontal than to vertical, i.e. the knees
 *   are less than half a torso (shoulders to hips) below the hips (a standing person's knees are
 *   about one torso below them, a seated person's at hip height, or foreshortened towards the camera);
 * - knees hidden but hips seen, with the person's box ending less than a torso below the hips,
 *   above the frame's bottom edge, and less than {@link SEATED_AT_TABLE_ASPECT} times as tall as
 *   wide: the legs are hidden by something in the picture and the body spreads sideways (arms on a
 *   desk), which is how people seated at tables are seen; counted as sitting. A standing person
 *   whose legs a shelf hides is taller than that;
 * - otherwise unknown (no hips, no shoulders, a box touching the frame's left or right edge, or
 *   legs hidden by the frame's bottom edge).
 */
export function posture(pose: PersonPose, frame: FrameSize): Posture {
  const points = pose.keypoints;
  // A body cut by the frame's side: the pose guesses the missing half (measured: a woman walking
  // out at the left edge of people-detection.gif, her knees placed at her hips).
  if (pose.box.left < 0.01 || pose.box.left + pose.box.width > 0.99) return 'unknown';
  const shoulders = [points[KEYPOINT.leftShoulder], points[KEYPOINT.rightShoulder]].filter(seen);
  const hips = [points[KEYPOINT.leftHip], points[KEYPOINT.rightHip]].filter(seen);
  if (shoulders.length === 0 || hips.length === 0) return 'unknown';
  const hipY = mean(hips.map((point) => point.y));
  const torsoPx = (hipY - mean(shoulders.map((point) => point.y))) * frame.height;
  if (torsoPx <= 0) return 'unknown';
  const knees = [points[KEYPOINT.leftKnee], points[KEYPOINT.rightKnee]].filter(seen);
  if (knees.length > 0) {
    const kneeDropPx = (mean(knees.map((point) => point.y)) - hipY) * frame.height;
    return kneeDropPx < 0.5 * torsoPx ? 'sitting' : 'upright';
  }
  const boxBottom = pose.box.top + pose.box.height;
  const widthPx = pose.box.width * frame.width;
  const heightPx = pose.box.height * frame.height;
  const atTable = (boxBottom - hipY) * frame.height < torsoPx && boxBottom < 0.97 && heightPx < SEATED_AT_TABLE_ASPECT * widthPx;
  return atTable ? 'sitting' : 'unknown';
}
