/**
 * Which sampled frames the model must see (pure: no promises, pool or pixels). Frames are offered
 * in order with their similarity signature; the planner answers with decisions, each frame getting
 * exactly one: `infer` (send it to the model) or `reuse` (it gets the detections and the picture
 * of an inferred frame). Decisions that depend on what the model saw come when its detections are
 * handed back (`detected`).
 *
 * Two rules of work avoidance, composable:
 *
 * Similar frames: a frame that differs from the LAST INFERRED anchor (not merely the previous
 * frame, so slow changes add up) in at most `maxChangedFraction` of its signature's cells reuses
 * that frame, unless it is `maxSkippedMs` or more away from it.
 *
 * Adaptive sampling: only every `anchorInterval`-th frame (an anchor; the last frame too) is sure
 * to be decided at once. The frames between two anchors are inferred only where the anchors
 * disagree about what is there (`framesAgree`), by bisection: the middle frame is inferred and
 * each half is judged again; where the ends agree, every frame between reuses the nearer end.
 * With both rules on, a frame bisection would infer is first compared with its window's ends and
 * reuses one that looks the same, so a cut from one still shot to another costs no inference.
 * The price: something that comes and goes entirely between two agreeing anchors, within
 * (anchorInterval − 1) sampled frames, is not seen.
 *
 * Cheaper looks: when the planner is also given `handsAgree`, two ends that agree on objects but
 * not on hands (a hand reached in or left between them) give the frames between a hands-only look
 * (`lookForHands`): they reuse the nearer end's objects and take their own hands, instead of
 * taking the nearer end's hands too (which puts a hand in frames it has not reached yet).
 */
import type { Detection } from '../types.js';
import type { ScheduleOptions } from './options.js';

/** A frame offered to the planner: its place in the video and, when similar frames are skipped, its signature. */
export interface OfferedFrame {
  index: number;
  timestampMs: number;
  /** frames/similarity.ts frameSignature; required when similar frames are skipped. */
  signature?: ArrayLike<number>;
}

export type Decision = { index: number; infer: true } | { index: number; reuseFrom: number; lookForHands?: true };

/** Whether what the models saw in two frames shows the same things in the same places (track/agreement.ts). */
export type FramesAgree<Seen = readonly Detection[]> = (first: Seen, second: Seen) => boolean;

/** Changed fraction of two signatures' cells (frames/similarity.ts changedFraction). */
export type SignatureChange = (a: ArrayLike<number>, b: ArrayLike<number>) => number;

/** A decided frame that other decisions may refer to: where its detections and picture come from. */
interface Settled {
  index: number;
  timestampMs: number;
  /** The inferred frame whose detections and picture it has (itself when inferred). */
  source: number;
  signature: ArrayLike<number> | undefined;
}

interface Window {
  first: Settled;
  middle: OfferedFrame[];
  last: Settled;
}

export class FramePlanner<Seen = readonly Detection[]> {
  readonly #options: ScheduleOptions;
  readonly #framesAgree: FramesAgree<Seen>;
  readonly #handsAgree: FramesAgree<Seen> | undefined;
  readonly #change: SignatureChange;
  /** What the models saw in inferred frames that a waiting window still needs. */
  readonly #detections = new Map<number, Seen>();
  #waiting: Window[] = [];
  #lastInferredAnchor: Settled | undefined;
  #lastAnchor: Settled | undefined;
  #between: OfferedFrame[] = [];
  #offered = 0;
  #decided = 0;
  #ended = false;

  /** `handsAgree`: whether two frames show the same hands; without it, hands are never looked for on their own. */
  constructor(options: ScheduleOptions, framesAgree: FramesAgree<Seen>, change: SignatureChange, handsAgree?: FramesAgree<Seen>) {
    this.#options = options;
    this.#framesAgree = framesAgree;
    this.#handsAgree = handsAgree;
    this.#change = change;
  }

  /** No decision to come can reuse a frame before this index (the runner forgets older frames' results). */
  get earliestReusable(): number {
    const sources = [this.#lastAnchor, this.#lastInferredAnchor, ...this.#waiting.flatMap((window) => [window.first, window.last])].flatMap((settled) => (settled ? [settled.source] : []));
    return sources.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...sources);
  }

  /** Every offered frame has its decision, and no more frames will come. */
  get finished(): boolean {
    return this.#ended && this.#decided === this.#offered;
  }

