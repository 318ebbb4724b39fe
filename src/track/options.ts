import { invalidParameter } from '../errors.js';
import { isRecord } from '../is-record.js';

/** Every tunable of the tracking stage. Defaults and the reasons for them: {@link DEFAULT_TRACKER_OPTIONS}. */
export interface TrackerOptions {
  /**
   * Per-frame confidence (0..100) at or above which a detection may start a track and takes part in
   * the first association pass.
   */
  highConfidence: number;
  /**
   * Per-frame confidence (0..100) at or above which a detection below `highConfidence` may still
   * extend a confirmed track in the second pass; it never starts one. Lower detections are ignored.
   */
  lowConfidence: number;
  /**
   * Smallest overlap (buffered IoU, see `matchBuffer`) between a track's predicted box and a
   * detection for them to be matched (0..1].
   */
  minIou: number;
  /**
   * How far each side of both boxes is pushed out before their IoU is taken for matching, as a
   * fraction of the box's width or height (0: plain IoU).
   */
  matchBuffer: number;
  /**
   * The buffer used instead of `matchBuffer` for a track matched only once so far, whose motion is
   * not known yet (0..3; when not given, `matchBuffer`).
   */
  firstMatchBuffer: number;
  /** Consecutive matched frames after which a tentative track is confirmed (>= 1). */
  birthHits: number;
  /**
   * Per class, the per-frame confidence (0..100) from which a track seen once may take a faint
   * detection (between `lowConfidence` and `highConfidence`) as its next match, in the second pass
   * with the confirmed tracks. Classes not named here need `highConfidence` for every match until
   * they are confirmed.
   */
  faintLookConfirmsFrom: Readonly<Record<string, number>>;
  /** Most consecutive missed frames a confirmed track survives; it ends at the next miss (>= 0). */
  maxMisses: number;
  /**
   * How much of one independent observation a new look (a frame whose pixels under the box changed)
   * is worth in the temporal confidence (0..1].
   */
  frameEvidenceWeight: number;
  /**
   * Time (ms) between frames for each to count with the full `frameEvidenceWeight`. Frames closer
   * together than this count proportionally less, so a track's confidence depends on how long the
   * object was seen, not on how densely the video was sampled.
   */
  evidenceIntervalMs: number;
  /**
   * How much a look at an unchanged picture counts, as a fraction of a new look [0..1]: a frame whose
   * pixels under the box did not change since the track's previous frame adds this share of its
   * evidence (see lookNovelty in temporal-confidence.ts).
   */
  repeatedLookWeight: number;
  /**
   * Most independent observations a whole track can amount to, however long it lasts. Errors of a
   * detector on one scene are systematic (the same background fools it in every frame), so a track
   * whose frames each have probability p of being right is at most 1 − (1 − p̄)^N sure, p̄ being the
   * frames' geometric-mean probability.
   */
  maxIndependentObservations: number;
  /** Factor (0..1] applied to a track's accumulated evidence at every missed frame. */
  missDecay: number;
  /** Standard deviation of a detector's box centre and size error, as a fraction of the box size. */
  measurementNoise: number;
  /**
   * Standard deviation of the unmodelled change of velocity over one second, in box sizes per
   * second: how far an object may stray from constant velocity.
   */
  accelerationNoise: number;
  /** Standard deviation of a new track's unknown velocity, in box sizes per second. */
  initialVelocityNoise: number;
  /**
   * Standard deviation of a box's width or height change over one second, as a fraction of it (the
   * filter gives sizes no velocity, see kalman.ts).
   */
  sizeChangeNoise: number;
}

