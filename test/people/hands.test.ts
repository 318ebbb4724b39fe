/**
 * Hands from the hand detector (people/parts.ts, pure): what its boxes become, which are refused,
 * how they meet the hands placed at a pose's wrists, and the labels they give with nobody detected.
 */
import { describe, expect, it } from 'vitest';
import { HAND_SCORE_AT_50 } from '../../src/people/confidence.js';
import { handRegions, withPersonParts } from '../../src/people/index.js';
import { labelTimelinesOf } from '../../src/pipeline.js';
import type { Box, FrameDetections, Keypoint, PersonPose } from '../../src/types.js';

const frame = { width: 910, height: 512 };
const handsIn = (detected: FrameDetections) => withPersonParts([detected], frame)[0]!.detections.filter((detection) => detection.className === 'hand');

/** A box of `width` x `height` pixels of the 910 x 512 frame, at the top edge (an arm reaching in). */
const pixelBox = (left: number, width: number, height: number): Box => ({ left, top: 0, width: width / frame.width, height: height / frame.height });

describe('hands the hand detector found', () => {
  it('become hand detections, 50 confident at the fitted score and surer above it', () => {
    const handAt = (score: number) => handsIn({ timestampMs: 0, detections: [], hands: [{ box: pixelBox(0.1, 155, 169), score }] })[0];
    expect(handAt(HAND_SCORE_AT_50)?.confidence).toBeCloseTo(50, 9);
    expect(handAt(0.87)?.confidence).toBeGreaterThan(80);
    expect(handAt(0.87)?.box).toEqual(pixelBox(0.1, 155, 169));
  });

  it('refuse boxes no hand makes: a "fist" 237 x 41 px along a car cut by the frame edge (car-detection.mp4)', () => {
    const hands = [
      { box: pixelBox(0.4, 237, 41), score: 0.87 },
      { box: pixelBox(0.1, 100, 40), score: 0.6 }, // fingertips at the edge, 2.5 : 1: a hand
    ];
    expect(handsIn({ timestampMs: 0, detections: [], hands }).map((hand) => hand.box)).toEqual([pixelBox(0.1, 100, 40)]);
  });

  it("and a pose's wrist square for the same hand make one hand, the surer box", () => {
    const body: Box = { left: 0.4, top: 0.1, width: 0.1, height: 0.8 };
    const points: Array<[number, number]> = [
      [0.5, 0.08], [0.45, 0.06], [0.55, 0.06], [0.4, 0.07], [0.6, 0.07], [0.3, 0.2], [0.7, 0.2], [0.25, 0.35], [0.75, 0.35],
      [0.25, 0.5], [0.75, 0.5], [0.4, 0.5], [0.6, 0.5], [0.4, 0.75], [0.6, 0.75], [0.4, 0.98], [0.6, 0.98],
    ];
    const pose: PersonPose = { box: body, keypoints: points.map(([x, y]): Keypoint => ({ x: body.left + x * body.width, y: body.top + y * body.height, score: 0.8 })) };
    const [left, right] = handRegions(pose, frame);
    const person = { box: body, className: 'person', score: 0.8, confidence: 95 };
    // The detector sees the left hand (a slightly different box, surer than the wrist), not the right.
    const seenLeft = { ...left!.box, left: left!.box.left + 0.002 };
    const hands = handsIn({ timestampMs: 0, detections: [person], poses: [pose], hands: [{ box: seenLeft, score: 0.9 }] });
    expect(hands).toHaveLength(2);
    expect(hands.map((hand) => hand.box)).toContainEqual(seenLeft);
    expect(hands.map((hand) => hand.box)).toContainEqual(right!.box);
  });
});

describe('a hand reaching in with no person detected', () => {
  it('gives Hand, Body Part and Person while it is there, and nothing once it has gone', () => {
    const frames: FrameDetections[] = [0, 1, 2, 3, 4, 5].map((index) => ({
      timestampMs: index * 500,
      detections: [],
      hands: index < 3 ? [{ box: { ...pixelBox(0.1 + 0.02 * index, 150, 160) }, score: 0.8 }] : [],
    }));
    const labels = labelTimelinesOf(frames, { frameSize: frame });
    const seenAt = (name: string) => labels.find((timeline) => timeline.label.name === name)?.occurrences.filter((occurrence) => occurrence.confidence >= 50).map((occurrence) => occurrence.timestampMs);
    for (const name of ['Hand', 'Body Part', 'Person']) expect(seenAt(name)).toEqual([0, 500, 1000]);
    expect(labels.find((timeline) => timeline.label.name === 'Hand')?.occurrences[0]?.instances).toHaveLength(1);
  });
});
