/**
 * The runner: the only code that hands frames to the detector pool. It keeps the frames the planner
 * has not decided yet, sends the ones it decides to infer (bounded: ffmpeg is read no further while
 * the pool has enough to do), gives the others the detections and picture of the frame they reuse,
 * recycles pixel buffers, and reports progress. What to infer is the planner's business (plan.ts).
 */
import type { DetectorPool } from '../detect/index.js';
import type { FrameBufferPool } from '../frames/buffers.js';
import { changedFraction, frameSignature, frameThumbnail } from '../picture.js';
import type { Box, FrameDetections, FrameThumbnail, SampledFrame, SeenInFrame } from '../types.js';
import { FramePlanner, type Decision, type FramesAgree } from './plan.js';
import type { ScheduleOptions } from './options.js';

export interface ScheduleProgress {
  framesDone: number;
  framesTotal: number;
  /** Frames actually sent to the model (fewer than framesDone when work is avoided). */
  framesInferred?: number;
}

export interface DetectFramesOptions {
  detector: DetectorPool;
  /** The parts of each frame the model looks at (detect/views.ts). */
  views: readonly Box[];
  /** Whether the people found are looked at too (poses, faces, heads, hands: detect/people.ts). */
  people?: boolean;
  schedule: ScheduleOptions;
  /** Whether two inferred frames show the same objects (adaptive sampling reuses the frames between them). */
  framesAgree: FramesAgree;
  /**
   * Whether two inferred frames show the same hands. Given (when people are looked at), the frames
   * between two ends that agree on objects but not on hands get a hands-only look (plan.ts).
   */
  handsAgree?: FramesAgree<SeenInFrame>;
  /** Where decoded frames' buffers come from, and go back to once the model is done with them. */
  buffers: FrameBufferPool;
  /** Expected frame count, for progress (the real count wins when it is larger). */
  framesTotal: number;
  onProgress?: (progress: ScheduleProgress) => void;
}

/**
 * Frames sent to the model and not back yet: enough to keep every worker busy with one more queued
 * behind it, and no more.
 */
const inferencesInFlight = (detector: DetectorPool): number => detector.workers * 2;

/**
 * Decoded frames kept while they wait for their decision (between two anchors, until the anchors'
 * detections are back): each is width x height x 3 bytes, so this bounds memory. Enough for every
 * worker's two frames in flight to be anchors with their windows behind them, so that the pool
 * never waits for ffmpeg because of frames that wait for the pool.
 */
const framesHeld = (detector: DetectorPool, schedule: ScheduleOptions): number => inferencesInFlight(detector) * (schedule.anchorInterval + 1);

interface Inferred extends SeenInFrame {
  thumbnail: FrameThumbnail;
}

/** Detections for every sampled frame, in frame order, inferring only what the planner asks for. */
export async function detectFrames(frames: AsyncIterable<SampledFrame>, options: DetectFramesOptions): Promise<FrameDetections[]> {
  const { detector, views, buffers } = options;
  const objectsAgree = options.framesAgree;
  const planner = new FramePlanner<SeenInFrame>(options.schedule, (first, second) => objectsAgree(first.detections, second.detections), changedFraction, options.handsAgree);
  const results: FrameDetections[] = [];
  const held = new Map<number, SampledFrame>();
  const inferred = new Map<number, Promise<Inferred>>();
  const inFlight = new Set<Promise<unknown>>();
  let failure: unknown;
  let framesDone = 0;
  let framesInferred = 0;
  let inferring = 0;
  const frameDone = (isInferred: boolean) => {
    framesDone += 1;
    if (isInferred) framesInferred += 1;
    options.onProgress?.({ framesDone, framesTotal: Math.max(options.framesTotal, framesDone), framesInferred });
  };
  const track = (task: Promise<unknown>) => {
    const settled = task.catch((error: unknown) => (failure ??= error)).finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  const apply = (decisions: readonly Decision[]) => {
    for (const decision of decisions) {
      const frame = held.get(decision.index)!;
      held.delete(decision.index);
      const { index, timestampMs } = frame;
      if ('infer' in decision) {
        // The thumbnail is taken first: the pixels go to a worker thread.
        const thumbnail = frameThumbnail(frame.pixels, frame.width, frame.height);
        inferring += 1;
        const result = detector.detect(frame, views, options.people ?? false).finally(() => (inferring -= 1)).then(({ detections, poses, hands, pixels }) => {
          if (pixels) buffers.give(pixels);
          const seen = { detections, ...(poses ? { poses } : {}), ...(hands ? { hands } : {}), thumbnail, seenAtMs: timestampMs };
          results[index] = { timestampMs, ...seen };
          frameDone(true);
          return seen;
        });
        inferred.set(index, result);
        track(result.then((seen) => apply(planner.detected(index, seen))));
      } else if (decision.lookForHands) {
        // The reused frame's objects and picture (no new look at them), its own hands.
        inferring += 1;
        const hands = detector.lookForHands(frame).finally(() => (inferring -= 1));
        track(
          Promise.all([inferred.get(decision.reuseFrom)!, hands]).then(([seen, looked]) => {
            if (looked.pixels) buffers.give(looked.pixels);
            results[index] = { timestampMs, ...seen, hands: looked.hands };
            frameDone(false);
          }),
        );
      } else {
        buffers.give(frame.pixels);
        // A reused frame carries its source's picture too: no new look was taken.
        track(
          inferred.get(decision.reuseFrom)!.then((seen) => {
            results[index] = { timestampMs, ...seen };
            frameDone(false);
          }),
        );
      }
    }
  };
  const enoughToDo = () => inferring >= inferencesInFlight(detector) || held.size >= framesHeld(detector, options.schedule);
  /** Inferred frames no later decision can reuse: their promises go, so memory stays flat on long videos. */
  const forgetUnreusable = () => {
    const earliest = planner.earliestReusable;
    for (const index of inferred.keys()) {
      if (index >= earliest) break;
      inferred.delete(index);
    }
  };
  for await (const frame of frames) {
    const signature = options.schedule.skipSimilarFrames ? frameSignature(frame.pixels, frame.width, frame.height) : undefined;
    held.set(frame.index, frame);
    apply(planner.offer({ index: frame.index, timestampMs: frame.timestampMs, ...(signature ? { signature } : {}) }));
    forgetUnreusable();
    // Backpressure: ffmpeg is not read further while the pool has enough to do or too many frames wait for it.
    while (enoughToDo() && inFlight.size > 0 && !failure) await Promise.race(inFlight);
    if (failure) break;
  }
  if (!failure) apply(planner.end());
  while (inFlight.size > 0) await Promise.race(inFlight);
  if (failure) throw failure;
  return results;
}
