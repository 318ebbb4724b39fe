/**
 * A person is still there where only their hand is (pure). A person reaching into the picture is
 * first, and last, seen as a hand alone: the object detector finds the arm once it is well in, the
 * hand detector already at the first fingers (bottle-detection.mp4: at 13.5, 22.5 and 27.5 s the
 * hand at the top edge scores 0.52, 0.37 and 0.51, and the person box went half a second earlier
 * or comes half a second later). The hand's own track is one faint look and never confirmed, so the
 * Person there was missed although a person would say one is in view.
 *
 * So the analysed frame just before a person track's first frame and the one just after its last
 * may take a hand that lies inside the person's box at that edge: ByteTrack's rule that a faint
 * detection may extend a confirmed track (never start one), with the hand as the detection and the
 * frame next to the edge as the only place it applies. Such a hand extends the person's track by
 * that one frame, with the hand's box (the part of the person that is in view) and the confidence
 * of the person's evidence decayed as for a missed frame plus the hand's own look:
 *
 *   L = missDecay · L_edge + e_hand,   e = −ln(1 − c/100)   (track/temporal-confidence.ts)
 *
 * At the default missDecay 0.5, a person at 87 with a hand at 45 gives 80; a person at 59 with a hand
 * at 24 gives 51. Nothing here is fitted: the hand needs the tracker's `lowConfidence` (a faint
 * detection), at least {@link HAND_INSIDE_PERSON} of its box inside the person's, and reaches one
 * analysed frame, no further. A hand that a person already in that frame explains extends nobody;
 * a hand extends one person (the surest), a person takes one hand at each edge (the surest).
 */
import { boxArea, intersectionArea } from '../geometry.js';
import { confidenceFromEvidence, frameEvidence } from '../track/index.js';
import type { Box, Detection, FrameDetections, TrackedFrame, TrackedObject } from '../types.js';

/** A hand belongs to a person's box when this much of the hand's box lies inside it. */
export const HAND_INSIDE_PERSON = 0.5;

export interface ReachingHandOptions {
  /** Per-frame confidence a hand needs (the tracker's lowConfidence). */
  lowConfidence: number;
  /** Factor on the person's evidence for the frame in which the person's box was not seen (the tracker's missDecay). */
  missDecay: number;
}

const handInside = (hand: Box, person: Box): boolean => intersectionArea(hand, person) >= HAND_INSIDE_PERSON * boxArea(hand);

interface Extension {
  frameIndex: number;
  hand: Detection;
  object: TrackedObject;
}

/** Each person track's first and last frame index and its object there. */
function personTrackEdges(tracked: readonly TrackedFrame[]): Array<{ first: [number, TrackedObject]; last: [number, TrackedObject] }> {
  const edges = new Map<number, { first: [number, TrackedObject]; last: [number, TrackedObject] }>();
  tracked.forEach((frame, frameIndex) => {
    for (const object of frame.objects) {
      if (object.className !== 'person') continue;
      const known = edges.get(object.trackId);
      if (known) known.last = [frameIndex, object];
      else edges.set(object.trackId, { first: [frameIndex, object], last: [frameIndex, object] });
    }
  });
  return [...edges.values()];
}

/**
 * The tracked frames with each person track extended, where a hand shows it, by one analysed frame
 * before its first and after its last. `frames` are the frames the tracker was given (hands among
 * their detections: parts.ts), one per tracked frame.
 */
export function withReachingHands(tracked: readonly TrackedFrame[], frames: readonly FrameDetections[], options: ReachingHandOptions): TrackedFrame[] {
  const candidates: Extension[] = [];
  for (const { first, last } of personTrackEdges(tracked)) {
    for (const [frameIndex, edge] of [[first[0] - 1, first[1]], [last[0] + 1, last[1]]] as const) {
      const frame = frames[frameIndex];
      const trackedThere = tracked[frameIndex];
      if (!frame || !trackedThere) continue;
      const peopleThere = trackedThere.objects.filter((object) => object.className === 'person');
      const hand = frame.detections
        .filter((detection) => detection.className === 'hand' && detection.confidence >= options.lowConfidence && handInside(detection.box, edge.box))
        .filter((detection) => !peopleThere.some((person) => handInside(detection.box, person.box)))
        .sort((a, b) => b.confidence - a.confidence)[0];
      if (!hand) continue;
      const evidence = options.missDecay * frameEvidence(edge.confidence, 1) + frameEvidence(hand.confidence, 1);
      candidates.push({ frameIndex, hand, object: { trackId: edge.trackId, className: 'person', box: hand.box, confidence: confidenceFromEvidence(evidence) } });
    }
  }
  // One person per hand: the surest extension of each hand wins.
  const kept = new Map<Detection, Extension>();
  for (const candidate of candidates.sort((a, b) => b.object.confidence - a.object.confidence)) {
    if (!kept.has(candidate.hand)) kept.set(candidate.hand, candidate);
  }
  const added = tracked.map((): TrackedObject[] => []);
  for (const { frameIndex, object } of kept.values()) added[frameIndex]!.push(object);
  return tracked.map((frame, index) =>
    added[index]!.length === 0 ? frame : { ...frame, objects: [...frame.objects, ...added[index]!].sort((a, b) => a.trackId - b.trackId) },
  );
}
