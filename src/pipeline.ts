/**
 * The analysis flow, one way: probe -> sample frames -> detect in the worker pool -> track ->
 * taxonomy. Produces the unfiltered VideoAnalysis; reading it (filters, sort, aggregation, pages)
 * is the response stage's job.
 */
import { createDetectorPool, type DetectorPool } from './detect/index.js';
import { invalidS3Object, videoTooLarge } from './errors.js';
import { DEFAULT_SAMPLE_FPS, expectedFrameCount, probeVideo, sampleFrames, type ProbedVideo, type SampleRate } from './frames/index.js';
import { loadTaxonomy, toLabelTimelines } from './taxonomy/index.js';
import { trackObjects, type TrackerOptions } from './track/index.js';
import { FrameBufferPool } from './frames/buffers.js';
import { changedFraction, frameSignature } from './frames/similarity.js';
import type { Detection, FrameDetections, SampledFrame, VideoAnalysis } from './types.js';

export { createDetectorPool, type DetectorPool };

export interface AnalysisProgress {
  framesDone: number;
  framesTotal: number;
  /** Frames actually sent to the model (fewer than framesDone when similar frames are skipped). */
  framesInferred?: number;
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
  /** Skip inference on frames nearly identical to the last analysed one (off by default). */
  skipSimilarFrames?: boolean | Partial<FrameSkipOptions>;
  signal?: AbortSignal;
  onProgress?: (progress: AnalysisProgress) => void;
  /** A running detector pool to reuse across videos; it is left running. */
  detector?: DetectorPool;
  /** ffprobe codec names to analyse (e.g. `['h264']`, all Rekognition accepts); default: any the decoder reads. */
  acceptedCodecs?: readonly string[];
}

/**
 * Frames analysed in parallel: enough to keep every worker busy with one frame queued behind it,
 * and no more, so that memory stays bounded (each frame is width x height x 3 bytes).
 */
const framesInFlight = (detector: DetectorPool): number => detector.workers * 2;

/**
 * Work avoidance: a sampled frame that differs from the LAST ANALYSED frame (not merely the previous
 * one, so slow changes add up) in at most `maxChangedFraction` of a 16x16 grayscale grid is not sent
 * to the model; it gets the last analysed frame's detections, and the tracker carries the objects
 * across it.
 */
export interface FrameSkipOptions {
  /** Largest fraction of grid cells (0..1) that may have changed for a frame to count as "the same picture". */
  maxChangedFraction: number;
  /** A frame is always analysed when the last analysed one is this old, so nothing goes stale for long. */
  maxSkippedMs: number;
}

/** 1/64 of the picture (4 cells of 256) may change: a person far away still triggers analysis. */
export const DEFAULT_FRAME_SKIP: FrameSkipOptions = { maxChangedFraction: 1 / 64, maxSkippedMs: 5000 };

interface AnalysedFrame {
  timestampMs: number;
  signature: Float32Array;
  detections: Promise<Detection[]>;
}

