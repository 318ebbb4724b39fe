/**
 * How sure the people labels are (pure). Two numbers are fitted: the BlazeFace score a face needs
 * (FACE_SCORE_AT_50) and the hand detector's (HAND_SCORE_AT_50), leave-one-clip-out with the
 * activity thresholds in bench/quality/people.ts; the rest is set from the models' documented
 * operating points.
 */

/** Person detections at least this confident (per frame, 0..100) get a pose and a face search. */
export const PERSON_CONFIDENCE_TO_LOOK = 40;

/** At most this many people per frame (the largest) are looked at: each costs two model runs. */
export const PEOPLE_LOOKED_AT = 8;

/** Hand detector candidates below this score are not kept at all (detect/hands.ts). */
export const HAND_SCORE_FLOOR = 0.2;

/** BlazeFace candidates below this score are not kept at all. */
export const FACE_SCORE_FLOOR = 0.15;

/** The BlazeFace score at which a face is 50 confident: the default MinConfidence's cut. Fitted (all clips). */
export const FACE_SCORE_AT_50 = 0.25;

/**
 * A score as a confidence, piecewise linear: 0 at `floor`, 50 at `at50`, 100 at 0.9 and above.
 */
export function scoreToConfidence(score: number, at50: number, floor = 0): number {
  if (score <= floor) return 0;
  if (score < at50) return (50 * (score - floor)) / (at50 - floor);
  return Math.min(100, 50 + (50 * (score - at50)) / (0.9 - at50));
}

export const faceConfidence = (score: number, at50: number = FACE_SCORE_AT_50): number => scoreToConfidence(score, at50, FACE_SCORE_FLOOR);

/**
 * The hand detector's score at which a hand is 50 confident. Fitted (all clips), each grid point
 * scored with its neighbours (bench/quality/people.ts): a still shadow on bottle-detection.mp4 that
 * the detector scores 0.22-0.44 (0.41 on a re-encoded cut) is why a lone best point is not taken.
 */
export const HAND_SCORE_AT_50 = 0.55;

export const handConfidence = (score: number, at50: number = HAND_SCORE_AT_50): number => scoreToConfidence(score, at50, HAND_SCORE_FLOOR);

/** MoveNet's keypoint score as a confidence: 50 at 0.3, the score from which its own demos draw a keypoint. */
export const keypointConfidence = (score: number): number => scoreToConfidence(score, 0.3);
