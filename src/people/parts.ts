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
 * - `hand`: the hand detector's hands anywhere in the frame, as confident as their score says (50 at
 *   `handScoreAt50`), and a square at each seen wrist (keypoints.ts), as confident as the wrist,
 *   capped likewise; where both show one hand, the surer box stays.
 */
import { keepBestScored } from '../detect/nms.js';
import { iou } from '../geometry.js';
import type { Detection, FrameDetections, PersonPose, SeenHand, SeenInFrame } from '../types.js';
import { faceConfidence, FACE_SCORE_AT_50, handConfidence, HAND_SCORE_AT_50, keypointConfidence } from './confidence.js';
import { handRegions, headRegion, POSE_MIN_SCORE, poseScore, type FrameSize } from './keypoints.js';

export interface PartOptions {
  /** Poses whose mean keypoint score is below this give no parts (keypoints.ts POSE_MIN_SCORE). */
  poseMinScore: number;
  /** The face detector's score at confidence 50. Fitted (bench/quality/people.ts). */
  faceScoreAt50: number;
  /** The hand detector's score at confidence 50. Fitted (bench/quality/people.ts). */
  handScoreAt50: number;
}

export const DEFAULT_PART_OPTIONS: PartOptions = { poseMinScore: POSE_MIN_SCORE, faceScoreAt50: FACE_SCORE_AT_50, handScoreAt50: HAND_SCORE_AT_50 };

/**
 * Two hand boxes overlapping at least this much are one hand: the detector's several boxes of it
 * (one per pose class and anchor), or a wrist's square and the detector's box.
 */
const SAME_HAND_IOU = 0.3;

/** Of the boxes that show one hand, the best-scored. Used on the detector's raw boxes (detect/hands.ts) and on the hand detections here. */
export const oneBoxPerHand = <T extends Pick<Detection, 'box' | 'score'>>(hands: readonly T[]): T[] => keepBestScored(hands, (kept, candidate) => iou(kept.box, candidate.box) >= SAME_HAND_IOU);

/**
 * A hand is compact: its box, in pixels, at most this many times as long as it is wide, even cut by
 * the frame's edge (fingertips show as a short, wide box). Set, not fitted: an open hand with the
 * fingers spread is about 1:1, a hand side-on with the forearm about 1:2.5. Measured against it: the
 * detector's "fist" along a car cut by the frame's bottom edge, 237 x 41 px (car-detection.mp4).
 */
export const HAND_MOST_ELONGATION = 3;

const isCompact = (hand: SeenHand, frame: FrameSize): boolean => {
  const [width, height] = [hand.box.width * frame.width, hand.box.height * frame.height];
  return Math.max(width, height) <= HAND_MOST_ELONGATION * Math.min(width, height);
};

const handDetection = (hand: SeenHand, options: PartOptions): Detection => ({ className: 'hand', box: hand.box, score: hand.score, confidence: handConfidence(hand.score, options.handScoreAt50) });

/** Of the hand detections that show one hand, the surest (wrist scores and detector scores differ in kind: confidences compare). */
const surestPerHand = (hands: readonly Detection[]): Detection[] => oneBoxPerHand(hands.map((hand) => ({ box: hand.box, score: hand.confidence, hand }))).map(({ hand }) => hand);

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

/**
 * The frames with each usable pose's face, head and hands, and the hand detector's hands, among the
 * detections (poses and hands kept as they are: activities read the poses too).
 */
export function withPersonParts(frames: readonly FrameDetections[], frame: FrameSize, options: PartOptions = DEFAULT_PART_OPTIONS): FrameDetections[] {
  return frames.map((detected) => (!detected.poses && !detected.hands ? detected : { ...detected, detections: detectionsWithParts(detected, frame, options) }));
}

/** One frame's detections with its people's faces, heads and hands among them: what the tracker is given for it. */
export function detectionsWithParts(seen: SeenInFrame, frame: FrameSize, options: PartOptions = DEFAULT_PART_OPTIONS): Detection[] {
  if (!seen.poses && !seen.hands) return seen.detections;
  const usable = (seen.poses ?? []).filter((pose) => poseScore(pose) >= options.poseMinScore);
  const parts = usable.flatMap((pose) => partsOf(pose, personConfidence(pose, seen.detections), frame, options));
  const hands = surestPerHand([...parts.filter((part) => part.className === 'hand'), ...(seen.hands ?? []).filter((hand) => isCompact(hand, frame)).map((hand) => handDetection(hand, options))]);
  return [...seen.detections, ...parts.filter((part) => part.className !== 'hand'), ...hands];
}
