/**
 * The analysis flow, one way: probe -> sample frames -> detect in the worker pool -> track ->
 * taxonomy. Produces the unfiltered VideoAnalysis; reading it (filters, sort, aggregation, pages)
 * is the response stage's job.
 */
import { createDetectorPool, type DetectorPool } from './detect/index.js';
import { invalidS3Object } from './errors.js';
import { DEFAULT_SAMPLE_FPS, expectedFrameCount, probeVideo, sampleFrames, type SampleRate } from './frames/index.js';
import { loadTaxonomy, toLabelTimelines } from './taxonomy/index.js';
import { trackObjects, type TrackerOptions } from './track/index.js';
import type { FrameDetections, SampledFrame, VideoAnalysis } from './types.js';

export { createDetectorPool, type DetectorPool };

export interface AnalysisProgress {
  framesDone: number;
  framesTotal: number;
}

export interface AnalyzeOptions {
  /** Frames per second to analyse (default 2), or `'all'` for every frame. */
  fps?: SampleRate;
  /** Model name (default `centernet`). Ignored when `detector` is given. */
  model?: string;
  /** Directory or URL of the model weights, for models that do not ship them. */
  modelPath?: string;
  /** Worker threads (default: CPU cores). Ignored when `detector` is given. */
  workers?: number;
  ffmpegPath?: string;
  ffprobePath?: string;
  tracker?: Partial<TrackerOptions>;
  signal?: AbortSignal;
  onProgress?: (progress: AnalysisProgress) => void;
  /** A running detector pool to reuse across videos; it is left running. */
  detector?: DetectorPool;
}

/**
 * Frames analysed in parallel: enough to keep every worker busy with one frame queued behind it,
 * and no more, so that memory stays bounded (each frame is width x height x 3 bytes).
 */
const framesInFlight = (detector: DetectorPool): number => detector.workers * 2;

/** Runs `detect` over the frames with bounded concurrency; results come back in frame order. */
async function detectAll(
  frames: AsyncIterable<SampledFrame>,
  detector: DetectorPool,
  onFrameDone: () => void,
): Promise<FrameDetections[]> {
  const results: FrameDetections[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  for await (const frame of frames) {
    const { index, timestampMs } = frame;
    const task: Promise<void> = detector
      .detect(frame)
      .then((detections) => {
        results[index] = { timestampMs, detections };
        onFrameDone();
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= framesInFlight(detector)) await Promise.race(inFlight);
    if (failure) break;
  }
  await Promise.all(inFlight);
  if (failure) throw failure;
  return results;
}

/**
 * A decoder that stops well before the declared duration met a damaged or truncated file, even
 * when ffmpeg itself exits cleanly.
 */
function assertDecodedToTheEnd(videoPath: string, timestampsMs: number[], durationMs: number, sampleIntervalMs: number): void {
  const last = timestampsMs.at(-1);
  if (last === undefined) throw invalidS3Object(`${videoPath}: no video frame could be decoded`);
  const tolerance = Math.max(1000, 2 * sampleIntervalMs);
  if (last + tolerance < durationMs) {
    throw invalidS3Object(`${videoPath}: decoding stopped at ${last} ms of a declared ${durationMs} ms (truncated or damaged file)`);
  }
}

export async function analyzeVideo(videoPath: string, options: AnalyzeOptions = {}): Promise<VideoAnalysis> {
  const probed = await probeVideo(videoPath, options);
  const fps = options.fps ?? DEFAULT_SAMPLE_FPS;
  const detector = options.detector ?? (await createDetectorPool(options));
  try {
    const { metadata } = probed;
    const sampleIntervalMs = fps === 'all' ? 1000 / (metadata.FrameRate || 25) : 1000 / fps;
    const framesTotal = expectedFrameCount(metadata.DurationMillis, metadata.FrameRate, fps);
    let framesDone = 0;
    const frames = sampleFrames(videoPath, {
      fps,
      width: detector.manifest.input.width,
      height: detector.manifest.input.height,
      ffmpegPath: options.ffmpegPath,
      signal: options.signal,
    });
    const frameDetections = await detectAll(frames, detector, () => {
      framesDone += 1;
      options.onProgress?.({ framesDone, framesTotal: Math.max(framesTotal, framesDone) });
    });
    const analysedTimestampsMs = frameDetections.map((frame) => frame.timestampMs);
    assertDecodedToTheEnd(videoPath, analysedTimestampsMs, metadata.DurationMillis, sampleIntervalMs);
    const tracked = trackObjects(frameDetections, options.tracker);
    return {
      videoMetadata: metadata,
      labelModelVersion: detector.manifest.labelModelVersion,
      sampleIntervalMs,
      analysedTimestampsMs,
      labels: toLabelTimelines(tracked, loadTaxonomy()),
    };
  } finally {
    if (!options.detector) await detector.destroy();
  }
}
