/** The frame planner on synthetic signatures and detections: no ffmpeg, no model. */
import { describe, expect, it } from 'vitest';
import { changedFraction } from '../../src/picture.js';
import { FramePlanner, type Decision } from '../../src/schedule/plan.js';
import { resolveScheduleOptions, type WorkAvoidanceOptions } from '../../src/schedule/options.js';
import { handsAgreement } from '../../src/pipeline.js';
import { agreementOf } from '../../src/track/index.js';
import type { Detection, SeenInFrame } from '../../src/types.js';

const bottle = (left: number): Detection => ({ className: 'bottle', score: 0.8, confidence: 90, box: { left, top: 0.4, width: 0.1, height: 0.3 } });

interface Scene {
  /** Grey level of the whole picture: frames of one level are the same picture. */
  grey: number;
  detections: Detection[];
}

/**
 * Plans a video of `scenes` (one per sampled frame, 500 ms apart); an inferred frame's detections
 * come back at once. Returns the inferred frame indexes and where each frame's detections came from.
 */
function plan(scenes: Scene[], options: WorkAvoidanceOptions): { inferred: number[]; sourceOf: number[] } {
  const planner = new FramePlanner(resolveScheduleOptions(options), agreementOf(), changedFraction);
  const inferred: number[] = [];
  const sourceOf: number[] = [];
  const apply = (decisions: Decision[]) => {
    for (const decision of decisions) {
      if ('infer' in decision) {
        inferred.push(decision.index);
        sourceOf[decision.index] = decision.index;
        apply(planner.detected(decision.index, scenes[decision.index]!.detections));
      } else sourceOf[decision.index] = decision.reuseFrom;
    }
  };
  scenes.forEach((scene, index) => apply(planner.offer({ index, timestampMs: index * 500, signature: new Float32Array(256).fill(scene.grey) })));
  apply(planner.end());
  expect(planner.finished).toBe(true);
  return { inferred: inferred.sort((a, b) => a - b), sourceOf };
}

const repeat = (count: number, scene: Scene): Scene[] => Array.from({ length: count }, () => scene);
const still: Scene = { grey: 120, detections: [bottle(0.2), bottle(0.6)] };
const black: Scene = { grey: 0, detections: [] };