/**
 * - `highConfidence: 30` — inputs are calibrated probabilities, not raw scores, so ByteTrack's usual
 *   0.5–0.6 would be too strict: an object the model sees consistently at 35–45 % must be able to
 *   start a track, or temporal evidence could never lift it. Short false tracks are cheap because
 *   their temporal confidence stays low.
 * - `lowConfidence: 10` — ByteTrack's low threshold: below it detections are mostly background.
 * - `minIou: 0.2` — frames are sampled (a few per second), so objects move further between frames
 *   than in SORT's 30 fps setting (0.3); the Kalman prediction absorbs most of that motion.
 * - `matchBuffer: 0.3` — buffered IoU (BIoU, Yang et al. 2023; their first-stage buffer): at 2
 *   frames/s a small walking person moves about half its width between frames and its box changes
 *   shape (legs, the frame edge), so the plain IoU of two of its boxes falls to 0.15–0.17 (measured,
 *   person-bicycle-car-detection.gif) and the person was never tracked. Buffering by 0.3 of the size
 *   lifts that to about 0.3 while two boxes that are clearly apart (a gap of 0.6 box sizes or
 *   more) still do not overlap.
 * - `firstMatchBuffer: 0.3` (the same as `matchBuffer`) — a track's second match has no velocity
 *   to predict with, and at 2 frames/s an object on a conveyor belt moves 1.5–2 box widths between
 *   samples (fruit-and-vegetable-detection.mp4: the apple, 0.13 wide, moves 0.23 a sample), so its
 *   boxes never overlap and it is never tracked. A buffer of 1 (boxes up to about 2.5 sizes apart
 *   match; three bottles 3 widths apart still do not) tracks such objects, but measured on the
 *   held-out quality table it reported more false labels than true ones it gained (the orange, and
 *   the detector's cat for a cauliflower; bench/quality/run.ts), so it is not the default. YOLOv5s,
 *   which sees no cat there, sets it to 1 in its manifest (`tracker`): held out, its labels go from
 *   0.81 to 0.94 recall (the apple and the orange), precision 1.00 either way.
 * - `birthHits: 2` — as ByteTrack, a track is confirmed on its second consecutive match: one-frame
 *   blips never appear, objects seen in only two sampled frames still do.
 * - `faintLookConfirmsFrom: { hand: 30 }` — a hand moves fast, opens, closes and blurs, so the hand
 *   detector's score for one hand swings between samples 0.5 s apart (bottle-detection.mp4: 0.76 then
 *   0.28, 0.51 then 0.29, 0.59 then 0.25): a hand seen once surely and then faintly was never
 *   confirmed, and its Person was missed. A hand first seen at 30 or more, in a new look, is
 *   confirmed by a faint second look at it (it is reported only where its confidence reaches the
 *   caller's MinConfidence). 30 is the all-clips fit after the hand score (bench/quality/people.ts,
 *   F0.5 on Hand and Person per instant, of never/90/80/.../30); fitted without the bottle clip it is
 *   50 (README, people labels, for the held-out figures). Not for the object detector's classes:
 *   there it added false boxes and no label (objects per instant 0.95 -> 0.93 precision, Person
 *   boxes 0.87 -> 0.83, recall unchanged; bench/quality/run.ts, at 50).
 * - `maxMisses: 3` — bridges about one second of occlusion at typical sampling rates (ByteTrack
 *   keeps lost tracks about a second) without letting the prediction drift far.
 * - `frameEvidenceWeight: 1` — a new look is one observation: the calibration already says how
 *   often one look is right, so a track's first frame has its calibrated confidence. What makes
 *   frames of one video count for less is modelled by `repeatedLookWeight` and
 *   `maxIndependentObservations`. Crossing counts: temporal-confidence.ts (2 new looks at 35 %
 *   cross 50).
 * - `evidenceIntervalMs: 500` — the default sampling interval (2 frames/s): at that rate or slower
 *   every frame counts fully; analysing every frame of a 25 fps video does not make a track 12 times
 *   surer.
 * - `repeatedLookWeight: 0.05` — twenty looks at an unchanged picture (10 s at 2 frames/s) are
 *   worth one new look: the detector answers the same pixels the same way, so repeating them is
 *   next to no evidence, and a static mistake (a window taken for a TV, clasped hands for a cup)
 *   must not become sure by being seen for a long time. Fitted, not chosen: of 0, 0.05, 0.1, 0.2
 *   and 0.35, the weight that gives the nine labelled clips' labels the best F0.5
 *   (bench/quality/run.ts, which reports the quality of weights fitted without the clip scored).
 *   A still object the model is sure of (per-frame 50 % or more) is reported at its first frame; a
 *   still 45 % one crosses 50 at its fifth (2 s), a still 35 % one at its fourteenth (6.5 s); a
 *   moving 35 % one at its second.
 * - `maxIndependentObservations: 3` — a track never counts for more than three independent looks:
 *   consistent frames at 20 % per-frame confidence stay below 50 (1 − 0.8³ = 48.8 %), frames at 30 %
 *   reach at most 65.7 %, frames at 60 % at most 93.6 %. This is what keeps a detector's systematic
 *   mistake on a static scene (the same wrong box in every frame) from becoming certain.
 * - `missDecay: 0.5` — each miss halves the evidence, so a re-found track must partly re-earn it.
 * - `measurementNoise: 0.05` — a detector box edge is typically off by about 1/20 of the box
 *   (DeepSORT uses the same proportion).
 * - `accelerationNoise: 1` — people and cars change speed by about one body/car length per second.
 * - `initialVelocityNoise: 1` — a new object may move up to about its own size per second.
 * - `sizeChangeNoise: 0.5` — a box may grow or shrink by about half in a second (a person turning
 *   side-on, the detector taking a rider with or without the bicycle): against the 5 % measurement
 *   noise, the size follows each new box almost entirely, so it never lags real growth by more than
 *   a frame; it only stops a size change from being extrapolated.
 */
