/**
 * The analysis flow, one way: probe -> check limits -> sample -> schedule + detect (and look at
 * people) -> faces, heads, hands -> track -> people's activities and groups -> taxonomy. Produces
 * the unfiltered VideoAnalysis; reading it (filters, sort, aggregation, pages) is the response
 * stage's job.
 */
import { environmentSettings } from './config.js';
import { createDetectorPool, type DetectorPool } from './detect/index.js';
import { calibrateDetection, type ModelManifest } from './detect/manifest.js';
import { planSecondLooks, withSecondLooks, type SecondLook, type SecondLookRequest, type SecondLookRule } from './detect/second-look.js';
import { analysisFrameSize, analysisViews, DEFAULT_TILING, toTiling, type Tiling } from './detect/views.js';
import { internalServerError } from './errors.js';
import { assertDecodedToTheEnd, checkVideoLimits, DEFAULT_SAMPLE_FPS, expectedFrameCount, probeVideo, sampleFrames, type SampleFramesOptions, type SampleRate } from './frames/index.js';
import { FrameBufferPool } from './frames/buffers.js';
import { detectFrames, resolveScheduleOptions, type ScheduleProgress, type WorkAvoidanceOptions } from './schedule/index.js';
import { DEFAULT_FIXED_OBJECT_RULE, DEFAULT_RIVAL_NAME_RULE, discountHeldObjects, dropMovingFixedObjects, dropRivalNames, loadTaxonomy, toLabelTimelines, type FixedObjectRule, type RivalNameRule } from './taxonomy/index.js';
import { agreementOf, resolveTrackerOptions, trackObjects, type TrackerOptions } from './track/index.js';
import { DEFAULT_ACTIVITY_OPTIONS, DEFAULT_PART_OPTIONS, detectionsWithParts, withPeopleLabels, withPersonParts, withReachingHands, type ActivityOptions, type PartOptions } from './people/index.js';
import type { FrameSize } from './people/keypoints.js';
import type { VideoMetadata } from '@aws-sdk/client-rekognition';
import type { FrameDetections, LabelTimeline, SeenInFrame, VideoAnalysis } from './types.js';

export type AnalysisProgress = ScheduleProgress;

export interface AnalyzeOptions extends WorkAvoidanceOptions {
  /** Frames per second to analyse (default 2), or `'all'` for every frame. */
  fps?: SampleRate;
  /** Model name (default `centernet`). Ignored when `detector` is given. */
  model?: string;
  /** Directory or URL of the model weights, for models that do not ship them. */
  modelPath?: string;
  /** Worker threads (default: CPU cores). Ignored when `detector` is given. */
  workers?: number;
  /** Force a backend: `tensorflow`, `webgpu`, `wasm` or `cpu` (default: the fastest that starts; detect/backend.ts). */
  backend?: string;
  ffmpegPath?: string;
  ffprobePath?: string;
  tracker?: Partial<TrackerOptions>;
  /**
   * `'tiles'`: the model also looks at square tiles along the frame's long side, which finds small
   * and far objects the squeezed whole frame misses, at one inference per view (3 for 16:9 video).
   * `'off'`: the whole frame only, and for a model with a second look (yolov5s) a look again at
   * each object it reports (detect/second-look.ts). Default: EDGE_LABEL_DETECTION_TILING, else the
   * model's own (its manifest's `defaultTiling`: centernet tiles, yolov5s off). See detect/views.ts.
   */
  tiling?: Tiling;
  /**
   * Whether the detector also looks at each person it finds (default true): a pose and a face
   * search per person, which Face, Head, Hand, Sitting and Standing rest on (detect/people.ts).
   * Walking, Running, People and Crowd come from person tracks alone and are there either way.
   */
  lookAtPeople?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: AnalysisProgress) => void;
  /** A running detector pool to reuse across videos; it is left running. */
  detector?: DetectorPool;
  /** ffprobe codec names to analyse (e.g. `['h264']`, all Rekognition accepts); default: any the decoder reads. */
  acceptedCodecs?: readonly string[];
}

export interface LabelTimelineOptions {
  tracker?: Partial<TrackerOptions>;
  /** The picture's size in pixels (FrameWidth, FrameHeight): people's motion is measured in it. Default 16:9. */
  frameSize?: FrameSize;
  activities?: Partial<ActivityOptions>;
  /** How poses become faces, heads and hands (people/parts.ts). */
  parts?: Partial<PartOptions>;
  /** When a fixed object's track counts as moved on a still picture and is dropped (taxonomy/fixed-objects.ts); false keeps them all, as before that rule. */
  fixedObjects?: FixedObjectRule | false;
  /** When two names on one object are rivals and the weaker goes (taxonomy/rival-names.ts); false keeps both, as before that rule. */
  rivalNames?: RivalNameRule | false;
}

