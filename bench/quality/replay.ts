/**
 * Replays a recording (record.ts) through everything the pipeline does after the model: merging
 * the views, calibration, tracking, labels. Pure, and built from the pipeline's own functions, so a
 * replay is what the pipeline would have answered for those detections.
 */
import { calibrateDetection, type ScoreCalibration } from '../../src/detect/manifest.js';
import { keepBestScored, suppressOverlaps } from '../../src/detect/nms.js';
import { iou } from '../../src/geometry.js';
import { planSecondLooks, withSecondLooks, type SecondLookRule } from '../../src/detect/second-look.js';
import { scoreByViewMean, type Tiling, type ViewScoring } from '../../src/detect/views.js';
import { changedFraction } from '../../src/picture.js';
import { labelTimelinesOf } from '../../src/pipeline.js';
import { FramePlanner, type Decision, type ScheduleOptions } from '../../src/schedule/index.js';
import { agreementOf } from '../../src/track/index.js';
import { loadTaxonomy, toLabelTimelines } from '../../src/taxonomy/index.js';
import { trackObjects, type TrackerOptions } from '../../src/track/index.js';
import type { Box, Detection, FrameDetections, VideoAnalysis } from '../../src/types.js';
import { thumbnailOf, type RecordedClip, type RecordedFrame } from './recording-format.js';

export interface ReplaySettings {
  tiling: Tiling;
  /** Raw score -> per-frame confidence (the model manifest's calibration format). */
  calibration: Pick<ScoreCalibration, 'points' | 'classes'>;
  nmsIouThreshold: number;
  tracker?: Partial<TrackerOptions>;
  /** Without the scene-context rules (held objects need a person, fixed objects stay put), as the pipeline was before them. */
  withoutContext?: boolean;
  /** Fixed objects moving on a still picture kept, as the pipeline was before that rule. */
  keepMovingFixedObjects?: boolean;
  /** Rival names on one object both kept, as the pipeline was before that rule. */
  keepRivalNames?: boolean;
  /** Frame scheduling (work avoidance) as the pipeline's planner does it; without, every frame is inferred. */
  schedule?: ScheduleOptions;
  adaptiveTiles?: AdaptiveTiles;
  /** How boxes several views saw are scored, as the model's manifest says (src/detect/views.ts); `best` when absent. */
  viewScoring?: ViewScoring;
  /** Rules tried on each frame's detections before calibration (not kept; see the variants). */
  frameRule?: FrameRule;
  /** The second look of a model that has one (its manifest's), taken from the recording's looks when frames are seen whole. */
  secondLook?: SecondLookRule;
}

export interface FrameRule {
  /** Boxes of different classes on one object (IoU at least this) keep only the best-scored class. */
  oneClassPerBoxIou?: number;
  /** Each score times its share of the scores of every class on the same object (IoU at least this). */
  classShareIou?: number;
  /** Tiled frames without their whole-frame view: the two overlapping tiles alone. */
  tilesOnly?: boolean;
  /** The other way of scoring boxes several views saw than the model's manifest says (src/detect/views.ts ViewScoring), tried. */
  viewScoring?: ViewScoring;
}

/**
 * Tried, not kept (held out, calibration refitted: label P/R 0.87/0.63 -> 0.63/0.56): one object, one class. Of boxes of different
 * classes on the same object (IoU at least `sameBoxIou`) only the best-scored is kept, since
 * CenterNet puts a peak on an object for every class it considers.
 */
const keepOneClassPerBox = <T extends Pick<Detection, 'box' | 'className' | 'score'>>(detections: readonly T[], sameBoxIou: number): T[] =>
  keepBestScored(detections, (other, candidate) => other.className !== candidate.className && iou(other.box, candidate.box) >= sameBoxIou);

/**
 * Tried, not kept: an object the model is unsure of gets peaks for several classes; each class's
 * score is multiplied by its share of all the scores on that object (itself included), so a class
 * that shares its box with others counts for less.
 */
function scoreByClassShare<T extends Pick<Detection, 'box' | 'score'>>(detections: readonly T[], sameBoxIou: number): T[] {
  return detections.map((detection) => {
    const onObject = detections.filter((other) => iou(other.box, detection.box) >= sameBoxIou).reduce((sum, other) => sum + other.score, 0);
    return { ...detection, score: (detection.score * detection.score) / onObject };
  });
}

function applyFrameRule<T extends Pick<Detection, 'box' | 'className' | 'score'>>(detections: readonly T[], rule: FrameRule | undefined): readonly T[] {
  let result = detections;
  if (rule?.oneClassPerBoxIou !== undefined) result = keepOneClassPerBox(result, rule.oneClassPerBoxIou);
  if (rule?.classShareIou !== undefined) result = scoreByClassShare(result, rule.classShareIou);
  return result;
}

/** One frame's detections as the pipeline's detector would have returned them. */
export function replayFrame(frame: RecordedFrame, settings: ReplaySettings): Detection[] {
  const views = settings.tiling === 'tiles' ? (settings.frameRule?.tilesOnly ? frame.views.slice(1) : frame.views) : frame.views.slice(0, 1);
  const merged = views.length === 1 ? (views[0]?.detections ?? []) : suppressOverlaps(views.flatMap((view) => view.detections), settings.nmsIouThreshold);
  const viewScoring = settings.frameRule?.viewScoring ?? settings.viewScoring ?? 'best';
  const rescored = viewScoring === 'mean' && views.length > 1 ? scoreByViewMean(merged, views) : merged;
  return applyFrameRule(rescored, settings.frameRule).map(({ box, className, score }) => ({ box, className, score, confidence: calibrateDetection(settings.calibration, className, score) }));
}