describe('FramePlanner', () => {
  it('infers every frame with analyzeEveryFrame, and with anchorInterval 1 and no skipping', () => {
    const scenes = repeat(7, still);
    expect(plan(scenes, { analyzeEveryFrame: true }).inferred).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(plan(scenes, { skipSimilarFrames: false, adaptiveSampling: { anchorInterval: 1 } }).inferred).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('has both rules on by default', () => {
    expect(plan(repeat(9, still), {}).inferred).toEqual([0]);
    expect(resolveScheduleOptions({})).toEqual({ skipSimilarFrames: { maxChangedFraction: 1 / 256, maxSkippedMs: 5000 }, anchorInterval: 4 });
  });

  it('infers a still, black, still sequence once per shot with both rules on', () => {
    const scenes = [...repeat(6, still), ...repeat(6, black), ...repeat(6, still)];
    const { inferred, sourceOf } = plan(scenes, { skipSimilarFrames: true, adaptiveSampling: true });
    expect(inferred).toHaveLength(3);
    // Every frame's detections come from a frame of its own shot.
    scenes.forEach((scene, index) => expect(scenes[sourceOf[index]!]!.grey, `frame ${index}`).toBe(scene.grey));
  });

  it('bisects between anchors that disagree, and reuses the nearer end where they agree', () => {
    // The bottle on the right is taken away at frame 3: anchors 0 and 4 disagree, 4 and 8 agree.
    // Between 0 and 4 the middle frame 2 is inferred; 0 and 2 agree (frame 1 reuses 0), 2 and 4 do
    // not (frame 3 is inferred). Between 4 and 8 nothing is inferred.
    const scenes = [...repeat(3, still), ...repeat(6, { grey: 110, detections: [bottle(0.2)] })];
    const { inferred, sourceOf } = plan(scenes, { skipSimilarFrames: false, adaptiveSampling: true });
    expect(inferred).toEqual([0, 2, 3, 4, 8]);
    expect(sourceOf[1]).toBe(0);
    expect(sourceOf.slice(5, 8)).toEqual([4, 4, 8]);
  });

  it('infers a frame like the last inferred one once maxSkippedMs has passed', () => {
    const { inferred } = plan(repeat(10, still), { skipSimilarFrames: { maxSkippedMs: 2000 }, adaptiveSampling: false });
    // Frames 500 ms apart: 0 is inferred, 1-3 are within 2 s of it, 4 is 2 s away.
    expect(inferred).toEqual([0, 4, 8]);
  });

  it('never reuses a frame older than it said could still be reused, with detections coming back late', () => {
    // Shots change every 5 frames; the model answers two offers late, as a busy pool does.
    const scenes = Array.from({ length: 40 }, (_, index) => (Math.floor(index / 5) % 2 === 0 ? still : { grey: 60, detections: [bottle(0.5)] }));
    const planner = new FramePlanner(resolveScheduleOptions({}), agreementOf(), changedFraction);
    const pending: number[][] = [];
    let forgottenBelow = 0;
    const reuses: { index: number; reuseFrom: number; forgottenBelow: number }[] = [];
    const apply = (decisions: Decision[], answerLater: number[]) => {
      for (const decision of decisions) {
        if ('infer' in decision) answerLater.push(decision.index);
        else reuses.push({ ...decision, forgottenBelow });
      }
    };
    scenes.forEach((scene, index) => {
      const now: number[] = [];
      apply(planner.offer({ index, timestampMs: index * 500, signature: new Float32Array(256).fill(scene.grey) }), now);
      pending.push(now);
      for (const answered of pending.length > 2 ? pending.shift()! : []) {
        const later: number[] = [];
        apply(planner.detected(answered, scenes[answered]!.detections), later);
        pending[pending.length - 1]!.push(...later);
      }
      forgottenBelow = Math.max(forgottenBelow, Math.min(planner.earliestReusable, index + 1));
    });
    const rest: number[] = pending.flat();
    apply(planner.end(), rest);
    while (rest.length > 0) {
      const answered = rest.shift()!;
      apply(planner.detected(answered, scenes[answered]!.detections), rest);
    }
    expect(planner.finished).toBe(true);
    expect(reuses.length).toBeGreaterThan(10);
    for (const reuse of reuses) expect(reuse.reuseFrom, `frame ${reuse.index}`).toBeGreaterThanOrEqual(reuse.forgottenBelow);
    // It does move on: by the last shot, the first shots' frames are no longer kept.
    expect(forgottenBelow).toBeGreaterThanOrEqual(30);
  });

  it('refuses settings out of range, naming the option', () => {
    expect(() => resolveScheduleOptions({ adaptiveSampling: { anchorInterval: 0 } })).toThrow(/adaptiveSampling\.anchorInterval/);
    expect(() => resolveScheduleOptions({ skipSimilarFrames: { maxChangedFraction: 2 } })).toThrow(/skipSimilarFrames\.maxChangedFraction/);
  });
});

describe('hands-only looks between anchors that agree on objects but not on hands', () => {
  const handsAgree = handsAgreement(undefined, { width: 16, height: 9 });
  const hand = (score: number) => ({ box: { left: 0.7, top: 0.6, width: 0.06, height: 0.1 }, score });
  const withoutHand: SeenInFrame = { detections: [bottle(0.2)], hands: [] };
  const withHand = (score: number): SeenInFrame => ({ detections: [bottle(0.2)], hands: [hand(score)] });
  const objectsAgree = agreementOf();

  it('takes two frames for the same hands as the tracker would match them (pipeline handsAgreement)', () => {
    expect(handsAgree(withoutHand, withHand(0.9))).toBe(false);
    expect(handsAgree(withHand(0.9), withHand(0.8))).toBe(true);
    // A hand too faint to start a track (confidence under highConfidence) changes nothing.
    expect(handsAgree(withoutHand, withHand(0.22))).toBe(true);
  });

  /** The decisions for five frames whose anchors 0 and 4 are `scenes[0]` and `scenes[4]`. */
  const decide = (scenes: SeenInFrame[], withHandsAgree: boolean): Decision[] => {
    const planner = new FramePlanner<SeenInFrame>(resolveScheduleOptions({ skipSimilarFrames: false }), (first, second) => objectsAgree(first.detections, second.detections), changedFraction, withHandsAgree ? handsAgree : undefined);
    const decisions: Decision[] = [];
    const apply = (made: Decision[]) => {
      for (const decision of made) {
        decisions.push(decision);
        if ('infer' in decision) apply(planner.detected(decision.index, scenes[decision.index]!));
      }
    };
    scenes.forEach((_, index) => apply(planner.offer({ index, timestampMs: index * 500 })));
    apply(planner.end());
    return decisions.sort((a, b) => a.index - b.index);
  };

  it('gives the frames between a hands-only look, reusing the nearer anchor for objects, where a hand reached in', () => {
    const reachingIn = [0, 1, 2, 3, 4].map((index) => (index === 4 ? withHand(0.9) : withoutHand));
    expect(decide(reachingIn, true)).toEqual([
      { index: 0, infer: true },
      { index: 1, reuseFrom: 0, lookForHands: true },
      { index: 2, reuseFrom: 0, lookForHands: true },
      { index: 3, reuseFrom: 4, lookForHands: true },
      { index: 4, infer: true },
    ]);
    // Without it, frame 3 takes the hand of frame 4 before it has reached in.
    expect(decide(reachingIn, false)[3]).toEqual({ index: 3, reuseFrom: 4 });
  });

  it('looks at nothing more where the anchors show the same hands, or none', () => {
    for (const scene of [withoutHand, withHand(0.9)]) {
      expect(decide([0, 1, 2, 3, 4].map(() => scene), true).filter((decision) => 'infer' in decision || decision.lookForHands)).toEqual([
        { index: 0, infer: true },
        { index: 4, infer: true },
      ]);
    }
  });
});

