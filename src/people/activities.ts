/**
 * What tracked people are doing (pure): Walking, Running, Standing or Sitting, from each person
 * track's motion over a window of time, normalised by the person's size, and from the poses seen
 * in that window. Each activity is an object of class `walking`, `running`, `standing` or `sitting`
 * with the person's track id, box and confidence, so it becomes a label whose instances are the
 * people doing it.
 *
 * Motion at a timestamp compares the track's first and last boxes within `windowMs` either side:
 * - across the picture: how far the box centre moved, in the person's heights (pixels over the box
 *   height's pixels) per second. A walker crossing the view moves about 0.8 body heights a second
 *   (1.4 m/s, 1.7 m tall), a runner two or more;
 * - in depth: |ln(height ratio)| per second, the rate at which the person grows or shrinks; a
 *   walker at distance d coming towards the camera at speed v grows at v / d per second.
 * A person moving either way faster than the walking thresholds walks (runs above `runningRate`
 * across the picture); one below both still thresholds whose poses are mostly upright stands;
 * between, nothing is said. Walking and running need a body: most of the window's poses show a
 * shoulder and a hip (or there are no poses, when people are not looked at). Sitting is the majority posture of the window's poses (keypoints.ts). A track seen in
 * a window shorter than `leastSpanMs` (a one-frame video, a person just entering) gets no motion
 * activity; a seated pose still says Sitting. A person riding a bicycle, motorcycle, horse or
 * skateboard gets none: riding is not on the list.
 */
import type { Box, FrameDetections, PersonPose, TrackedFrame, TrackedObject } from '../types.js';
import { boxArea, intersectionArea, iou } from '../geometry.js';
import { bodySeen, poseScore, posture, type FrameSize, type Posture as BodyPosture } from './keypoints.js';

/** A sighting's posture; `no body` where its pose scores below `bodyPoseScore` or shows no shoulder and hip (an arm reaching in), `unknown` without a pose. */
export type Posture = BodyPosture | 'no body';

export interface ActivityOptions {
  /** Half the window motion is measured over, ms. */
  windowMs: number;
  /** Motion needs boxes at least this far apart in time, ms. */
  leastSpanMs: number;
  /** A pose shows a body (for the activities) from this pose score; fitted (the least a pose is used at all: keypoints.ts POSE_MIN_SCORE, 0.25). */
  bodyPoseScore: number;
  /** Walking from this many body heights per second across the picture. */
  walkingRate: number;
  /** Walking from this growth rate (|ln height ratio| per second), towards or away from the camera. */
  walkingDepthRate: number;
  /** Running from this many body heights per second across the picture. */
  runningRate: number;
  /** Standing below this many body heights per second across the picture... */
  stillRate: number;
  /** ...and below this growth rate. */
  stillDepthRate: number;
}

/**
 * Defaults. `runningRate` (2 body heights a second, about 3.4 m/s: the walk-run transition is near
 * 2 m/s) is set from biomechanics; the others are fitted on the shared clips, leave-one-clip-out in
 * bench/quality (the figures reported there come from fits that did not see the clip).
 */
export const DEFAULT_ACTIVITY_OPTIONS: ActivityOptions = {
  windowMs: 1000,
  leastSpanMs: 900,
  bodyPoseScore: 0.3,
  walkingRate: 0.2,
  walkingDepthRate: 0.06,
  runningRate: 2,
  stillRate: 0.05,
  stillDepthRate: 0.06,
};

export type Activity = 'walking' | 'running' | 'standing' | 'sitting';

export const ACTIVITY_CLASSES: readonly Activity[] = ['walking', 'running', 'standing', 'sitting'];

export interface Motion {
  /** Body heights per second across the picture. */
  acrossRate: number;
  /** |ln(height ratio)| per second. */
  depthRate: number;
}

interface Sighting {
  timestampMs: number;
  object: TrackedObject;
}

const centre = (box: Box) => ({ x: box.left + box.width / 2, y: box.top + box.height / 2 });

/** The motion between two sightings of one person, in body heights (pixels of `frame`). */
export function motionBetween(first: { timestampMs: number; box: Box }, last: { timestampMs: number; box: Box }, frame: FrameSize): Motion {
  const seconds = (last.timestampMs - first.timestampMs) / 1000;
  const a = centre(first.box);
  const b = centre(last.box);
  const heightPx = ((first.box.height + last.box.height) / 2) * frame.height;
  const movedPx = Math.hypot((b.x - a.x) * frame.width, (b.y - a.y) * frame.height);
  return {
    acrossRate: movedPx / heightPx / seconds,
    depthRate: Math.abs(Math.log(last.box.height / first.box.height)) / seconds,
  };
}