export const DEFAULT_TRACKER_OPTIONS: Readonly<TrackerOptions> = Object.freeze({
  highConfidence: 30,
  lowConfidence: 10,
  minIou: 0.2,
  matchBuffer: 0.3,
  firstMatchBuffer: 0.3,
  birthHits: 2,
  faintLookConfirmsFrom: Object.freeze({ hand: 30 }),
  maxMisses: 3,
  frameEvidenceWeight: 1,
  evidenceIntervalMs: 500,
  repeatedLookWeight: 0.05,
  maxIndependentObservations: 3,
  missDecay: 0.5,
  measurementNoise: 0.05,
  accelerationNoise: 1,
  initialVelocityNoise: 1,
  sizeChangeNoise: 0.5,
});

type Check = (value: number) => boolean;
const between = (low: number, high: number): Check => (value) => value >= low && value <= high;
const aboveZeroUpTo = (high: number): Check => (value) => value > 0 && value <= high;
const wholeAtLeast = (low: number): Check => (value) => Number.isInteger(value) && value >= low;
const positive: Check = (value) => value > 0 && Number.isFinite(value);

type NumericOption = Exclude<keyof TrackerOptions, 'faintLookConfirmsFrom'>;

const CHECKS: Record<NumericOption, [Check, string]> = {
  highConfidence: [between(0, 100), 'between 0 and 100'],
  lowConfidence: [between(0, 100), 'between 0 and 100'],
  minIou: [aboveZeroUpTo(1), 'greater than 0 and at most 1'],
  matchBuffer: [between(0, 1), 'between 0 and 1'],
  firstMatchBuffer: [between(0, 3), 'between 0 and 3'],
  birthHits: [wholeAtLeast(1), 'a whole number of at least 1'],
  maxMisses: [wholeAtLeast(0), 'a whole number of at least 0'],
  frameEvidenceWeight: [aboveZeroUpTo(1), 'greater than 0 and at most 1'],
  evidenceIntervalMs: [positive, 'a positive number'],
  repeatedLookWeight: [between(0, 1), 'between 0 and 1'],
  maxIndependentObservations: [positive, 'a positive number'],
  missDecay: [aboveZeroUpTo(1), 'greater than 0 and at most 1'],
  measurementNoise: [positive, 'a positive number'],
  accelerationNoise: [positive, 'a positive number'],
  initialVelocityNoise: [positive, 'a positive number'],
  sizeChangeNoise: [positive, 'a positive number'],
};

/** Fills in defaults and rejects out-of-range values, naming the option at fault. */
export const resolveTrackerOptions = (overrides: Partial<TrackerOptions> = {}): TrackerOptions => {
  const given = Object.entries(overrides).filter(([, value]) => value !== undefined);
  const merged: TrackerOptions = { ...DEFAULT_TRACKER_OPTIONS, ...Object.fromEntries(given) };
  const options: TrackerOptions = { ...merged, firstMatchBuffer: overrides.firstMatchBuffer ?? merged.matchBuffer };
  for (const [name, [isValid, expectation]] of Object.entries(CHECKS) as [NumericOption, [Check, string]][]) {
    if (!isValid(options[name])) throw invalidParameter(`Tracker option ${name} must be ${expectation}, got ${options[name]}.`);
  }
  const faintLooks = options.faintLookConfirmsFrom;
  if (!isRecord(faintLooks)) {
    throw invalidParameter(`Tracker option faintLookConfirmsFrom must map class names to confidences between 0 and 100, got ${JSON.stringify(faintLooks)}.`);
  }
  for (const [className, confidence] of Object.entries(faintLooks)) {
    if (!between(0, 100)(confidence)) throw invalidParameter(`Tracker option faintLookConfirmsFrom.${className} must be between 0 and 100, got ${confidence}.`);
  }
  if (options.lowConfidence > options.highConfidence) {
    throw invalidParameter(
      `Tracker option lowConfidence (${options.lowConfidence}) must not exceed highConfidence (${options.highConfidence}).`,
    );
  }
  return options;
};
