/**
 * Temporal confidence: how sure we are that a track is a real object, from the evidence of its frames.
 *
 * Model — a discounted noisy-OR. Frame i's detection is right with probability p_i = c_i / 100.
 * If frames were independent, the object is real unless every detection is wrong: 1 − Π(1 − p_i).
 * Frames of one video are strongly correlated (same object, same lighting, same model), so each
 * frame counts as only w = `frameEvidenceWeight` of an independent observation. In log form the
 * track keeps one number, its evidence L (nats):
 *
 *   matched frame:  L ← L + e(c),   e(c) = −w · ln(1 − c/100)
 *   missed frame:   L ← γ · L,      γ = `missDecay`
 *   confidence    = 100 · (1 − exp(−L))
 *
 * e(c) grows with c and the confidence grows with L, so a higher per-frame confidence always gives
 * a higher track confidence. Per-frame confidences are capped at {@link MAX_FRAME_CONFIDENCE} so a
 * single "100" cannot make the evidence infinite.
 *
 * Crossing 50. With n consecutive frames all at confidence c (no misses):
 *   C_n = 100 · (1 − (1 − c/100)^(w·n)),  and  C_n ≥ 50  ⇔  n ≥ ln 2 / (w · −ln(1 − c/100)).
 * With the default w = 0.5 this reads (1 − c/100)^n ≤ 1/4, so n ≥ ln 4 / −ln(1 − c/100):
 *   c = 35: n ≥ 1.386 / 0.431 = 3.22 → crosses at frame 4 (C_3 = 47.6, C_4 = 57.8)
 *   c = 40: n ≥ 1.386 / 0.511 = 2.71 → crosses at frame 3 (C_2 = 40.0, C_3 = 53.5)
 *   c = 45: n ≥ 1.386 / 0.598 = 2.32 → crosses at frame 3 (C_2 = 45.0, C_3 = 59.2)
 * A single frame gives C_1 = 100 · (1 − (1 − c/100)^w), which is below c for any w < 1 (22.5 for
 * c = 40) — a one-frame blip never reaches 50 unless c ≥ 75 — and the tracker never reports a
 * track before `birthHits` frames anyway.
 *
 * Time, not frame count. A frame's weight is w · min(1, Δt / `evidenceIntervalMs`), Δt being the
 * time since the track's previous frame, so sampling a video more densely does not make its tracks
 * surer; at the default 2 frames/s every frame has the full weight w and the counts above hold.
 *
 * Systematic errors. Correlated frames are not independent looks: the same background fools a
 * detector in every frame. A track's evidence is therefore capped at N times its frames' mean
 * unweighted evidence (N = `maxIndependentObservations`): confidence ≤ 100 · (1 − (1 − p̄)^N).
 *
 * Offline (whole video known) the confidence at a frame uses the frames on both sides:
 * L_t = F_t + B_t − e_t, where F is the recursion above run forward, B the same run backward, and
 * e_t the frame's own evidence (counted once). A track of n frames all at c therefore has the same
 * confidence C_n on every frame: it is reported at 50 or more from its first frame iff n reaches the
 * counts above. At a missed frame L = γ·(F_before + B_after), never more than at the matched
 * neighbours.
 */

/** Per-frame confidences above this count as this, keeping the evidence finite. */
export const MAX_FRAME_CONFIDENCE = 99.99;

/** The evidence one matched frame adds: −w · ln(1 − c/100). */
export const frameEvidence = (frameConfidence: number, frameEvidenceWeight: number): number =>
  -frameEvidenceWeight * Math.log1p(-Math.min(Math.max(frameConfidence, 0), MAX_FRAME_CONFIDENCE) / 100);

/** How much of `frameEvidenceWeight` a frame gets, from the time since the track's previous frame. */
export const frameWeight = (frameEvidenceWeight: number, millisecondsSincePrevious: number, evidenceIntervalMs: number): number =>
  frameEvidenceWeight * Math.min(1, Math.max(0, millisecondsSincePrevious) / evidenceIntervalMs);

/** The most evidence a track may hold: N times the mean of its frames' unweighted evidence. */
export const evidenceCap = (unweightedFrameEvidence: readonly number[], maxIndependentObservations: number): number =>
  unweightedFrameEvidence.length === 0
    ? 0
    : (maxIndependentObservations * unweightedFrameEvidence.reduce((sum, value) => sum + value, 0)) / unweightedFrameEvidence.length;

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