/** The picture people's motion and parts are measured in: the video's size, or 16:9 when unknown. */
const UNKNOWN_FRAME_SIZE: FrameSize = { width: 16, height: 9 };
const frameSizeOf = (metadata: VideoMetadata): FrameSize => (metadata.FrameWidth && metadata.FrameHeight ? { width: metadata.FrameWidth, height: metadata.FrameHeight } : UNKNOWN_FRAME_SIZE);

/**
 * Whether two frames show the same hands, as the tracker will be given them (the hand detector's
 * hands as people/parts.ts makes them detections), paired as the tracker matches them. Poses are
 * left out: a detected person's face, head and wrists move with the person, whose box the
 * objects' agreement already compares.
 */
export const handsAgreement = (tracker: Partial<TrackerOptions> | undefined, frameSize: FrameSize) => {
  const detectionsAgree = agreementOf(tracker);
  const handsOf = ({ hands }: SeenInFrame) => (hands ? detectionsWithParts({ detections: [], hands }, frameSize) : []);
  return (first: SeenInFrame, second: SeenInFrame): boolean => detectionsAgree(handsOf(first), handsOf(second));
};

/**
 * Everything after the model, pure: frames' detections and poses -> faces, heads, hands -> tracks ->
 * people's activities and groups -> people seen only as a hand at their tracks' edges -> scene
 * context (fixed objects that move on a still picture go, held objects are as sure as a person in
 * view) -> one name per object (of two names on one box, the one with less evidence in that
 * context goes) -> label timelines.
 */
export function labelTimelinesOf(frames: readonly FrameDetections[], options: LabelTimelineOptions = {}): LabelTimeline[] {
  const taxonomy = loadTaxonomy();
  const frameSize = options.frameSize ?? UNKNOWN_FRAME_SIZE;
  const withParts = withPersonParts(frames, frameSize, { ...DEFAULT_PART_OPTIONS, ...options.parts });
  const trackerOptions = resolveTrackerOptions(options.tracker);
  const tracked = trackObjects(withParts, trackerOptions);
  const withPeople = withReachingHands(withPeopleLabels(tracked, withParts, frameSize, { ...DEFAULT_ACTIVITY_OPTIONS, ...options.activities }), withParts, trackerOptions);
  const fixedRule = options.fixedObjects ?? DEFAULT_FIXED_OBJECT_RULE;
  const inPlace = fixedRule === false ? withPeople : dropMovingFixedObjects(withPeople, withParts.map((frame) => frame.thumbnail), taxonomy, fixedRule);
  const inContext = discountHeldObjects(inPlace, taxonomy);
  const rivalRule = options.rivalNames ?? DEFAULT_RIVAL_NAME_RULE;
  return toLabelTimelines(rivalRule === false ? inContext : dropRivalNames(inContext, rivalRule), taxonomy);
}

/** What the model saw in a video: its metadata and every sampled frame's detections (and poses). */
export interface DetectedVideo {
  metadata: VideoMetadata;
  labelModelVersion: string;
  sampleIntervalMs: number;
  frames: FrameDetections[];
  /** The tracker settings the model asks for (its manifest's `tracker`); a caller's own go over them. */
  tracker?: Partial<TrackerOptions>;
}

