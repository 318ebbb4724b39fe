/**
 * People stage (pure). In the detector's worker, each frame's people get a pose and a face search
 * (detect/people.ts, with keypoints.ts and blazeface.ts here). Here, before tracking, the poses
 * become face, head and hand detections (parts.ts); after tracking, what the tracked people are
 * doing (activities.ts) and how many are there at once (groups.ts).
 */
import type { FrameDetections, TrackedFrame } from '../types.js';
import { DEFAULT_ACTIVITY_OPTIONS, trackActivities, type ActivityOptions } from './activities.js';
import { groupsAmong } from './groups.js';
import type { FrameSize } from './keypoints.js';

export { ACTIVITY_CLASSES, activityOf, DEFAULT_ACTIVITY_OPTIONS, motionBetween, trackActivities, type Activity, type ActivityOptions } from './activities.js';
export { CROWD_SIZE, GROUP_SIZES, groupsAmong } from './groups.js';
export { headRegion, handRegions, posture, KEYPOINT, VISIBLE_KEYPOINT_SCORE } from './keypoints.js';
export { DEFAULT_PART_OPTIONS, detectionsWithParts, partsOf, withPersonParts, type PartOptions } from './parts.js';
export { poseScore, POSE_MIN_SCORE } from './keypoints.js';
export { HAND_INSIDE_PERSON, withReachingHands, type ReachingHandOptions } from './reaching-hands.js';

/** Every label the people stage makes (with the parents it brings: Head for Face, Body Part for Hand). */
export const PEOPLE_STAGE_LABELS: readonly string[] = ['Face', 'Head', 'Hand', 'Body Part', 'Walking', 'Running', 'Standing', 'Sitting', 'People', 'Crowd'];

/**
 * The labels that need the pose and face models: without any of them, the models are not run.
 * Sitting and Standing rest on poses; Walking, Running, People and Crowd need only person tracks.
 */
export const LABELS_NEEDING_PEOPLE_MODELS: readonly string[] = ['Face', 'Head', 'Hand', 'Body Part', 'Sitting', 'Standing'];

/** Tracked frames with the people stage's labels added: activity objects and group labels. */
export function withPeopleLabels(tracked: readonly TrackedFrame[], frames: readonly FrameDetections[], frame: FrameSize, options: ActivityOptions = DEFAULT_ACTIVITY_OPTIONS): TrackedFrame[] {
  const activities = trackActivities(tracked, frames, frame, options);
  return tracked.map((trackedFrame, index) => {
    const groupsHere = groupsAmong(trackedFrame.objects);
    return {
      ...trackedFrame,
      objects: [...trackedFrame.objects, ...(activities[index] ?? [])],
      ...(groupsHere.length > 0 ? { groups: [...(trackedFrame.groups ?? []), ...groupsHere] } : {}),
    };
  });
}
