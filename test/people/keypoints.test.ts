import { describe, expect, it } from 'vitest';
import { handRegions, headRegion, posture } from '../../src/people/index.js';
import type { Box, Keypoint, PersonPose } from '../../src/types.js';

const frame = { width: 640, height: 360 };
const box: Box = { left: 0.4, top: 0.1, width: 0.1, height: 0.8 };

/** A pose from (x, y) fractions of the box, every keypoint seen unless listed in `hidden`. */
function pose(points: Array<[number, number]>, hidden: number[] = []): PersonPose {
  return {
    box,
    keypoints: points.map(([x, y], index): Keypoint => ({ x: box.left + x * box.width, y: box.top + y * box.height, score: hidden.includes(index) ? 0.1 : 0.8 })),
  };
}

const standing: Array<[number, number]> = [
  [0.5, 0.08], [0.45, 0.06], [0.55, 0.06], [0.4, 0.07], [0.6, 0.07],
  [0.3, 0.2], [0.7, 0.2], [0.25, 0.35], [0.75, 0.35], [0.25, 0.5], [0.75, 0.5],
  [0.4, 0.5], [0.6, 0.5], [0.4, 0.75], [0.6, 0.75], [0.4, 0.98], [0.6, 0.98],
];

describe('what a pose says', () => {
  it('puts the head region on the face keypoints, and none without a shoulder', () => {
    const head = headRegion(pose(standing), frame)!;
    const centreY = head.top + head.height / 2;
    expect(centreY).toBeCloseTo(box.top + 0.068 * box.height, 2);
    expect(headRegion(pose(standing, [5, 6]), frame)).toBeUndefined();
    expect(headRegion(pose(standing, [0, 1, 2, 3]), frame)).toBeUndefined();
  });

  it('tells upright from seated by the knees, and seated at a table by legs hidden above the frame edge', () => {
    expect(posture(pose(standing), frame)).toBe('upright');
    const seated = standing.map(([x, y], index): [number, number] => (index === 13 || index === 14 ? [x, 0.53] : [x, y]));
    expect(posture(pose(seated), frame)).toBe('sitting');
    // Knees and ankles hidden, the box ending at the hips, inside the frame, the body spread sideways
    // (148 px tall, 160 px wide): someone seated at a desk.
    const atDesk: PersonPose = { ...pose(standing, [13, 14, 15, 16]), box: { ...box, width: 0.25, height: 0.5 * box.height + 0.01 } };
    expect(posture(atDesk, frame)).toBe('sitting');
    // The same upper body as tall and narrow as a standing person's (148 px by 64): legs behind a shelf, nothing said.
    const behindShelf: PersonPose = { ...atDesk, box: { ...atDesk.box, width: 0.1 } };
    expect(posture(behindShelf, frame)).toBe('unknown');
    // The same, but cut by the frame's bottom edge: nothing can be said.
    const cutByFrame: PersonPose = { ...atDesk, box: { ...atDesk.box, top: 0.6, height: 0.4 } };
    cutByFrame.keypoints = cutByFrame.keypoints.map((point, index) => (index === 11 || index === 12 ? { ...point, y: 0.99 } : point));
    expect(posture(cutByFrame, frame)).toBe('unknown');
  });

  it('puts a hand beyond each seen wrist, along the forearm', () => {
    const hands = handRegions(pose(standing), frame);
    expect(hands).toHaveLength(2);
    const wrist = pose(standing).keypoints[9]!;
    const hand = hands[0]!.box;
    expect(hand.top + hand.height / 2).toBeGreaterThan(wrist.y);
    expect(handRegions(pose(standing, [9, 10]), frame)).toEqual([]);
  });
});
