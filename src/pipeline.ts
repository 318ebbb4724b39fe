/**
 * The analysis flow, one way: probe -> check limits -> sample -> schedule + detect -> track ->
 * taxonomy. Produces the unfiltered VideoAnalysis; reading it (filters, sort, aggregation, pages)
 * is the response stage's job.
 */
import { environmentSettings } from './config.js';
import { createDetectorPool, type DetectorPool } from './detect/index.js';
import { analysisFrameSize, analysisViews, DEFAULT_TILING, toTiling, type Tiling } from './detect/views.js';
import { assertDecodedToTheEnd, checkVideoLimits, DEFAULT_SAMPLE_FPS, expectedFrameCount, probeVideo, sampleFrames, type SampleRate } from './frames/index.js';
import { FrameBufferPool } from './frames/buffers.js';
import { detectFrames, resolveScheduleOptions, type ScheduleProgress, type WorkAvoidanceOptions } from './schedule/index.js';
import { discountHeldObjects, loadTaxonomy, toLabelTimelines } from './taxonomy/index.js';
import { agreementOf, trackObjects, type TrackerOptions } from './track/index.js';
import type { FrameDetections, LabelTimeline, VideoAnalysis } from './types.js';

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
   * `'tiles'` (default, or EDGE_LABEL_DETECTION_TILING): the model also looks at square tiles along
   * the frame's long side, which finds small and far objects the squeezed whole frame misses, at one
   * inference per view (3 for 16:9 video). `'off'`: the whole frame only, fastest. See detect/views.ts.
   */
  tiling?: Tiling;
  signal?: AbortSignal;
  onProgress?: (progress: AnalysisProgress) => void;
  /** A running detector pool to reuse across videos; it is left running. */
  detector?: DetectorPool;
  /** ffprobe codec names to analyse (e.g. `['h264']`, all Rekognition accepts); default: any the decoder reads. */
  acceptedCodecs?: readonly string[];
}

/** Everything after the model, pure: frames' detections -> tracks -> scene context -> label timelines. */
export function labelTimelinesOf(frames: readonly FrameDetections[], tracker?: Partial<TrackerOptions>): LabelTimeline[] {
  const taxonomy = loadTaxonomy();
  return toLabelTimelines(discountHeldObjects(trackObjects(frames, tracker), taxonomy), taxonomy);
}

export async function analyzeVideo(videoPath: string, options: AnalyzeOptions = {}): Promise<VideoAnalysis> {
  const probed = await probeVideo(videoPath, options);
  const { metadata } = probed;
  checkVideoLimits(videoPath, metadata, options.acceptedCodecs);
  const schedule = resolveScheduleOptions(options);
  const framesAgree = agreementOf(options.tracker);
  const tiling = options.tiling === undefined ? (environmentSettings().tiling ?? DEFAULT_TILING) : toTiling(options.tiling, 'tiling');
  const fps = options.fps ?? DEFAULT_SAMPLE_FPS;
  const detector = options.detector ?? (await createDetectorPool(options));
  try {
    const sampleIntervalMs = fps === 'all' ? 1000 / (metadata.FrameRate || 25) : 1000 / fps;
    const { width, height } = analysisFrameSize(metadata.FrameWidth, metadata.FrameHeight, detector.manifest.input, tiling);
    const buffers = new FrameBufferPool(width * height * 3);
    const frames = sampleFrames(videoPath, { fps, width, height, displayFilters: probed.displayFilters, ffmpegPath: options.ffmpegPath, signal: options.signal, takeBuffer: () => buffers.take() });
    const detected = await detectFrames(frames, {
      detector,
      views: analysisViews(width, height, tiling),
      schedule,
      framesAgree,
      buffers,
      framesTotal: expectedFrameCount(metadata.DurationMillis, metadata.FrameRate, fps),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const analysedTimestampsMs = detected.map((frame) => frame.timestampMs);
    assertDecodedToTheEnd(videoPath, analysedTimestampsMs, metadata.DurationMillis, sampleIntervalMs);
    return {
      videoMetadata: metadata,
      labelModelVersion: detector.manifest.labelModelVersion,
      sampleIntervalMs,
      analysedTimestampsMs,
      labels: labelTimelinesOf(detected, options.tracker),
    };
  } finally {
    if (!options.detector) await detector.destroy();
  }
}
