import { describe, expect, it } from 'vitest';
import { InvalidParameterException } from '../../src/errors.js';
import { DEFAULT_TRACKER_OPTIONS, ObjectTracker, trackObjects } from '../../src/track/index.js';
import type { Detection, FrameDetections, FrameThumbnail, TrackedFrame, TrackedObject } from '../../src/types.js';

const INTERVAL_MS = 500;

const detection = (left: number, top: number, confidence = 90, className = 'person'): Detection => ({
  box: { left, top, width: 0.1, height: 0.2 },
  className,
  score: confidence / 100,
  confidence,
});

/** Frames at a steady interval; frame i holds `detectionsAt(i)`. */
const video = (frameCount: number, detectionsAt: (index: number) => Detection[]): FrameDetections[] =>
  Array.from({ length: frameCount }, (_, index) => ({ timestampMs: index * INTERVAL_MS, detections: detectionsAt(index) }));

const runOnline = (frames: FrameDetections[]): TrackedFrame[] => {
  const tracker = new ObjectTracker();
  return frames.map((frame) => tracker.update(frame));
};

const only = (frame: TrackedFrame | undefined): TrackedObject => {
  expect(frame?.objects).toHaveLength(1);
  return frame?.objects[0] as TrackedObject;
};

const trackIds = (frames: TrackedFrame[]): Set<number> =>
  new Set(frames.flatMap((frame) => frame.objects.map((object) => object.trackId)));

/** The noisy-OR of n new looks at c (frames without thumbnails count as new looks): 1 - (1 - p)^n. */
const expectedConfidence = (c: number, frames: number): number => 100 * (1 - (1 - c / 100) ** frames);

/** n looks at c where the first is new and the rest see an unchanged picture: 1 - (1 - p)^(1 + r (n - 1)). */
const expectedStaticConfidence = (c: number, frames: number): number =>
  100 * (1 - (1 - c / 100) ** (1 + DEFAULT_TRACKER_OPTIONS.repeatedLookWeight * (frames - 1)));

/** A 64x36 grey thumbnail, level `grey` everywhere except `level` over the cells of `box`. */
const thumbnail = (grey: number, box?: { left: number; top: number; width: number; height: number }, level = grey): FrameThumbnail => {
  const [columns, rows] = [64, 36];
  const luma = new Uint8Array(columns * rows).fill(grey);
  if (box) {
    for (let row = Math.floor(box.top * rows); row < Math.ceil((box.top + box.height) * rows); row += 1) {
      for (let column = Math.floor(box.left * columns); column < Math.ceil((box.left + box.width) * columns); column += 1) luma[row * columns + column] = level;
    }
  }
  return { columns, rows, luma };
};