/** Runs `detect` over the frames with bounded concurrency; results come back in frame order. */
async function detectAll(
  frames: AsyncIterable<SampledFrame>,
  detector: DetectorPool,
  buffers: FrameBufferPool,
  skip: FrameSkipOptions | undefined,
  onFrameDone: (inferred: boolean) => void,
): Promise<FrameDetections[]> {
  const results: FrameDetections[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let lastAnalysed: AnalysedFrame | undefined;
  let failure: unknown;
  const track = (task: Promise<unknown>) => {
    const settled = task.catch((error: unknown) => (failure ??= error)).finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  for await (const frame of frames) {
    const { index, timestampMs } = frame;
    const signature = skip ? frameSignature(frame.pixels, frame.width, frame.height) : undefined;
    const reusable =
      skip && signature && lastAnalysed && timestampMs - lastAnalysed.timestampMs < skip.maxSkippedMs && changedFraction(signature, lastAnalysed.signature) <= skip.maxChangedFraction
        ? lastAnalysed
        : undefined;
    if (reusable) {
      buffers.give(frame.pixels);
      track(reusable.detections.then((detections) => {
        results[index] = { timestampMs, detections };
        onFrameDone(false);
      }));
    } else {
      const detections = detector.detect(frame).then(({ detections, pixels }) => {
        if (pixels) buffers.give(pixels);
        results[index] = { timestampMs, detections };
        onFrameDone(true);
        return detections;
      });
      if (signature) lastAnalysed = { timestampMs, signature, detections };
      track(detections);
    }
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

/**
 * What is refused after probing and before decoding, since a header alone can make the decoder
 * allocate without bound (a frame declared 15360x15360 takes ffmpeg 2.5 GB): Rekognition's 6 hours,
 * and no frame larger than the largest H.264 level (6.2: 139,264 macroblocks, e.g. 8192x4352) allows.
 */
export const VIDEO_LIMITS = { maxDurationMs: 6 * 60 * 60 * 1000, maxFrameSide: 8192, maxFramePixels: 139_264 * 16 * 16 } as const;

export function checkVideoLimits(videoPath: string, metadata: ProbedVideo['metadata'], acceptedCodecs?: readonly string[]): void {
  const { DurationMillis, FrameWidth, FrameHeight, Codec = 'unknown' } = metadata;
  if (DurationMillis > VIDEO_LIMITS.maxDurationMs) {
    throw videoTooLarge(`${videoPath}: the video lasts ${DurationMillis} ms, more than the maximum of ${VIDEO_LIMITS.maxDurationMs} ms (6 hours)`);
  }
  if (Math.max(FrameWidth, FrameHeight) > VIDEO_LIMITS.maxFrameSide || FrameWidth * FrameHeight > VIDEO_LIMITS.maxFramePixels) {
    throw videoTooLarge(
      `${videoPath}: frame size ${FrameWidth}x${FrameHeight} is larger than the maximum of ${VIDEO_LIMITS.maxFrameSide} pixels a side and ${VIDEO_LIMITS.maxFramePixels} pixels (8192x4352)`,
    );
  }
  if (acceptedCodecs && !acceptedCodecs.includes(Codec)) {
    throw invalidS3Object(`${videoPath}: unsupported codec ${Codec} (accepted: ${acceptedCodecs.join(', ')})`);
  }
}

export async function analyzeVideo(videoPath: string, options: AnalyzeOptions = {}): Promise<VideoAnalysis> {
  const probed = await probeVideo(videoPath, options);
  checkVideoLimits(videoPath, probed.metadata, options.acceptedCodecs);
  const fps = options.fps ?? DEFAULT_SAMPLE_FPS;
  const detector = options.detector ?? (await createDetectorPool(options));
  try {
    const { metadata } = probed;
    const sampleIntervalMs = fps === 'all' ? 1000 / (metadata.FrameRate || 25) : 1000 / fps;
    const framesTotal = expectedFrameCount(metadata.DurationMillis, metadata.FrameRate, fps);
    let framesDone = 0;
    let framesInferred = 0;
    const { width, height } = detector.manifest.input;
    const buffers = new FrameBufferPool(width * height * 3);
    const frames = sampleFrames(videoPath, {
      fps,
      width,
      height,
      ffmpegPath: options.ffmpegPath,
      signal: options.signal,
      takeBuffer: () => buffers.take(),
    });
    const skip = options.skipSimilarFrames ? { ...DEFAULT_FRAME_SKIP, ...(options.skipSimilarFrames === true ? {} : options.skipSimilarFrames) } : undefined;
    const frameDetections = await detectAll(frames, detector, buffers, skip, (inferred) => {
      framesDone += 1;
      if (inferred) framesInferred += 1;
      options.onProgress?.({ framesDone, framesTotal: Math.max(framesTotal, framesDone), framesInferred });
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
