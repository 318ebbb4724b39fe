/**
 * A second look, for a model that sees each frame whole (tiling off): every object the whole frame
 * reports with some confidence is looked at again on a magnified crop around its box, once per
 * place and class (a look covers the same class near the same box for `windowMs` either side), and
 * its score becomes the mean of the two looks, as a box several tiles saw is scored by the mean of
 * the views (views.ts ViewScoring `mean`). Real objects keep their class on the crop; a pattern the
 * squeezed whole frame took for an object (a cabinet door as a refrigerator) mostly does not.
 *
 * Pure: the looks are planned from the frames' raw detections and applied to them; taking the looks
 * (decoding the frames again and running the detector on the crops) is the pipeline's side effect.
 * Which models use it, and with what settings, is in their manifest (`secondLook`), chosen on the
 * held-out table (bench/quality/run.ts).
 */
import { iou } from '../geometry.js';
import type { Box, Detection, FrameDetections } from '../types.js';
import { VIEW_MEAN_SAME_BOX_IOU } from './views.js';

export interface SecondLookRule {
  /** Raw scores from this up are looked at again (below it nothing reaches a reportable confidence). */
  minScore: number;
  /** A look covers detections of its class whose box overlaps its box at least this much (IoU)... */
  coverIou: number;
  /** ...seen at most this long before or after it. */
  windowMs: number;
  /** The square input size the crops are looked at with, when not the model's own (a model that can be resized: detect/yolo-graph.ts). */
  inputSize?: number;
}

/** One look to take: the crop `view` of the frame seen at `seenAtMs`, for the `className` detection at `box`. */
export interface SecondLookRequest {
  seenAtMs: number;
  className: string;
  box: Box;
  view: Box;
}

/** A look taken: what the detector found on the crop, boxes in frame coordinates. */
export interface SecondLook {
  request: SecondLookRequest;
  detections: ReadonlyArray<Pick<Detection, 'box' | 'className' | 'score'>>;
}

/** The crop is at least this share of the frame's short side, so a small object is magnified at most about this many times less than the whole: 1 / 0.4. */
export const MIN_CROP_SHARE = 0.4;
/** The crop is this many times the box's longer side, so the object is seen with its surroundings. */
export const CROP_CONTEXT = 2;

/**
 * The square crop a second look at `box` takes, in a frame of `frameWidth` x `frameHeight` pixels:
 * twice the box's longer side (at least 0.4 of the short side, at most all of it), centred on the box
 * and moved inside the frame. Normalised to the frame.
 */
export function cropAround(box: Box, frameWidth: number, frameHeight: number): Box {
  const shortSide = Math.min(frameWidth, frameHeight);
  const side = Math.min(shortSide, Math.max(CROP_CONTEXT * Math.max(box.width * frameWidth, box.height * frameHeight), MIN_CROP_SHARE * shortSide));
  const centreX = (box.left + box.width / 2) * frameWidth;
  const centreY = (box.top + box.height / 2) * frameHeight;
  const left = Math.min(Math.max(centreX - side / 2, 0), frameWidth - side);
  const top = Math.min(Math.max(centreY - side / 2, 0), frameHeight - side);
  return { left: left / frameWidth, top: top / frameHeight, width: side / frameWidth, height: side / frameHeight };
}

type Candidate = { seenAtMs: number; detection: Detection };

/** Whether a detection gets a second look: another class than person, at the rule's minScore or more. */
export const wantsSecondLook = (detection: Pick<Detection, 'className' | 'score'>, rule: SecondLookRule): boolean => detection.className !== 'person' && detection.score >= rule.minScore;

/** Non-person detections at `minScore` or more, each once at the frame it was seen in (a reused frame's detections are its source's). */
function candidatesOf(frames: readonly FrameDetections[], rule: SecondLookRule): Candidate[] {
  const seen = new Set<Detection>();
  const candidates: Candidate[] = [];
  for (const frame of frames) {
    for (const detection of frame.detections) {
      if (!wantsSecondLook(detection, rule) || seen.has(detection)) continue;
      seen.add(detection);
      candidates.push({ seenAtMs: frame.seenAtMs ?? frame.timestampMs, detection });
    }
  }
  return candidates;
}

const covers = (look: Pick<SecondLookRequest, 'seenAtMs' | 'className' | 'box'>, candidate: Candidate, rule: SecondLookRule): boolean =>
  look.className === candidate.detection.className && Math.abs(look.seenAtMs - candidate.seenAtMs) <= rule.windowMs && iou(look.box, candidate.detection.box) >= rule.coverIou;

/**
 * The looks to take: the surest candidate first, then the surest one no look yet covers, until every
 * candidate is covered. A still object costs one look per two windows; a moving one a look each time
 * it leaves the last one's box. Pure.
 */
export function planSecondLooks(frames: readonly FrameDetections[], rule: SecondLookRule, frameSize: { width: number; height: number }): SecondLookRequest[] {
  const bySurest = candidatesOf(frames, rule).sort((a, b) => b.detection.score - a.detection.score || a.seenAtMs - b.seenAtMs);
  const requests: SecondLookRequest[] = [];
  for (const candidate of bySurest) {
    if (requests.some((request) => covers(request, candidate, rule))) continue;
    const { className, box } = candidate.detection;
    requests.push({ seenAtMs: candidate.seenAtMs, className, box, view: cropAround(box, frameSize.width, frameSize.height) });
  }
  return requests.sort((a, b) => a.seenAtMs - b.seenAtMs);
}

/** What a look says of its object: the best score of its class on a box overlapping it (IoU >= 0.5, as views.ts), 0 when the crop shows none. */
export const scoreOfLook = (look: SecondLook): number =>
  Math.max(0, ...look.detections.filter((other) => other.className === look.request.className && iou(other.box, look.request.box) >= VIEW_MEAN_SAME_BOX_IOU).map((other) => other.score));

/**
 * The frames with every candidate rescored: the mean of its own score and what the covering look
 * (the nearest in time, then the most overlapping) said, and its confidence calibrated again from
 * that. Detections no look covers (persons, low scores) are as they were. Detections shared by
 * frames (work avoidance) stay shared. Pure.
 */
export function withSecondLooks(frames: readonly FrameDetections[], looks: readonly SecondLook[], rule: SecondLookRule, calibrate: (className: string, score: number) => number): FrameDetections[] {
  const rescored = new Map<Detection, Detection>();
  for (const candidate of candidatesOf(frames, rule)) {
    const covering = looks
      .filter((look) => covers(look.request, candidate, rule))
      .sort((a, b) => Math.abs(a.request.seenAtMs - candidate.seenAtMs) - Math.abs(b.request.seenAtMs - candidate.seenAtMs) || iou(b.request.box, candidate.detection.box) - iou(a.request.box, candidate.detection.box))[0];
    if (!covering) continue;
    const score = (candidate.detection.score + scoreOfLook(covering)) / 2;
    rescored.set(candidate.detection, { ...candidate.detection, score, confidence: calibrate(candidate.detection.className, score) });
  }
  return frames.map((frame) => ({ ...frame, detections: frame.detections.map((detection) => rescored.get(detection) ?? detection) }));
}