/** probe -> check limits -> sample -> schedule + detect: everything up to the model's output. */
export async function detectVideo(videoPath: string, options: AnalyzeOptions = {}): Promise<DetectedVideo> {
  const probed = await probeVideo(videoPath, options);
  const { metadata } = probed;
  checkVideoLimits(videoPath, metadata, options.acceptedCodecs);
  const schedule = resolveScheduleOptions(options);
  const lookAtPeople = options.lookAtPeople ?? true;
  const fps = options.fps ?? DEFAULT_SAMPLE_FPS;
  const detector = options.detector ?? (await createDetectorPool(options));
  try {
    const tiling = resolveTiling(options.tiling, detector.manifest);
    const tracker = { ...detector.manifest.tracker, ...options.tracker };
    const sampleIntervalMs = fps === 'all' ? 1000 / (metadata.FrameRate || 25) : 1000 / fps;
    const secondLook = tiling === 'off' ? detector.manifest.secondLook : undefined;
    // A second look crops the frame as tiles do, so the frames are decoded at the tiled size and the whole frame resized from it.
    const { width, height } = analysisFrameSize(metadata.FrameWidth, metadata.FrameHeight, detector.manifest.input, secondLook ? 'tiles' : tiling);
    const sampling = { fps, width, height, displayFilters: probed.displayFilters, ffmpegPath: options.ffmpegPath, signal: options.signal };
    const buffers = new FrameBufferPool(width * height * 3);
    const frames = sampleFrames(videoPath, { ...sampling, takeBuffer: () => buffers.take() });
    const views = analysisViews(width, height, tiling);
    const detected = await detectFrames(frames, {
      detector,
      views,
      people: lookAtPeople,
      schedule,
      framesAgree: agreementOf(tracker),
      ...(lookAtPeople ? { handsAgree: handsAgreement(tracker, frameSizeOf(metadata)) } : {}),
      buffers,
      framesTotal: expectedFrameCount(metadata.DurationMillis, metadata.FrameRate, fps),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    assertDecodedToTheEnd(videoPath, detected.map((frame) => frame.timestampMs), metadata.DurationMillis, sampleIntervalMs);
    const looked = secondLook ? await takeSecondLooks(videoPath, detected, secondLook, { sampling, detector }) : detected;
    return { metadata, labelModelVersion: detector.manifest.labelModelVersion, sampleIntervalMs, frames: looked, ...(detector.manifest.tracker ? { tracker: detector.manifest.tracker } : {}) };
  } finally {
    if (!options.detector) await detector.destroy();
  }
}

/** The tiling asked for, else the environment's, else the model's own default, else tiles. */
const resolveTiling = (asked: Tiling | undefined, manifest: ModelManifest): Tiling =>
  asked === undefined ? (environmentSettings().tiling ?? manifest.defaultTiling ?? DEFAULT_TILING) : toTiling(asked, 'tiling');

/**
 * The second look (detect/second-look.ts): the looks planned from the frames' detections are taken
 * on the frames decoded again (the same sampling, so the same timestamps), one detector call per
 * crop, and the frames come back rescored.
 */
async function takeSecondLooks(videoPath: string, frames: FrameDetections[], rule: SecondLookRule, { sampling, detector }: { sampling: Omit<SampleFramesOptions, 'takeBuffer'>; detector: DetectorPool }): Promise<FrameDetections[]> {
  const requests = planSecondLooks(frames, rule, { width: sampling.width, height: sampling.height });
  if (requests.length === 0) return frames;
  const pending = new Map<number, SecondLookRequest[]>();
  for (const request of requests) pending.set(request.seenAtMs, [...(pending.get(request.seenAtMs) ?? []), request]);
  const looks: SecondLook[] = [];
  for await (const frame of sampleFrames(videoPath, sampling)) {
    const atFrame = pending.get(frame.timestampMs);
    if (!atFrame) continue;
    pending.delete(frame.timestampMs);
    // Each call transfers the pixels to a worker, so each crop gets its own copy.
    looks.push(...(await Promise.all(atFrame.map(async (request) => ({ request, detections: (await detector.lookAgain({ ...frame, pixels: frame.pixels.slice() }, request.view)).detections })))));
    if (pending.size === 0) break;
  }
  if (pending.size > 0) throw internalServerError(`${videoPath}: decoded again for a second look, the frames at ${[...pending.keys()].join(', ')} ms did not come back`);
  const calibration = detector.manifest.calibration.off;
  return withSecondLooks(frames, looks, rule, (className, score) => calibrateDetection(calibration, className, score));
}

/** A detected video's analysis: its label timelines (labelTimelinesOf) in the video's picture size. Pure. */
export function analysisOf({ metadata, labelModelVersion, sampleIntervalMs, frames, tracker: modelTracker }: DetectedVideo, options: Pick<AnalyzeOptions, 'tracker'> = {}): VideoAnalysis {
  const tracker = { ...modelTracker, ...options.tracker };
  return {
    videoMetadata: metadata,
    labelModelVersion,
    sampleIntervalMs,
    analysedTimestampsMs: frames.map((frame) => frame.timestampMs),
    labels: labelTimelinesOf(frames, {
      ...(Object.keys(tracker).length > 0 ? { tracker } : {}),
      frameSize: frameSizeOf(metadata),
    }),
  };
}

export async function analyzeVideo(videoPath: string, options: AnalyzeOptions = {}): Promise<VideoAnalysis> {
  return analysisOf(await detectVideo(videoPath, options), options);
}
