import { iou } from '../geometry.js';
import type { Box, TrackedFrame } from '../types.js';

/**
 * One name per object. A detector that is unsure what a thing is calls it one class in some
 * frames and another in others (an overhead car: Car, then Cell Phone, then Car); the tracker,
 * which keeps one track per class, then holds two tracks on one box, and both names are reported.
 * Two tracks of different classes are the same object when, in the frames where both are tracked,
 * their boxes overlap at least `sameObjectIou` in at least `leastOverlappingShare` of them; of
 * the two, the track with less evidence (the sum of its confidence over the frames it is tracked
 * in, after scene context: a phone with nobody in view has next to none) goes, whole: the object
 * is reported by the name it wore most.
 *
 * Set, not fitted: 0.5 IoU is the usual bar for two boxes on one object (COCO's, the NMS's), and
 * "most of the time together" keeps two things that only pass each other. People are left alone:
 * a person overlaps what they hold or ride (a bicycle, a chair), and their parts (face, head,
 * hand) lie inside their box by design.
 */
export interface RivalNameRule {
  sameObjectIou: number;
  leastOverlappingShare: number;
}

export const DEFAULT_RIVAL_NAME_RULE: RivalNameRule = { sameObjectIou: 0.5, leastOverlappingShare: 0.5 };

/** Classes never treated as rival names: people and the parts the people stage finds on them. */
const PEOPLE_CLASSES: ReadonlySet<string> = new Set(['person', 'face', 'head', 'hand']);

interface TrackSummary {
  className: string;
  evidence: number;
  boxes: Map<number, Box>;
}

function summariseTracks(frames: readonly TrackedFrame[]): Map<number, TrackSummary> {
  const tracks = new Map<number, TrackSummary>();
  frames.forEach((frame, frameIndex) => {
    for (const object of frame.objects) {
      if (PEOPLE_CLASSES.has(object.className)) continue;
      const track = tracks.get(object.trackId) ?? { className: object.className, evidence: 0, boxes: new Map<number, Box>() };
      track.evidence += object.confidence;
      track.boxes.set(frameIndex, object.box);
      tracks.set(object.trackId, track);
    }
  });
  return tracks;
}

function sameObject(a: TrackSummary, b: TrackSummary, rule: RivalNameRule): boolean {
  let shared = 0;
  let overlapping = 0;
  for (const [frameIndex, box] of a.boxes) {
    const other = b.boxes.get(frameIndex);
    if (!other) continue;
    shared += 1;
    if (iou(box, other) >= rule.sameObjectIou) overlapping += 1;
  }
  return overlapping > 0 && overlapping >= rule.leastOverlappingShare * shared;
}

/** The tracked frames with every track that lost its object to a rival name removed (see RivalNameRule). Pure. */
export function dropRivalNames(frames: readonly TrackedFrame[], rule: RivalNameRule = DEFAULT_RIVAL_NAME_RULE): TrackedFrame[] {
  const tracks = [...summariseTracks(frames)];
  const losers = new Set<number>();
  for (const [index, [idA, a]] of tracks.entries()) {
    for (const [idB, b] of tracks.slice(index + 1)) {
      if (a.className === b.className || !sameObject(a, b, rule)) continue;
      // The weaker name goes; on a tie the later track (the higher id), so the answer does not depend on order.
      losers.add(a.evidence > b.evidence || (a.evidence === b.evidence && idA < idB) ? idB : idA);
    }
  }
  if (losers.size === 0) return [...frames];
  return frames.map((frame) => ({ ...frame, objects: frame.objects.filter((object) => !losers.has(object.trackId)) }));
}