  offer(frame: OfferedFrame): Decision[] {
    if (this.#ended) throw new Error('FramePlanner: a frame was offered after end()');
    this.#offered += 1;
    if (frame.index % this.#options.anchorInterval !== 0) {
      this.#between.push(frame);
      return [];
    }
    return this.#anchor(frame);
  }

  /** No more frames: the last one, if it waits between anchors, becomes an anchor. */
  end(): Decision[] {
    this.#ended = true;
    const last = this.#between.pop();
    return last ? this.#anchor(last) : [];
  }

  /** What the models saw in an inferred frame: the windows that waited for it are settled now. */
  detected(index: number, seen: Seen): Decision[] {
    this.#detections.set(index, seen);
    const decisions: Decision[] = [];
    let progress = true;
    while (progress) {
      progress = false;
      for (const window of this.#waiting) {
        if (!this.#detections.has(window.first.source) || !this.#detections.has(window.last.source)) continue;
        this.#waiting = this.#waiting.filter((other) => other !== window);
        decisions.push(...this.#settle(window));
        progress = true;
        break;
      }
    }
    this.#forgetUnneededDetections();
    return decisions;
  }

  #anchor(frame: OfferedFrame): Decision[] {
    const { settled, decision } = this.#inferOrReuse(frame, [this.#lastInferredAnchor]);
    if (settled.source === settled.index) this.#lastInferredAnchor = settled;
    const decisions = [decision];
    if (this.#lastAnchor && this.#between.length > 0) decisions.push(...this.#open({ first: this.#lastAnchor, middle: this.#between, last: settled }));
    this.#lastAnchor = settled;
    this.#between = [];
    return decisions;
  }

  /** Inferred, unless it looks like one of `candidates` (decided frames) not too far away in time, which it then reuses. */
  #inferOrReuse(frame: OfferedFrame, candidates: readonly (Settled | undefined)[]): { settled: Settled; decision: Decision } {
    const skip = this.#options.skipSimilarFrames;
    const similar =
      skip && frame.signature
        ? candidates.find(
            (candidate) =>
              candidate?.signature !== undefined &&
              Math.abs(frame.timestampMs - candidate.timestampMs) < skip.maxSkippedMs &&
              this.#change(frame.signature!, candidate.signature) <= skip.maxChangedFraction,
          )
        : undefined;
    this.#decided += 1;
    if (similar) {
      return { settled: { index: frame.index, timestampMs: frame.timestampMs, source: similar.source, signature: similar.signature }, decision: { index: frame.index, reuseFrom: similar.source } };
    }
    return { settled: { index: frame.index, timestampMs: frame.timestampMs, source: frame.index, signature: frame.signature }, decision: { index: frame.index, infer: true } };
  }

  /** A window with both ends' detections known is settled at once; otherwise it waits. */
  #open(window: Window): Decision[] {
    if (window.middle.length === 0) return [];
    if (this.#detections.has(window.first.source) && this.#detections.has(window.last.source)) return this.#settle(window);
    this.#waiting.push(window);
    return [];
  }

  #settle({ first, middle, last }: Window): Decision[] {
    const firstSeen = this.#detections.get(first.source)!;
    const lastSeen = this.#detections.get(last.source)!;
    if (this.#framesAgree(firstSeen, lastSeen)) {
      this.#decided += middle.length;
      const lookForHands = this.#handsAgree !== undefined && !this.#handsAgree(firstSeen, lastSeen);
      return middle.map((frame) => {
        const nearer = frame.timestampMs - first.timestampMs <= last.timestampMs - frame.timestampMs ? first : last;
        return { index: frame.index, reuseFrom: nearer.source, ...(lookForHands ? { lookForHands: true as const } : {}) };
      });
    }
    const centre = Math.floor(middle.length / 2);
    const { settled: pivot, decision } = this.#inferOrReuse(middle[centre]!, [first, last]);
    return [decision, ...this.#open({ first, middle: middle.slice(0, centre), last: pivot }), ...this.#open({ first: pivot, middle: middle.slice(centre + 1), last })];
  }

  /** Detections no waiting window can still ask for (memory stays flat on long videos). */
  #forgetUnneededDetections(): void {
    const needed = new Set(this.#waiting.flatMap((window) => [window.first.source, window.last.source]));
    if (this.#lastAnchor) needed.add(this.#lastAnchor.source);
    for (const index of this.#detections.keys()) if (!needed.has(index)) this.#detections.delete(index);
  }
}