/** The activity that motion (when measured) and the window's postures point to, if any. */
export function activityOf(motion: Motion | undefined, postures: readonly Posture[], options: ActivityOptions = DEFAULT_ACTIVITY_OPTIONS): Activity | undefined {
  const sitting = postures.filter((value) => value === 'sitting').length;
  const upright = postures.filter((value) => value === 'upright').length;
  // Moving needs a body: a box that moves may be an arm reaching in, or a passenger.
  const bodies = postures.filter((value) => value !== 'no body').length;
  if (motion && bodies * 2 > postures.length) {
    if (motion.acrossRate >= options.runningRate) return 'running';
    if (motion.acrossRate >= options.walkingRate || motion.depthRate >= options.walkingDepthRate) return 'walking';
  }
  if (sitting > upright) return 'sitting';
  // Still is not enough: a seated person whose legs the pose cannot see is still too.
  if (motion && motion.acrossRate < options.stillRate && motion.depthRate < options.stillDepthRate && upright > sitting) return 'standing';
  return undefined;
}

/**
 * People shorter than this (source pixels) are not taken for "no body" when their pose shows none:
 * MoveNet's poses of the 16-41 px people of person-bicycle-car-detection.gif score 0.05-0.34,
 * bodies in full view.
 */
export const LEAST_POSED_HEIGHT_PX = 64;

/**
 * What a sighting's pose says. A pose can show a body of any size; that it shows none counts only
 * for people at least {@link LEAST_POSED_HEIGHT_PX} tall.
 */
function sightingPosture(pose: PersonPose | undefined, heightPx: number, frame: FrameSize, bodyPoseScore: number): Posture {
  if (pose === undefined) return 'unknown';
  if (poseScore(pose) >= bodyPoseScore && bodySeen(pose)) return posture(pose, frame);
  return heightPx >= LEAST_POSED_HEIGHT_PX ? 'no body' : 'unknown';
}

/** Things people ride: someone on one is carried, not walking, running, standing or sitting. */
export const RIDDEN_CLASSES: ReadonlySet<string> = new Set(['bicycle', 'motorcycle', 'horse', 'skateboard']);

/** Whether a person rides something: a ridden object a third or more of which lies in the person box's lower half. */
export function isRiding(person: Box, objects: readonly TrackedObject[]): boolean {
  const lowerHalf: Box = { left: person.left, top: person.top + person.height / 2, width: person.width, height: person.height / 2 };
  return objects.some((object) => RIDDEN_CLASSES.has(object.className) && intersectionArea(lowerHalf, object.box) >= boxArea(object.box) / 3);
}

/** The pose of the frame that belongs to a tracked person: the one whose person box overlaps its box most (IoU >= 0.5). */
function poseOf(object: TrackedObject, poses: readonly PersonPose[] | undefined): PersonPose | undefined {
  let best: PersonPose | undefined;
  let bestOverlap = 0.5;
  for (const pose of poses ?? []) {
    const overlap = iou(pose.box, object.box);
    if (overlap >= bestOverlap) {
      best = pose;
      bestOverlap = overlap;
    }
  }
  return best;
}

/**
 * Activity objects for every tracked person at every timestamp, one list per tracked frame (same
 * order). `frames` are the detector's frames (for the poses), `tracked` the tracker's, same order.
 */
export function trackActivities(
  tracked: readonly TrackedFrame[],
  frames: readonly FrameDetections[],
  frame: FrameSize,
  options: ActivityOptions = DEFAULT_ACTIVITY_OPTIONS,
): TrackedObject[][] {
  const byTrack = new Map<number, Array<Sighting & { frameIndex: number; posture: Posture }>>();
  tracked.forEach(({ timestampMs, objects }, frameIndex) => {
    for (const object of objects) {
      if (object.className !== 'person' || isRiding(object.box, objects)) continue;
      const pose = poseOf(object, frames[frameIndex]?.poses);
      const sightings = byTrack.get(object.trackId) ?? [];
      sightings.push({ timestampMs, object, frameIndex, posture: sightingPosture(pose, object.box.height * frame.height, frame, options.bodyPoseScore) });
      byTrack.set(object.trackId, sightings);
    }
  });
  const activities = tracked.map((): TrackedObject[] => []);
  for (const sightings of byTrack.values()) {
    for (const sighting of sightings) {
      const window = sightings.filter(({ timestampMs }) => Math.abs(timestampMs - sighting.timestampMs) <= options.windowMs);
      const first = window[0] as Sighting;
      const last = window[window.length - 1] as Sighting;
      const motion =
        last.timestampMs - first.timestampMs >= options.leastSpanMs
          ? motionBetween({ timestampMs: first.timestampMs, box: first.object.box }, { timestampMs: last.timestampMs, box: last.object.box }, frame)
          : undefined;
      const activity = activityOf(motion, window.map((seen) => seen.posture), options);
      if (activity) activities[sighting.frameIndex]?.push({ ...sighting.object, className: activity });
    }
  }
  return activities;
}
