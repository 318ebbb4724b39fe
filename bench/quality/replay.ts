/**
 * Replays a recording (record.ts) through everything the pipeline does after the model: merging
 * the views, calibration, tracking, labels. Pure, and built from the pipeline's own functions, so a
 * replay is what the pipeline would have answered for those detections.
 */
import { calibrateDetection, type ScoreCalibration } from '../../src/detect/manifest.js';
import { suppressOverlaps } from '../../src/detect/nms.js';
import type { Tiling } from '../../src/detect/views.js';
import { labelTimelinesOf } from '../../src/pipeline.js';
import { loadTaxonomy, toLabelTimelines } from '../../src/taxonomy/index.js';
import { trackObjects, type TrackerOptions } from '../../src/track/index.js';
import type { Detection, FrameDetections, VideoAnalysis } from '../../src/types.js';
import { thumbnailOf, type RecordedClip, type RecordedFrame } from './recording-format.js';

export interface ReplaySettings {
  tiling: Tiling;
  /** Raw score -> per-frame confidence (the model manifest's calibration format). */
  calibration: Pick<ScoreCalibration, 'points' | 'classes'>;
  nmsIouThreshold: number;
  tracker?: Partial<TrackerOptions>;
  /** Without the scene-context rule (held objects need a person), as the pipeline was before it. */
  withoutContext?: boolean;
}

/** One frame's detections as the pipeline's detector would have returned them. */
export function replayFrame(frame: RecordedFrame, settings: ReplaySettings): Detection[] {
  const views = settings.tiling === 'tiles' ? frame.views : frame.views.slice(0, 1);
  const merged = views.length === 1 ? (views[0]?.detections ?? []) : suppressOverlaps(views.flatMap((view) => view.detections.map((d) => ({ ...d, confidence: 0 }))), settings.nmsIouThreshold);
  return merged.map(({ box, className, score }) => ({ box, className, score, confidence: calibrateDetection(settings.calibration, className, score) }));
}

export function replayFrames(clip: RecordedClip, settings: ReplaySettings): FrameDetections[] {
  return clip.frames.map((frame) => ({ timestampMs: frame.timestampMs, detections: replayFrame(frame, settings), thumbnail: thumbnailOf(frame) }));
}

export function replayClip(clip: RecordedClip, settings: ReplaySettings, labelModelVersion: string): { frames: FrameDetections[]; analysis: VideoAnalysis } {
  const frames = replayFrames(clip, settings);
  const analysis: VideoAnalysis = {
    videoMetadata: clip.metadata,
    labelModelVersion,
    sampleIntervalMs: 1000 / 2,
    analysedTimestampsMs: frames.map((frame) => frame.timestampMs),
    labels: settings.withoutContext ? toLabelTimelines(trackObjects(frames, settings.tracker), loadTaxonomy()) : labelTimelinesOf(frames, settings.tracker),
  };
  return { frames, analysis };
}
