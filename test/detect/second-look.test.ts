import { describe, expect, it } from 'vitest';
import { calibrateDetection, loadModelManifest } from '../../src/detect/manifest.js';
import { cropAround, planSecondLooks, scoreOfLook, withSecondLooks, type SecondLook, type SecondLookRequest, type SecondLookRule } from '../../src/detect/second-look.js';
import { labelTimelinesOf } from '../../src/pipeline.js';
import type { Box, Detection, FrameDetections } from '../../src/types.js';

const RULE: SecondLookRule = { minScore: 0.25, coverIou: 0.3, windowMs: 5000 };
const FRAME = { width: 1138, height: 640 };
// The shipped whole-frame curve of the model that has the second look: what a rescored score is worth.
const yolo = loadModelManifest('yolov5s');
const calibrate = (className: string, score: number) => calibrateDetection(yolo.calibration.off, className, score);

const detection = (className: string, score: number, box: Box): Detection => ({ className, score, confidence: calibrate(className, score), box });
const frameAt = (timestampMs: number, detections: Detection[]): FrameDetections => ({ timestampMs, detections, seenAtMs: timestampMs });
/** The crop as a detector would answer it: these detections, boxes in frame coordinates. */
const answer = (request: SecondLookRequest, detections: SecondLook['detections']): SecondLook => ({ request, detections });
const namesOf = (frames: readonly FrameDetections[]) => labelTimelinesOf(frames, { frameSize: FRAME }).filter((label) => label.occurrences.some((occurrence) => occurrence.confidence >= 50)).map((label) => label.label.name);

describe('cropAround (the crop a second look takes)', () => {
  it('is a square twice the box, centred on it, in frame coordinates', () => {
    const crop = cropAround({ left: 0.4, top: 0.3, width: 0.1, height: 0.5 }, FRAME.width, FRAME.height);
    // The box's longer side is 0.5 x 640 = 320 px: the crop is 640 px, the whole short side.
    expect(crop.height).toBeCloseTo(1, 5);
    expect(crop.width * FRAME.width).toBeCloseTo(640, 3);
    expect((crop.left + crop.width / 2) * FRAME.width).toBeCloseTo(0.45 * FRAME.width, 3);
  });

  it('is at least 0.4 of the short side for a small object, and moved inside the frame at its edge', () => {
    const crop = cropAround({ left: 0.97, top: 0.0, width: 0.02, height: 0.03 }, FRAME.width, FRAME.height);
    expect(crop.height * FRAME.height).toBeCloseTo(256, 3);
    expect(crop.left + crop.width).toBeCloseTo(1, 5);
    expect(crop.top).toBe(0);
  });
});

describe('planSecondLooks', () => {
  const bottle = { left: 0.45, top: 0.3, width: 0.06, height: 0.25 };

  it('looks at a bottle held still for 10 s twice (a look covers 5 s either side), never at people or at low scores', () => {
    const frames = Array.from({ length: 21 }, (_, index) =>
      frameAt(index * 500, [detection('bottle', 0.6, bottle), detection('person', 0.9, { left: 0.1, top: 0.1, width: 0.2, height: 0.8 }), detection('chair', 0.2, { left: 0.7, top: 0.5, width: 0.2, height: 0.4 })]),
    );
    const looks = planSecondLooks(frames, RULE, FRAME);
    expect(looks.map((look) => [look.className, look.seenAtMs])).toEqual([
      ['bottle', 0],
      ['bottle', 5500],
    ]);
    expect(looks[0]!.view).toEqual(cropAround(bottle, FRAME.width, FRAME.height));
  });

  it('looks first where the model is surest, and again when the object has moved off the last look', () => {
    const car = (left: number, score: number) => detection('car', score, { left, top: 0.4, width: 0.15, height: 0.15 });
    const frames = [frameAt(0, [car(0.1, 0.4)]), frameAt(500, [car(0.12, 0.8)]), frameAt(1000, [car(0.6, 0.5)])];
    expect(planSecondLooks(frames, RULE, FRAME).map((look) => [look.seenAtMs, look.box.left])).toEqual([
      [500, 0.12],
      [1000, 0.6],
    ]);
  });

  it('takes a look at a reused frame (work avoidance) at the frame it was seen in', () => {
    const seen = detection('bottle', 0.6, bottle);
    const frames: FrameDetections[] = [frameAt(0, [seen]), { timestampMs: 500, detections: [seen], seenAtMs: 0 }];
    expect(planSecondLooks(frames, RULE, FRAME).map((look) => look.seenAtMs)).toEqual([0]);
  });
});