export function replayFrames(clip: RecordedClip, settings: ReplaySettings): FrameDetections[] {
  return withRecordedLooks(clip, clip.frames.map((frame) => ({ timestampMs: frame.timestampMs, detections: replayFrame(frame, settings), thumbnail: thumbnailOf(frame) })), settings).frames;
}

/**
 * The second look as the pipeline takes it (src/detect/second-look.ts), when the settings have one and
 * frames are seen whole: the looks planned from the frames, each answered by the recorded look at
 * the same box of the frame it was seen in. Returns the rescored frames and how many looks were taken.
 */
function withRecordedLooks(clip: RecordedClip, frames: FrameDetections[], settings: ReplaySettings): { frames: FrameDetections[]; looks: number } {
  const rule = settings.secondLook;
  if (!rule || settings.tiling !== 'off') return { frames, looks: 0 };
  const recordedAt = new Map(clip.frames.map((frame) => [frame.timestampMs, frame]));
  const looks = planSecondLooks(frames, rule, clip.frameSize).map((request) => {
    const recorded = recordedAt.get(request.seenAtMs)?.looks?.find((look) => iou(look.box, request.box) >= 0.999);
    if (!recorded) throw new Error(`${clip.video}: no recorded second look at ${request.className} ${JSON.stringify(request.box)} (${request.seenAtMs} ms): record again (run.ts --record)`);
    return { request, detections: recorded.detections };
  });
  return { frames: withSecondLooks(frames, looks, rule, (className, score) => calibrateDetection(settings.calibration, className, score)), looks: looks.length };
}

export function replayClip(clip: RecordedClip, settings: ReplaySettings, labelModelVersion: string): { frames: FrameDetections[]; analysis: VideoAnalysis; inferred: number; views: number } {
  const everyFrame = { skipSimilarFrames: false as const, anchorInterval: 1 };
  const { frames, inferred, views } = replayScheduledFrames(clip, settings, settings.schedule ?? everyFrame, settings.adaptiveTiles);
  const analysis: VideoAnalysis = {
    videoMetadata: clip.metadata,
    labelModelVersion,
    sampleIntervalMs: 1000 / 2,
    analysedTimestampsMs: frames.map((frame) => frame.timestampMs),
    labels: settings.withoutContext ? toLabelTimelines(trackObjects(frames, settings.tracker), loadTaxonomy()) : labelTimelinesOf(frames, { ...(settings.tracker ? { tracker: settings.tracker } : {}), ...(settings.keepMovingFixedObjects ? { fixedObjects: false as const } : {}), ...(settings.keepRivalNames ? { rivalNames: false as const } : {}) }),
  };
  return { frames, analysis, inferred, views };
}

/**
 * Adaptive tiling, simulated: an inferred frame looks at the tiles only when `tileWhen` says so
 * (from what the whole-frame view saw), else at the whole frame alone, calibrated as such.
 */
export interface AdaptiveTiles {
  wholeFrameCalibration: ReplaySettings['calibration'];
  tileWhen(frame: RecordedFrame, context: { msSinceTiled: number }): boolean;
}

/**
 * The frames the pipeline's planner would send to the model (src/schedule/plan.ts), replayed on the
 * recorded signatures: each inferred frame gets its recorded detections, each other frame those of
 * the frame it reuses, as the runner gives them. Returns the frames, how many were inferred and how
 * many views the model looked at.
 */
export function replayScheduledFrames(clip: RecordedClip, settings: ReplaySettings, schedule: ScheduleOptions, adaptive?: AdaptiveTiles): { frames: FrameDetections[]; inferred: number; views: number } {
  const planner = new FramePlanner(schedule, agreementOf(settings.tracker), changedFraction);
  const frames: FrameDetections[] = [];
  let inferred = 0;
  let views = 0;
  let lastTiledMs = Number.NEGATIVE_INFINITY;
  const look = (frame: RecordedFrame): Detection[] => {
    const tiled = settings.tiling === 'tiles' && (!adaptive || adaptive.tileWhen(frame, { msSinceTiled: frame.timestampMs - lastTiledMs }));
    if (tiled) lastTiledMs = frame.timestampMs;
    views += tiled ? frame.views.length - (settings.frameRule?.tilesOnly ? 1 : 0) : 1;
    return replayFrame(frame, tiled ? settings : { ...settings, tiling: 'off', calibration: adaptive?.wholeFrameCalibration ?? settings.calibration });
  };
  const apply = (decisions: readonly Decision[]) => {
    for (const decision of decisions) {
      const frame = clip.frames[decision.index]!;
      if ('infer' in decision) {
        inferred += 1;
        const detections = look(frame);
        frames[decision.index] = { timestampMs: frame.timestampMs, detections, thumbnail: thumbnailOf(frame), seenAtMs: frame.timestampMs };
        apply(planner.detected(decision.index, detections));
      } else frames[decision.index] = { ...frames[decision.reuseFrom]!, timestampMs: frame.timestampMs };
    }
  };
  clip.frames.forEach((frame, index) => apply(planner.offer({ index, timestampMs: frame.timestampMs, signature: frame.signature })));
  apply(planner.end());
  const looked = withRecordedLooks(clip, frames, settings);
  return { frames: looked.frames, inferred, views: views + looked.looks };
}