describe('trackObjects', () => {
  it('returns one frame per input frame, same timestamps, same order', () => {
    const frames = video(4, (index) => (index === 1 ? [detection(0.2, 0.2)] : []));
    expect(trackObjects(frames).map((frame) => frame.timestampMs)).toEqual([0, 500, 1000, 1500]);
    expect(trackObjects([])).toEqual([]);
  });

  it('reports what a single-frame video shows, at that frame\'s own confidence', () => {
    const [frame] = trackObjects(video(1, () => [detection(0.3, 0.3, 72, 'bottle')]));
    expect(frame?.timestampMs).toBe(0);
    expect(only(frame).className).toBe('bottle');
    expect(only(frame).confidence).toBeCloseTo(72, 6);
  });

  it('confirms a track of a clip shorter than the confirmation window only when it is seen in every frame', () => {
    const seenThroughout = trackObjects(video(2, () => [detection(0.3, 0.3, 60)]), { birthHits: 3 });
    expect(seenThroughout.map((frame) => frame.objects.length)).toEqual([1, 1]);
    const seenOnce = trackObjects(video(2, (index) => (index === 1 ? [detection(0.3, 0.3, 60)] : [])), { birthHits: 3 });
    expect(seenOnce.every((frame) => frame.objects.length === 0)).toBe(true);
  });

  it('never reports a one-frame false positive, however confident', () => {
    const frames = video(5, (index) => (index === 2 ? [detection(0.5, 0.5, 99, 'dog')] : []));
    expect(trackObjects(frames).every((frame) => frame.objects.length === 0)).toBe(true);
    expect(runOnline(frames).every((frame) => frame.objects.length === 0)).toBe(true);
  });

  it('reports a confirmed track from its first match (online only from its second)', () => {
    const frames = video(4, () => [detection(0.3, 0.3)]);
    expect(trackObjects(frames).map((frame) => frame.objects.length)).toEqual([1, 1, 1, 1]);
    expect(runOnline(frames).map((frame) => frame.objects.length)).toEqual([0, 1, 1, 1]);
    expect(trackIds(trackObjects(frames)).size).toBe(1);
  });

  it('bridges a one-frame miss: same trackId, the missed timestamp filled in between', () => {
    // Moves right 0.02 per frame; frame 3 has no detection.
    const frames = video(7, (index) => (index === 3 ? [] : [detection(0.1 + 0.02 * index, 0.4)]));
    const tracked = trackObjects(frames);
    const objects = tracked.map(only);
    expect(new Set(objects.map((object) => object.trackId)).size).toBe(1);
    const [before, gap, after] = objects.slice(2, 5) as [TrackedObject, TrackedObject, TrackedObject];
    // Timestamps are evenly spaced, so the filled box is the midpoint of its neighbours.
    expect(gap.box.left).toBeCloseTo((before.box.left + after.box.left) / 2, 12);
    expect(gap.box.left).toBeGreaterThan(before.box.left);
    expect(gap.box.left).toBeLessThan(after.box.left);
    expect(gap.confidence).toBeLessThanOrEqual(Math.min(before.confidence, after.confidence));
  });

  it('bridges a gap of maxMisses frames but splits on a longer one', () => {
    const { maxMisses } = DEFAULT_TRACKER_OPTIONS;
    const withGap = (gap: number) =>
      trackObjects(video(6 + gap, (index) => (index < 3 || index >= 3 + gap ? [detection(0.4, 0.4)] : [])));
    const bridged = withGap(maxMisses);
    expect(bridged.every((frame) => frame.objects.length === 1)).toBe(true);
    expect(trackIds(bridged).size).toBe(1);
    const split = withGap(maxMisses + 1);
    expect(split.map((frame) => frame.objects.length)).toEqual([1, 1, 1, ...new Array(maxMisses + 1).fill(0), 1, 1, 1]);
    expect(trackIds(split).size).toBe(2);
  });

  it('keeps identities when two objects of one class cross paths', () => {
    // A walks right, B walks left, both along top 0.4; at frame 7 their boxes coincide, and after it
    // each detection overlaps the other track's last box more than its own (the estimates lag
    // behind), so a position-only tracker swaps them: only the velocity keeps them apart.
    const frames = video(15, (index) => [detection(0.84 - 0.06 * index, 0.4), detection(0.06 * index, 0.4)]);
    expect(trackObjects(frames).every((frame) => frame.objects.length === 2)).toBe(true);
    for (const tracked of [trackObjects(frames), runOnline(frames)]) {
      const ids = [...trackIds(tracked)];
      expect(ids).toHaveLength(2);
      for (const id of ids) {
        const lefts = tracked.flatMap((frame) =>
          frame.objects.filter((object) => object.trackId === id).map((object) => object.box.left),
        );
        const steps = lefts.slice(1).map((left, at) => left - (lefts[at] as number));
        const direction = Math.sign(steps[0] as number);
        expect(steps.every((step) => Math.sign(step) === direction)).toBe(true);
      }
    }
  });

  it('follows a small walker that moves half its width a frame and changes shape, as one track', () => {
    // The pedestrian of person-bicycle-car-detection.gif at 2 frames/s: 0.036 wide, 0.022 further
    // each frame, the box alternating between body and legs cut by the frame edge. Consecutive boxes
    // have IoU 0.18, below minIou: with plain IoU no two frames ever match and nothing is reported.
    const walker = (index: number): Detection => ({
      box: { left: 0.3 + 0.022 * index, top: 0, width: 0.036, height: index % 2 === 0 ? 0.135 : 0.088 },
      className: 'person',
      score: 0.45,
      confidence: 45,
    });
    const frames = video(5, (index) => [walker(index)]);
    const tracked = trackObjects(frames);
    expect(tracked.every((frame) => frame.objects.length === 1)).toBe(true);
    expect(trackIds(tracked).size).toBe(1);
    expect(trackObjects(frames, { matchBuffer: 0 }).every((frame) => frame.objects.length === 0)).toBe(true);
  });

  it('with a wide first-match buffer, follows an object moving two widths a frame from its second frame on', () => {
    // An apple on a conveyor belt at 2 frames/s: 0.13 wide, 0.23 further each frame; consecutive boxes never overlap.
    const apple = (index: number): Detection => ({ box: { left: 0.8 - 0.23 * index, top: 0.5, width: 0.13, height: 0.2 }, className: 'apple', score: 0.5, confidence: 60 });
    const frames = video(4, (index) => [apple(index)]);
    const tracked = trackObjects(frames, { firstMatchBuffer: 1 });
    expect(tracked.every((frame) => frame.objects.length === 1)).toBe(true);
    expect(trackIds(tracked).size).toBe(1);
    expect(trackObjects(frames).every((frame) => frame.objects.length === 0)).toBe(true);
    // Two apples three widths apart in one frame, and then each where it was: never swapped or merged.
    const pair = video(2, () => [apple(0), { ...apple(0), box: { ...apple(0).box, left: 0.8 - 0.39 } }]);
    expect(trackIds(trackObjects(pair, { firstMatchBuffer: 1 })).size).toBe(2);
  });

  /** Tracks `frameCount` frames of one object at c and checks that it reaches 50 at `crossing` frames, not before. */
  const expectCrossingAt = (trackFrames: (frameCount: number) => TrackedFrame[], crossing: number, expectedAtCrossing: number) => {
    for (const object of trackFrames(crossing).map(only)) {
      expect(object.confidence).toBeCloseTo(expectedAtCrossing, 9);
      expect(object.confidence).toBeGreaterThanOrEqual(50);
    }
    // With fewer frames than birthHits the whole video is shorter than the confirmation window, and
    // its tracks are reported too (see trackObjects), so every case is one object below 50.
    for (const object of trackFrames(crossing - 1).map(only)) expect(object.confidence).toBeLessThan(50);
  };

  it.each([
    [25, 3],
    [35, 2],
    [45, 2],
  ])('a track of new looks (no thumbnails) all at %i reaches 50 with %i frames, not with one fewer', (c, crossing) => {
    const steady = (frameCount: number) => trackObjects(video(frameCount, () => [detection(0.3, 0.3, c)]), { highConfidence: 20 });
    expectCrossingAt(steady, crossing, expectedConfidence(c, crossing));
  });

  it.each([
    [35, 14],
    [40, 9],
    [45, 5],
  ])('a still object at %i in an unchanged picture reaches 50 with %i frames, not with one fewer', (c, crossing) => {
    const box = { left: 0.3, top: 0.3, width: 0.1, height: 0.2 };
    const still = (frameCount: number) =>
      trackObjects(video(frameCount, () => [detection(0.3, 0.3, c)]).map((frame) => ({ ...frame, thumbnail: thumbnail(90, box, 150) })));
    expectCrossingAt(still, crossing, expectedStaticConfidence(c, crossing));
  });

  it('reports a person walking past at 35 within two frames, not a still "TV" on the wall at 33 for four', () => {
    // A 2 s clip at 2 frames/s: the person's pixels change between frames (it moves), the wall's never do.
    const tv = { left: 0.55, top: 0.05, width: 0.4, height: 0.4 };
    const personAt = (index: number) => ({ left: 0.05 + 0.05 * index, top: 0.4, width: 0.1, height: 0.3 });
    const frames = video(4, (index) => [
      { ...detection(tv.left, tv.top, 33, 'tv'), box: tv },
      ...(index < 2 ? [{ ...detection(0, 0, 35), box: personAt(index) }] : []),
    ]).map((frame, index) => ({ ...frame, thumbnail: thumbnail(120, index < 2 ? personAt(index) : undefined, index === 0 ? 40 : 200) }));
    // (The person walks and turns: every cell under its second box differs from the first picture.)
    const tracked = trackObjects(frames);
    const confidencesOf = (className: string) =>
      tracked.flatMap((frame) => frame.objects.filter((object) => object.className === className).map((object) => object.confidence));
    expect(confidencesOf('person')).toHaveLength(2);
    for (const value of confidencesOf('person')) expect(value).toBeCloseTo(expectedConfidence(35, 2), 9);
    expect(confidencesOf('tv')).toHaveLength(4);
    for (const value of confidencesOf('tv')) {
      expect(value).toBeCloseTo(expectedStaticConfidence(33, 4), 9);
      expect(value).toBeLessThan(50);
    }
  });

  it('online, a steady track at 40 is reported from its second frame at 64; a single frame at 40 never is', () => {
    const steady = runOnline(video(4, () => [detection(0.3, 0.3, 40)]));
    expect(steady[0]?.objects).toEqual([]);
    expect(only(steady[1]).confidence).toBeCloseTo(expectedConfidence(40, 2), 9);
    expect(only(steady[1]).confidence).toBeGreaterThanOrEqual(50);
    const blip = video(4, (index) => (index === 0 ? [detection(0.3, 0.3, 40)] : []));
    expect(runOnline(blip).every((frame) => frame.objects.length === 0)).toBe(true);
    expect(trackObjects(blip).every((frame) => frame.objects.length === 0)).toBe(true);
  });

  it('reports higher confidence for higher per-frame confidence', () => {
    const confidences = (c: number) => trackObjects(video(5, () => [detection(0.3, 0.3, c)])).map((frame) => only(frame).confidence);
    const lower = confidences(50);
    confidences(60).forEach((higher, index) => expect(higher).toBeGreaterThan(lower[index] as number));
  });

  it('lets low-confidence detections extend a confirmed track', () => {
    // 20 is below highConfidence (30) but at least lowConfidence (10).
    const frames = video(6, (index) => [detection(0.3, 0.3, index < 3 ? 80 : 20)]);
    const tracked = trackObjects(frames);
    expect(tracked.every((frame) => frame.objects.length === 1)).toBe(true);
    expect(trackIds(tracked).size).toBe(1);
    // Below lowConfidence the same detections are ignored and the track's last three frames are missed.
    const ignored = trackObjects(video(6, (index) => [detection(0.3, 0.3, index < 3 ? 80 : 5)]));
    expect(ignored.map((frame) => frame.objects.length)).toEqual([1, 1, 1, 0, 0, 0]);
  });

  it('never starts or confirms a track from low-confidence detections', () => {
    const lowOnly = video(6, () => [detection(0.3, 0.3, 20)]);
    expect(trackObjects(lowOnly).every((frame) => frame.objects.length === 0)).toBe(true);
    expect(runOnline(lowOnly).every((frame) => frame.objects.length === 0)).toBe(true);
    // One high frame starts a tentative track; low frames after it cannot confirm it.
    const tentative = video(4, (index) => [detection(0.3, 0.3, index === 0 ? 80 : 20)]);
    expect(trackObjects(tentative).every((frame) => frame.objects.length === 0)).toBe(true);
  });

  it('never associates different classes', () => {
    const frames = video(6, (index) => [detection(0.3, 0.3, 90, index < 3 ? 'dog' : 'cat')]);
    const tracked = trackObjects(frames);
    const objects = tracked.map(only);
    expect(objects.map((object) => object.className)).toEqual(['dog', 'dog', 'dog', 'cat', 'cat', 'cat']);
    expect(objects[0]?.trackId).not.toBe(objects[3]?.trackId);
    const overlapping = trackObjects(video(3, () => [detection(0.3, 0.3, 90, 'dog'), detection(0.3, 0.3, 90, 'cat')]));
    expect(overlapping.every((frame) => frame.objects.length === 2)).toBe(true);
    expect(trackIds(overlapping).size).toBe(2);
  });

  it('rejects out-of-range options, naming the option', () => {
    expect(() => trackObjects([], { minIou: 0 })).toThrow(InvalidParameterException);
    expect(() => trackObjects([], { matchBuffer: -0.1 })).toThrow(/matchBuffer/);
    expect(() => trackObjects([], { sizeChangeNoise: 0 })).toThrow(/sizeChangeNoise/);
    expect(() => trackObjects([], { birthHits: 1.5 })).toThrow(/birthHits/);
    expect(() => new ObjectTracker({ lowConfidence: 50, highConfidence: 40 })).toThrow(/lowConfidence/);
  });

  it('rejects frames out of time order', () => {
    const tracker = new ObjectTracker();
    tracker.update({ timestampMs: 1000, detections: [] });
    expect(() => tracker.update({ timestampMs: 500, detections: [] })).toThrow(/time order/);
  });
});

