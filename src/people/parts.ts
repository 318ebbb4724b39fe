/**
 * Faces, heads and hands as detections (pure), from the poses the detector's worker estimated
 * (detect/people.ts): the first step of the people stage, before tracking, so that they are tracked
 * like any object. Poses whose mean keypoint score is below `poseMinScore` give none: a pose
 * estimated on a crop that shows no person (an arm reaching in) scores low on every keypoint.
 *
 * - `face`: the face detector's face in a pose's head region, as confident as its score says
 *   (50 at `faceScoreAt50`);
 * - `head`: a pose's head region where no face was found (seen from behind, turned away, or too
 *   small), as confident as its best face keypoint, capped by the person's;
 * - `hand`: a square at each seen wrist (keypoints.ts), as confident as the wrist, capped likewise.
 */
import type { Detection, FrameDetections, PersonPose } from '../types.js';
import { faceConfidence, FACE_SCORE_AT_50, keypointConfidence } from './confidence.js';
import { handRegions, headRegion, POSE_MIN_SCORE, poseScore, type FrameSize } from './keypoints.js';

export interface PartOptions {
  /** Poses whose mean keypoint score is below this give no parts (keypoints.ts POSE_MIN_SCORE). */
  poseMinScore: number;
  /** The face detector's score at confidence 50. Fitted (bench/quality/people.ts). */
  faceScoreAt50: number;
}

export const DEFAULT_PART_OPTIONS: PartOptions = { poseMinScore: POSE_MIN_SCORE, faceScoreAt50: FACE_SCORE_AT_50 };

/** The person whose pose it is: the frame's surest person detection on that box (the worker ran the pose on it). */
const personConfidence = (pose: PersonPose, detections: readonly Detection[]): number =>
  Math.max(
    0,
    ...detections
      .filter((detection) => detection.className === 'person' && detection.box.left === pose.box.left && detection.box.top === pose.box.top && detection.box.width === pose.box.width)
      .map((detection) => detection.confidence),
  );

export function partsOf(pose: PersonPose, person: number, frame: FrameSize, options: PartOptions): Detection[] {
  const parts: Detection[] = [];
  const cappedBy = (confidence: number) => Math.min(confidence, person);
  for (const hand of handRegions(pose, frame)) parts.push({ className: 'hand', box: hand.box, score: hand.score, confidence: cappedBy(keypointConfidence(hand.score)) });
  const head = headRegion(pose, frame);
  if (!head) return parts;
  const faceConfidenceHere = pose.face ? faceConfidence(pose.face.score, options.faceScoreAt50) : 0;
  if (pose.face) parts.push({ className: 'face', box: pose.face.box, score: pose.face.score, confidence: faceConfidenceHere });
  // Below 50 a face is no face, and the head is what is seen.
  if (faceConfidenceHere < 50) {
    const headScore = Math.max(...pose.keypoints.slice(0, 5).map((point) => point.score));
    parts.push({ className: 'head', box: head, score: headScore, confidence: cappedBy(keypointConfidence(headScore)) });
  }
  return parts;
}

/** The frames with each usable pose's face, head and hands among the detections (poses kept as they are: activities read them too). */
export function withPersonParts(frames: readonly FrameDetections[], frame: FrameSize, options: PartOptions = DEFAULT_PART_OPTIONS): FrameDetections[] {
  return frames.map((detected) => {
    if (!detected.poses) return detected;
    const usable = detected.poses.filter((pose) => poseScore(pose) >= options.poseMinScore);
    const parts = usable.flatMap((pose) => partsOf(pose, personConfidence(pose, detected.detections), frame, options));
    return { ...detected, detections: [...detected.detections, ...parts] };
  });
}
