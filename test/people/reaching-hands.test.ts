/**
 * A person seen only as a hand next to their track's edge (people/reaching-hands.ts, pure), on
 * synthetic tracks, and through labelTimelinesOf with the hand detector's hands.
 */
import { describe, expect, it } from 'vitest';
import { withReachingHands } from '../../src/people/index.js';
import { labelTimelinesOf } from '../../src/pipeline.js';
import type { Box, Detection, FrameDetections, TrackedFrame, TrackedObject } from '../../src/types.js';

const options = { lowConfidence: 10, missDecay: 0.5 };
/** An arm reaching in from the top left: the person's box, and a hand at the top edge inside it. */
const arm: Box = { left: 0, top: 0, width: 0.22, height: 0.8 };
const handAtEdge: Box = { left: 0.01, top: 0, width: 0.13, height: 0.15 };
const farCorner: Box = { left: 0.78, top: 0.76, width: 0.13, height: 0.12 };

const person = (trackId: number, confidence: number, box: Box = arm): TrackedObject => ({ trackId, className: 'person', box, confidence });
const hand = (box: Box, confidence: number): Detection => ({ className: 'hand', box, score: confidence / 100, confidence });

/** Five frames 500 ms apart; the person tracked at `seenAt`, the frames' detections as given. */
function scene(seenAt: readonly number[], handsAt: Record<number, Detection[]>, people: (index: number) => TrackedObject[] = () => [person(1, 87)]) {
  const frames: FrameDetections[] = Array.from({ length: 5 }, (_, index) => ({ timestampMs: index * 500, detections: handsAt[index] ?? [] }));
  const tracked: TrackedFrame[] = frames.map((frame, index) => ({ timestampMs: frame.timestampMs, objects: seenAt.includes(index) ? people(index) : [] }));
  return { frames, tracked };
}

const peopleAt = (tracked: readonly TrackedFrame[]) => tracked.map((frame) => frame.objects.filter((object) => object.className === 'person'));

describe('a person seen only as a hand next to their track', () => {
  it('is there in the frame after the track ends, with the hand as box, as sure as the decayed person plus the hand', () => {
    const { frames, tracked } = scene([1, 2, 3], { 4: [hand(handAtEdge, 45)] });
    const extended = peopleAt(withReachingHands(tracked, frames, options))[4]!;
    expect(extended).toHaveLength(1);
    expect(extended[0]!.trackId).toBe(1);
    expect(extended[0]!.box).toEqual(handAtEdge);
    // 1 - (1 - 0.87)^0.5 * (1 - 0.45): half the person's evidence (a missed frame) and one look at the hand.
    expect(extended[0]!.confidence).toBeCloseTo(100 * (1 - Math.sqrt(0.13) * 0.55), 9);
  });

  it('and in the frame before it starts; a faint person and a faint hand stay faint', () => {
    const { frames, tracked } = scene([1, 2, 3], { 0: [hand(handAtEdge, 24)] }, () => [person(1, 59)]);
    const extended = peopleAt(withReachingHands(tracked, frames, options))[0]!;
    expect(extended[0]!.confidence).toBeCloseTo(100 * (1 - Math.sqrt(0.41) * 0.76), 9);
    expect(extended[0]!.confidence).toBeLessThan(59);
  });

  it('reaches one analysed frame, no further', () => {
    const { frames, tracked } = scene([0, 1], { 3: [hand(handAtEdge, 90)] });
    expect(peopleAt(withReachingHands(tracked, frames, options))[3]).toEqual([]);
  });

  it("takes no hand outside the person's box (a still shadow in the far corner)", () => {
    const { frames, tracked } = scene([1, 2, 3], { 4: [hand(farCorner, 60)] });
    expect(peopleAt(withReachingHands(tracked, frames, options))[4]).toEqual([]);
  });

  it("takes no hand under the tracker's lowConfidence", () => {
    const { frames, tracked } = scene([1, 2, 3], { 4: [hand(handAtEdge, 9)] });
    expect(peopleAt(withReachingHands(tracked, frames, options))[4]).toEqual([]);
  });

  it('takes no hand another person in that frame already explains', () => {
    const { frames, tracked } = scene([1, 2, 3, 4], { 4: [hand(handAtEdge, 45)] }, (index) => (index === 4 ? [person(2, 90)] : [person(1, 87)]));
    expect(peopleAt(withReachingHands(tracked, frames, options))[4]).toEqual([person(2, 90)]);
  });

  it('gives one hand to one person: of two tracks ending beside it, the surer', () => {
    const { frames, tracked } = scene([1, 2, 3], { 4: [hand(handAtEdge, 45)] }, () => [person(1, 70), person(2, 95)]);
    const extended = peopleAt(withReachingHands(tracked, frames, options))[4]!;
    expect(extended.map((object) => object.trackId)).toEqual([2]);
  });

  it('changes nothing else: the tracked frames come back as they were', () => {
    const { frames, tracked } = scene([1, 2, 3], { 4: [hand(handAtEdge, 45)] });
    const extended = withReachingHands(tracked, frames, options);
    expect(extended.slice(0, 4)).toEqual(tracked.slice(0, 4));
  });
});

describe('through labelTimelinesOf, with the hand detector', () => {
  const personBox = { className: 'person', box: arm, score: 0.9, confidence: 90 };
  const video = (handBox: Box): FrameDetections[] =>
    Array.from({ length: 5 }, (_, index) => ({ timestampMs: index * 500, detections: index < 4 ? [personBox] : [], hands: index === 4 ? [{ box: handBox, score: 0.5 }] : [] }));
  const personAt = (frames: FrameDetections[]) => labelTimelinesOf(frames, { frameSize: { width: 910, height: 512 } }).find((timeline) => timeline.label.name === 'Person')!.occurrences.map((occurrence) => [occurrence.timestampMs, occurrence.confidence >= 50]);

  it('a hand at the top edge after the arm has gone keeps Person there, at MinConfidence 50', () => {
    expect(personAt(video(handAtEdge))).toEqual([[0, true], [500, true], [1000, true], [1500, true], [2000, true]]);
  });

  it('a faint hand elsewhere does not', () => {
    expect(personAt(video(farCorner)).map(([timestampMs]) => timestampMs)).toEqual([0, 500, 1000, 1500]);
  });
});
