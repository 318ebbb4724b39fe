import { invalidParameter } from '../errors.js';

/** When a frame counts as "the same picture" as an inferred one (see plan.ts). */
export interface FrameSkipOptions {
  /** Largest fraction of signature cells (0..1) that may have changed for a frame to count as the same picture. */
  maxChangedFraction: number;
  /** A frame is always decided on its own when the inferred one is this old, so nothing goes stale for long. */
  maxSkippedMs: number;
}

/**
 * One cell of 256 may change: a person walking far away changes more than that and is looked at
 * again. (1/64 was measured to lose the small walker of people-detection.gif: her frames were taken
 * for the same picture, reused, and a reused frame is no new look for the tracker; bench/quality.)
 */
export const DEFAULT_FRAME_SKIP: FrameSkipOptions = { maxChangedFraction: 1 / 256, maxSkippedMs: 5000 };

export interface AdaptiveSamplingOptions {
  /** Sampled frames from one anchor to the next (>= 1; 1 infers every frame). */
  anchorInterval: number;
}

/** Anchors 4 sampled frames apart: 2 s at the default 2 frames/s, so a label's presence is known to 2 s before refining. */
export const DEFAULT_ADAPTIVE_SAMPLING: AdaptiveSamplingOptions = { anchorInterval: 4 };

/** The planner's settings, resolved: every rule either off or complete. */
// (Both rules are on by default: measured on the nine labelled clips, the answer is the same as with
// every frame analysed, per instant and per label, from 61 % of the inferences; bench/quality/run.ts.)
export interface ScheduleOptions {
  skipSimilarFrames: FrameSkipOptions | false;
  anchorInterval: number;
}

/**
 * What a caller may give: each rule on (`true`, the default), off, or on with some settings
 * changed; or `analyzeEveryFrame`, which turns both off (every sampled frame goes to the model).
 */
export interface WorkAvoidanceOptions {
  skipSimilarFrames?: boolean | Partial<FrameSkipOptions>;
  adaptiveSampling?: boolean | Partial<AdaptiveSamplingOptions>;
  analyzeEveryFrame?: boolean;
}

/** Fills in defaults and refuses settings out of range, naming the option at fault. */
export function resolveScheduleOptions({ skipSimilarFrames = true, adaptiveSampling = true, analyzeEveryFrame = false }: WorkAvoidanceOptions): ScheduleOptions {
  if (analyzeEveryFrame) return { skipSimilarFrames: false, anchorInterval: 1 };
  const skip = skipSimilarFrames ? { ...DEFAULT_FRAME_SKIP, ...(skipSimilarFrames === true ? {} : skipSimilarFrames) } : false;
  if (skip && !(skip.maxChangedFraction >= 0 && skip.maxChangedFraction <= 1)) {
    throw invalidParameter(`skipSimilarFrames.maxChangedFraction must be from 0 to 1, got ${skip.maxChangedFraction}.`);
  }
  if (skip && !(skip.maxSkippedMs > 0)) throw invalidParameter(`skipSimilarFrames.maxSkippedMs must be above 0, got ${skip.maxSkippedMs}.`);
  const { anchorInterval } = adaptiveSampling ? { ...DEFAULT_ADAPTIVE_SAMPLING, ...(adaptiveSampling === true ? {} : adaptiveSampling) } : { anchorInterval: 1 };
  if (!Number.isInteger(anchorInterval) || anchorInterval < 1) {
    throw invalidParameter(`adaptiveSampling.anchorInterval must be a whole number of at least 1, got ${anchorInterval}.`);
  }
  return { skipSimilarFrames: skip, anchorInterval };
}