describe('a hand seen once surely, then faintly (faintLookConfirmsFrom)', () => {
  // A hand at the top edge seen at 70, then blurred at 20 half a second later, then gone.
  const reach = (className: string, first = 70) => video(4, (index) => (index === 0 ? [detection(0.4, 0, first, className)] : index === 1 ? [detection(0.41, 0.03, 20, className)] : []));

  it('confirms a hand whose first look reached the class threshold, and reports it at both frames', () => {
    const tracked = trackObjects(reach('hand'));
    expect(tracked[0]?.objects.map((object) => object.className)).toEqual(['hand']);
    expect(tracked[1]?.objects.map((object) => object.className)).toEqual(['hand']);
    expect(tracked[0]?.objects[0]?.trackId).toBe(tracked[1]?.objects[0]?.trackId);
  });

  it('does not for a first look under the threshold, nor for a class that is not named (the object detector’s)', () => {
    const under = (DEFAULT_TRACKER_OPTIONS.faintLookConfirmsFrom.hand as number) - 5;
    expect(trackObjects(reach('hand', under)).flatMap((frame) => frame.objects)).toEqual([]);
    expect(trackObjects(reach('bottle')).flatMap((frame) => frame.objects)).toEqual([]);
    expect(trackObjects(reach('bottle'), { faintLookConfirmsFrom: { bottle: 60 } }).flatMap((frame) => frame.objects)).toHaveLength(2);
    expect(trackObjects(reach('hand'), { faintLookConfirmsFrom: {} }).flatMap((frame) => frame.objects)).toEqual([]);
  });

  it('rejects a threshold outside 0..100, naming it', () => {
    expect(() => trackObjects([], { faintLookConfirmsFrom: { hand: 120 } })).toThrow(InvalidParameterException);
    expect(() => trackObjects([], { faintLookConfirmsFrom: { hand: 120 } })).toThrow(/faintLookConfirmsFrom\.hand/);
  });
});
