import { CELL_CHANGE_THRESHOLD, cellsInside, changedFraction } from '../picture.js';
import type { Box, FrameThumbnail } from '../types.js';

/**
 * Temporal confidence: how sure we are that a track is a real object, from the evidence of its frames.
 *
 * Model — a weighted noisy-OR. Frame i's detection is right with probability p_i = c_i / 100 (the
 * calibrated per-frame confidence). If frames were independent looks, the object is real unless
 * every detection is wrong: 1 − Π(1 − p_i). Frames are not all independent looks, so frame i counts
 * as w_i of one (below). In log form the track keeps one number, its evidence L (nats):
 *
 *   matched frame:  L ← L + e_i,   e_i = −w_i · ln(1 − c_i/100)
 *   missed frame:   L ← γ · L,     γ = `missDecay`
 *   confidence    = 100 · (1 − exp(−L))
 *
 * e grows with c and the confidence grows with L, so a higher per-frame confidence always gives a
 * higher track confidence. Per-frame confidences are capped at {@link MAX_FRAME_CONFIDENCE} so a
 * single "100" cannot make the evidence infinite.
 *
 * What a frame is worth, w_i = W · T_i · N_i:
 * - W = `frameEvidenceWeight`, what one new look is worth (default 1: the calibration already says
 *   how often one look is right, so the first frame of a track has confidence c, not less).
 * - T_i = min(1, Δt / `evidenceIntervalMs`), Δt being the time since the track's previous frame: time,
 *   not frame count, so sampling a video more densely does not make its tracks surer. At the default
 *   2 frames/s, T = 1.
 * - N_i = r + (1 − r) · n_i: new looks, not repeated ones. The detector is deterministic: shown the
 *   same pixels, it says the same thing, so a frame whose pixels under the box did not change since
 *   the track's previous frame is no new observation. n_i ({@link lookNovelty}) is the fraction of
 *   the box's thumbnail cells whose grey level changed since then, r = `repeatedLookWeight`
 *   (default 0.05). An object that moves or changes gathers evidence at the full rate; a static one —
 *   including a static mistake of the detector, such as a window taken for a TV — at rate r, one more
 *   look's worth per 1/r frames. Frames without a thumbnail (n unknown) count as new looks.
 *
 * Crossing 50, at 2 frames/s with n consecutive frames all at confidence c (no misses), W = 1:
 *   new looks:      C_n = 100 · (1 − (1 − c/100)^n)
 *     c = 25: C_2 = 43.8, C_3 = 57.8 → crosses at frame 3
 *     c = 35: C_1 = 35,   C_2 = 57.8 → crosses at frame 2
 *   repeated looks: C_n = 100 · (1 − (1 − c/100)^(1 + r·(n − 1)))
 *     c = 35: C_13 = 49.8, C_14 = 50.9 → crosses at frame 14 (6.5 s)
 *     c = 45: C_4 = 49.7, C_5 = 51.2 → crosses at frame 5 (2 s)
 * A single frame gives C_1 = c: a one-frame detection at c < 50 never reaches 50, and the tracker
 * never reports a track before `birthHits` frames anyway.
 *
 * Systematic errors. However many looks a track gets, the same scene may fool the detector each
 * time. A track's evidence is therefore capped at M times its frames' mean unweighted evidence
 * (M = `maxIndependentObservations`): confidence ≤ 100 · (1 − (1 − p̄)^M), so consistent frames at 20
 * stay below 50 (48.8) however long and however they move.
 *
 * Offline (whole video known) the confidence at a frame uses the frames on both sides:
 * L_t = F_t + B_t − e_t, where F is the recursion above run forward, B the same run backward, and
 * e_t the frame's own evidence (counted once). A track of n frames all at c therefore has the same
 * confidence C_n on every frame: it is reported at 50 or more from its first frame iff n reaches the
 * counts above. At a missed frame L = γ·(F_before + B_after), never more than at the matched
 * neighbours. (The backward run weighs each frame by its novelty relative to the frame before it,
 * as the forward run does.)
 */

/** Per-frame confidences above this count as this, keeping the evidence finite. */
export const MAX_FRAME_CONFIDENCE = 99.99;

/** The evidence one matched frame adds: −w · ln(1 − c/100). */
export const frameEvidence = (frameConfidence: number, frameEvidenceWeight: number): number =>
  -frameEvidenceWeight * Math.log1p(-Math.min(Math.max(frameConfidence, 0), MAX_FRAME_CONFIDENCE) / 100);

/** How much of `frameEvidenceWeight` a frame gets, from the time since the track's previous frame. */
export const frameWeight = (frameEvidenceWeight: number, millisecondsSincePrevious: number, evidenceIntervalMs: number): number =>
  frameEvidenceWeight * Math.min(1, Math.max(0, millisecondsSincePrevious) / evidenceIntervalMs);

/** How much of a new look a look at a picture that changed by `novelty` (0..1) is: r + (1 − r) · novelty. */
export const lookWeight = (novelty: number, repeatedLookWeight: number): number =>
  repeatedLookWeight + (1 - repeatedLookWeight) * Math.min(Math.max(novelty, 0), 1);

/** A look whose novelty is below this is at the same picture (under half the box's cells changed). */
export const SAME_PICTURE_NOVELTY = 0.5;

/**
 * How new a look at `box` is: the fraction (0..1) of the thumbnail cells whose centres lie inside the
 * box (at least the cell holding its centre) whose grey level moved by more than
 * {@link CELL_CHANGE_THRESHOLD} from `previous` to `current` — the same noise rule as frame skipping.
 * 1 when either thumbnail is missing or the two differ in size (nothing to compare with).
 */
export function lookNovelty(previous: FrameThumbnail | undefined, current: FrameThumbnail | undefined, box: Box): number {
  if (!previous || !current || previous.columns !== current.columns || previous.rows !== current.rows) return 1;
  return changedFraction(previous.luma, current.luma, cellsInside(current, box));
}

/**
 * The most evidence a track may hold: N times the mean of its matched frames' unweighted evidence,
 * given as their total and count (kept as running sums, so the cap costs the same at every frame).
 */
export const evidenceCap = (unweightedEvidenceTotal: number, matchedFrames: number, maxIndependentObservations: number): number =>
  matchedFrames === 0 ? 0 : (maxIndependentObservations * unweightedEvidenceTotal) / matchedFrames;

/** The evidence after one more frame: a number for a matched frame's evidence, null for a miss. */
export const accumulateEvidence = (evidence: number, step: number | null, missDecay: number): number =>
  step === null ? evidence * missDecay : evidence + step;

export const confidenceFromEvidence = (evidence: number): number => -100 * Math.expm1(-evidence);

/** Offline evidence at every step of a track: forward plus backward accumulation, each frame counted once. */
export const twoSidedEvidence = (steps: readonly (number | null)[], missDecay: number): number[] => {
  const runForward = (ordered: readonly (number | null)[]): number[] => {
    let evidence = 0;
    return ordered.map((step) => (evidence = accumulateEvidence(evidence, step, missDecay)));
  };
  const forward = runForward(steps);
  const backward = runForward([...steps].reverse()).reverse();
  return steps.map((step, index) => (forward[index] as number) + (backward[index] as number) - (step ?? 0));
};