describe('withSecondLooks (each looked-at object scored by the mean of its two looks)', () => {
  it('drops a large static wrong box: a cabinet the whole frame called a refrigerator, which the crop does not see', () => {
    const cabinet = { left: 0.05, top: 0, width: 0.55, height: 0.5 };
    const frames = [0, 500, 1000, 1500].map((timestampMs) => frameAt(timestampMs, [detection('refrigerator', 0.45, cabinet)]));
    expect(namesOf(frames)).toContain('Refrigerator');
    const looks = planSecondLooks(frames, RULE, FRAME).map((request) => answer(request, [{ className: 'oven', score: 0.3, box: cabinet }]));
    const rescored = withSecondLooks(frames, looks, RULE, calibrate);
    expect(rescored.flatMap((frame) => frame.detections.map((seen) => seen.score))).toEqual([0.225, 0.225, 0.225, 0.225]);
    expect(namesOf(rescored)).toEqual([]);
  });

  it('keeps a small true bottle held still, which the crop sees as a bottle, and makes it surer', () => {
    const bottle = { left: 0.45, top: 0.3, width: 0.04, height: 0.12 };
    const frames = Array.from({ length: 8 }, (_, index) => frameAt(index * 500, [detection('bottle', 0.45, bottle)]));
    const looks = planSecondLooks(frames, RULE, FRAME).map((request) => answer(request, [{ className: 'bottle', score: 0.85, box: { ...bottle, left: 0.452 } }]));
    const rescored = withSecondLooks(frames, looks, RULE, calibrate);
    expect(rescored[0]!.detections[0]!.score).toBeCloseTo(0.65, 5);
    expect(rescored[0]!.detections[0]!.confidence).toBeGreaterThan(frames[0]!.detections[0]!.confidence);
    expect(namesOf(rescored)).toContain('Bottle');
  });

  it('leaves people and what no look covers as they were', () => {
    const person = detection('person', 0.3, { left: 0.1, top: 0.1, width: 0.2, height: 0.8 });
    const faint = detection('cup', 0.1, { left: 0.7, top: 0.7, width: 0.05, height: 0.05 });
    const frames = [frameAt(0, [person, faint])];
    expect(planSecondLooks(frames, RULE, FRAME)).toEqual([]);
    expect(withSecondLooks(frames, [], RULE, calibrate)[0]!.detections).toEqual([person, faint]);
  });
});

describe('scoreOfLook', () => {
  const request: SecondLookRequest = { seenAtMs: 0, className: 'bottle', box: { left: 0.4, top: 0.4, width: 0.1, height: 0.2 }, view: { left: 0.3, top: 0.2, width: 0.4, height: 0.6 } };
  it('counts only its own class on an overlapping box', () => {
    expect(scoreOfLook(answer(request, [{ className: 'bottle', score: 0.7, box: { left: 0.41, top: 0.4, width: 0.1, height: 0.2 } }, { className: 'cup', score: 0.9, box: request.box }]))).toBe(0.7);
    expect(scoreOfLook(answer(request, [{ className: 'bottle', score: 0.9, box: { left: 0.6, top: 0.4, width: 0.1, height: 0.2 } }]))).toBe(0);
    expect(scoreOfLook(answer(request, []))).toBe(0);
  });
});
