import { describe, expect, it } from 'vitest';
import { activityOf, DEFAULT_ACTIVITY_OPTIONS, motionBetween, trackActivities } from '../../src/people/index.js';
import { labelTimelinesOf } from '../../src/pipeline.js';
import type { Box, FrameDetections, Keypoint, PersonPose, TrackedFrame } from '../../src/types.js';

const frame = { width: 1280, height: 720 };

/** An upright body in `box`: shoulders a fifth of the way down, hips at half, knees at three quarters. */
function uprightPose(box: Box): PersonPose {
  const at = (x: number, y: number): Keypoint => ({ x: box.left + x * box.width, y: box.top + y * box.height, score: 0.8 });
  const keypoints = [at(0.5, 0.08), at(0.45, 0.06), at(0.55, 0.06), at(0.4, 0.07), at(0.6, 0.07), at(0.3, 0.2), at(0.7, 0.2), at(0.25, 0.35), at(0.75, 0.35), at(0.25, 0.5), at(0.75, 0.5), at(0.4, 0.5), at(0.6, 0.5), at(0.4, 0.75), at(0.6, 0.75), at(0.4, 0.98), at(0.6, 0.98)];
  return { box, keypoints };
}

/** A seated body: knees at hip height (thighs horizontal). */
function seatedPose(box: Box): PersonPose {
  const pose = uprightPose(box);
  const keypoints = pose.keypoints.map((point, index) => (index === 13 || index === 14 ? { ...point, y: box.top + 0.52 * box.height } : point));
  return { box, keypoints };
}

/** An arm reaching in: wrists and elbows, no shoulder or hip. */
function armPose(box: Box): PersonPose {
  return { box, keypoints: uprightPose(box).keypoints.map((point, index) => ({ ...point, score: index >= 7 && index <= 10 ? 0.8 : 0.05 })) };
}

/**
 * One person, every frame of 2 s at 25 frames/s (the tracker follows a runner from frame to frame),
 * whose box (a fifth of the frame's height, 0.4 of that wide) moves `heightsPerSecond` body heights
 * a second to the right.
 */
function movingPerson(heightsPerSecond: number, pose: (box: Box) => PersonPose = uprightPose): FrameDetections[] {
  const height = 1 / 5;
  const heightInWidths = (height * frame.height) / frame.width;
  return Array.from({ length: 51 }, (_, index) => {
    const seconds = index / 25;
    const box: Box = { left: 0.02 + seconds * heightsPerSecond * heightInWidths, top: 0.3, width: 0.4 * heightInWidths, height };
    return { timestampMs: index * 40, detections: [{ box, className: 'person', score: 0.9, confidence: 90 }], poses: [pose(box)] };
  });
}

const activityLabels = (frames: FrameDetections[]): string[] =>
  labelTimelinesOf(frames, { frameSize: frame })
    .map((timeline) => timeline.label.name)
    .filter((name) => ['Walking', 'Running', 'Standing', 'Sitting'].includes(name));

describe('activities from synthetic person tracks', () => {
  it('a box moving one body height per second is Walking', () => {
    expect(activityLabels(movingPerson(1))).toEqual(['Walking']);
  });

  it('a still box with an upright pose is Standing', () => {
    expect(activityLabels(movingPerson(0))).toEqual(['Standing']);
  });

  it('a box moving four body heights per second is Running', () => {
    expect(activityLabels(movingPerson(4))).toEqual(['Running']);
  });

  it('a still box with a seated pose is Sitting, and a moving one still walks', () => {
    expect(activityLabels(movingPerson(0, seatedPose))).toEqual(['Sitting']);
    expect(activityLabels(movingPerson(1, seatedPose))).toEqual(['Walking']);
  });

  it('a moving arm with no body is not Walking', () => {
    expect(activityLabels(movingPerson(1, armPose))).toEqual([]);
  });

  it('a still box whose pose is unknown is not Standing: a seated person with hidden legs is still too', () => {
    const withoutPoses = movingPerson(0).map(({ poses: _poses, ...rest }) => rest);
    expect(activityLabels(withoutPoses)).toEqual([]);
  });

  it('a person on a bicycle is not Walking', () => {
    const riding = movingPerson(1).map((detected) => {
      const person = detected.detections[0]!.box;
      const bicycle: Box = { left: person.left - 0.01, top: person.top + 0.55 * person.height, width: person.width + 0.02, height: 0.5 * person.height };
      return { ...detected, detections: [...detected.detections, { box: bicycle, className: 'bicycle', score: 0.9, confidence: 90 }] };
    });
    expect(activityLabels(riding)).toEqual([]);
  });

  it("the activity's instances are the person's box, at the person's confidence", () => {
    const frames = movingPerson(1);
    const timelines = labelTimelinesOf(frames, { frameSize: frame });
    const walking = timelines.find((timeline) => timeline.label.name === 'Walking')!;
    const person = timelines.find((timeline) => timeline.label.name === 'Person')!;
    expect(walking.label.parents).toEqual(['Person']);
    expect(walking.label.categories).toEqual(['Person Description']);
    for (const occurrence of walking.occurrences) {
      const personThen = person.occurrences.find((candidate) => candidate.timestampMs === occurrence.timestampMs)!;
      expect(occurrence.instances).toEqual(personThen.instances);
    }
  });

  it('says nothing about motion seen for less than the least span (a one-frame video)', () => {
    const tracked: TrackedFrame[] = [{ timestampMs: 0, objects: [{ trackId: 1, className: 'person', box: { left: 0.1, top: 0.1, width: 0.1, height: 0.3 }, confidence: 90 }] }];
    expect(trackActivities(tracked, [{ timestampMs: 0, detections: [] }], frame)).toEqual([[]]);
  });
});

describe('motion and thresholds', () => {
  it('measures motion across the picture in body heights per second, and growth as |ln ratio| per second', () => {
    const first = { timestampMs: 0, box: { left: 0, top: 0, width: 0.1, height: 0.5 } };
    const last = { timestampMs: 2000, box: { left: 0.5625, top: 0, width: 0.1, height: 0.5 } };
    // 0.5625 * 1280 = 720 px in 2 s; the body is 360 px tall: 1 height per second.
    expect(motionBetween(first, last, frame).acrossRate).toBeCloseTo(1, 6);
    const grown = motionBetween(first, { timestampMs: 1000, box: { left: 0, top: 0, width: 0.1, height: 0.5 * Math.E } }, frame);
    expect(grown.depthRate).toBeCloseTo(1, 6);
  });

  it('a person coming towards the camera walks once growth passes the walking growth rate', () => {
    const depthRate = DEFAULT_ACTIVITY_OPTIONS.walkingDepthRate;
    expect(activityOf({ acrossRate: 0, depthRate: depthRate * 1.01 }, ['upright', 'upright'])).toBe('walking');
    expect(activityOf({ acrossRate: 0, depthRate: 0 }, ['upright', 'upright'])).toBe('standing');
  });
});
