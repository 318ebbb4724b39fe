/**
 * The analysis flow, one way: probe -> sample frames -> detect in the worker pool -> track ->
 * taxonomy. Produces the unfiltered VideoAnalysis; reading it (filters, sort, aggregation, pages)
 * is the response stage's job.
 */
import { createDetectorPool, type DetectorPool } from './detect/index.js';
import { analysisFrameSize, analysisViews, DEFAULT_TILING, tilingFromEnvironment, toTiling, type Tiling } from './detect/views.js';
import { invalidParameter, invalidS3Object, videoTooLarge } from './errors.js';
import { DEFAULT_SAMPLE_FPS, expectedFrameCount, probeVideo, sampleFrames, type ProbedVideo, type SampleRate } from './frames/index.js';
import { discountHeldObjects, loadTaxonomy, toLabelTimelines } from './taxonomy/index.js';
import { resolveTrackerOptions, trackObjects, type TrackerOptions } from './track/index.js';
import { FrameBufferPool } from './frames/buffers.js';
import { changedFraction, frameSignature, frameThumbnail } from './frames/similarity.js';
import { matchOverlap, type OverlapRule } from './track/association.js';
import type { Box, Detection, FrameDetections, FrameThumbnail, LabelTimeline, SampledFrame, VideoAnalysis } from './types.js';

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
  /**
   * `'tiles'` (default): the model also looks at square tiles along the frame's long side, which
   * finds small and far objects the squeezed whole frame misses, at one inference per view (3 for
   * 16:9 video). `'off'`: the whole frame only, fastest. See detect/views.ts.
   */
  tiling?: Tiling;
  /** Skip inference on frames nearly identical to the last analysed one (off by default). */
  skipSimilarFrames?: boolean | Partial<FrameSkipOptions>;
  /** Analyse frames between anchors only where the anchors disagree (off by default); see {@link AdaptiveSamplingOptions}. */
  adaptiveSampling?: boolean | Partial<AdaptiveSamplingOptions>;
  signal?: AbortSignal;
  onProgress?: (progress: AnalysisProgress) => void;
  /** A running detector pool to reuse across videos; it is left running. */
  detector?: DetectorPool;
  /** ffprobe codec names to analyse (e.g. `['h264']`, all Rekognition accepts); default: any the decoder reads. */
  acceptedCodecs?: readonly string[];
}

export { DEFAULT_TILING };

/** The tiling used when the caller names none, from EDGE_LABEL_DETECTION_TILING (see {@link tilingFromEnvironment}). */
export const defaultTiling = (): Tiling => tilingFromEnvironment(process.env.EDGE_LABEL_DETECTION_TILING);

/**
 * Frames analysed in parallel: enough to keep every worker busy with one frame queued behind it,
 * and no more, so that memory stays bounded (each frame is width x height x 3 bytes).
 */
const framesInFlight = (detector: DetectorPool): number => detector.workers * 2;

/**
 * Work avoidance, two opt-in rules that compose:
 *
 * Similar frames: an analysed-to-be frame that differs from the LAST ANALYSED frame (not merely the
 * previous one, so slow changes add up) in at most `maxChangedFraction` of a 16x16 grayscale grid
 * is not sent to the model; it gets the last analysed frame's detections.
 *
 * Adaptive sampling: only every `anchorInterval`-th sampled frame (an anchor; the last frame too)
 * is sure to be analysed. The frames between two anchors are analysed only where the anchors
 * disagree about what is there, by bisection: the middle frame is analysed and each half is judged
 * again. Two frames agree when their detections that could start a track (per-frame confidence at
 * the tracker's `highConfidence`) pair up as the tracker would match them: same class, buffered
 * IoU at least its `minIou` (see {@link framesAgree}). Skipped frames
 * get the detections of the nearer analysed frame, and the tracker carries objects across them.
 * With both rules on, a frame bisection would analyse is first compared with the window's two
 * ends, so a window where the picture cuts from one still shot to another costs no inference.
 * The price: something that comes and goes entirely between two agreeing anchors, within
 * (anchorInterval − 1) sampled frames, is not seen.
 */
export interface FrameSkipOptions {
  /** Largest fraction of grid cells (0..1) that may have changed for a frame to count as "the same picture". */
  maxChangedFraction: number;
  /** A frame is always analysed when the last analysed one is this old, so nothing goes stale for long. */
  maxSkippedMs: number;
}

/** 1/64 of the picture (4 cells of 256) may change: a person far away still triggers analysis. */
export const DEFAULT_FRAME_SKIP: FrameSkipOptions = { maxChangedFraction: 1 / 64, maxSkippedMs: 5000 };

export interface AdaptiveSamplingOptions {
  /** Sampled frames from one anchor to the next (>= 1; 1 analyses every frame). */
  anchorInterval: number;
}

/** Anchors 4 sampled frames apart: 2 s at the default 2 frames/s, so a label's presence is known to 2 s before refining. */
export const DEFAULT_ADAPTIVE_SAMPLING: AdaptiveSamplingOptions = { anchorInterval: 4 };

interface WorkAvoidance {
  skip: FrameSkipOptions | undefined;
  anchorInterval: number;
  /** Per-frame confidence at or above which a detection counts when comparing two frames. */
  agreementConfidence: number;
  /** When two detections of one class are the same object in two frames: the tracker's rule. */
  agreementOverlap: OverlapRule;
}

/**
 * Whether two analysed frames show the same things in the same places, for adaptive sampling: their
 * detections at or above `minConfidence` pair up one to one, same class and boxes overlapping as
 * the tracker requires to match them (`rule`), so nothing appeared, left or moved far.
 */
export function framesAgree(first: readonly Detection[], second: readonly Detection[], minConfidence: number, rule: OverlapRule): boolean {
  const confident = (detections: readonly Detection[]) => detections.filter((detection) => detection.confidence >= minConfidence);
  const unpaired = confident(second);
  for (const detection of confident(first)) {
    const partner = unpaired.findIndex((other) => other.className === detection.className && matchOverlap(other.box, detection.box, rule) >= rule.minIou);
    if (partner < 0) return false;
    unpaired.splice(partner, 1);
  }
  return unpaired.length === 0;
}

interface AnalysedFrame {
  timestampMs: number;
  signature: Float32Array | undefined;
  thumbnail: FrameThumbnail;
  detections: Promise<Detection[]>;
}

/** Runs `detect` over the frames with bounded concurrency; results come back in frame order. */
async function detectAll(
  frames: AsyncIterable<SampledFrame>,
  detector: DetectorPool,
  views: readonly Box[],
  buffers: FrameBufferPool,
  avoidance: WorkAvoidance,
  onFrameDone: (inferred: boolean) => void,
): Promise<FrameDetections[]> {
  const results: FrameDetections[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let lastAnalysed: AnalysedFrame | undefined;
  let lastAnchor: AnalysedFrame | undefined;
  let between: SampledFrame[] = [];
  let failure: unknown;
  const { skip, anchorInterval, agreementConfidence, agreementOverlap } = avoidance;
  const track = (task: Promise<unknown>) => {
    const settled = task.catch((error: unknown) => (failure ??= error)).finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  /** Sends the frame to the model; its thumbnail is taken first, since the pixels go to a worker. */
  const infer = (frame: SampledFrame, signature?: Float32Array): AnalysedFrame => {
    const { timestampMs } = frame;
    const thumbnail = frameThumbnail(frame.pixels, frame.width, frame.height);
    const detections = detector.detect(frame, views).then(({ detections, pixels }) => {
      if (pixels) buffers.give(pixels);
      results[frame.index] = { timestampMs, detections, thumbnail };
      onFrameDone(true);
      return detections;
    });
    return { timestampMs, signature, thumbnail, detections };
  };
  /** The frame is not analysed: it gets `source`'s detections and thumbnail (no new look was taken). */
  const reuse = (frame: SampledFrame, source: AnalysedFrame, detections: Detection[]) => {
    buffers.give(frame.pixels);
    results[frame.index] = { timestampMs: frame.timestampMs, detections, thumbnail: source.thumbnail };
    onFrameDone(false);
  };
  /** Analysed, unless nearly identical to one of `candidates` (analysed frames), whose detections it then gets. */
  const analyseOrReuse = (frame: SampledFrame, candidates: readonly (AnalysedFrame | undefined)[]): AnalysedFrame => {
    const { timestampMs } = frame;
    const signature = skip ? frameSignature(frame.pixels, frame.width, frame.height) : undefined;
    const similar = skip && signature
      ? candidates.find((candidate) => candidate?.signature && Math.abs(timestampMs - candidate.timestampMs) < skip.maxSkippedMs && changedFraction(signature, candidate.signature) <= skip.maxChangedFraction)
      : undefined;
    if (similar) {
      const detections = similar.detections.then((reused) => (reuse(frame, similar, reused), reused));
      return { ...similar, timestampMs, detections };
    }
    return infer(frame, signature);
  };
  /** An anchor: analysed, unless it is nearly identical to the last analysed anchor. */
  const analyseAnchor = (frame: SampledFrame): AnalysedFrame => {
    const analysed = analyseOrReuse(frame, [lastAnalysed]);
    // A reused anchor carries the signature of the frame it copies; only a newly analysed one is compared with from now on.
    if (analysed.signature && analysed.signature !== lastAnalysed?.signature) lastAnalysed = analysed;
    return analysed;
  };
  /** Frames strictly between two anchors: skipped where the ends agree, else bisected. */
  const settleBetween = async (first: AnalysedFrame, middle: SampledFrame[], last: AnalysedFrame): Promise<void> => {
    if (middle.length === 0) return;
    const [before, after] = await Promise.all([first.detections, last.detections]);
    if (framesAgree(before, after, agreementConfidence, agreementOverlap)) {
      for (const frame of middle) {
        const nearerFirst = frame.timestampMs - first.timestampMs <= last.timestampMs - frame.timestampMs;
        reuse(frame, nearerFirst ? first : last, nearerFirst ? before : after);
      }
      return;
    }
    const centre = Math.floor(middle.length / 2);
    const pivotFrame = middle[centre] as SampledFrame;
    const pivot = analyseOrReuse(pivotFrame, [first, last]);
    await Promise.all([pivot.detections, settleBetween(first, middle.slice(0, centre), pivot), settleBetween(pivot, middle.slice(centre + 1), last)]);
  };
  const closeWindow = (anchor: AnalysedFrame) => {
    if (lastAnchor && between.length > 0) track(settleBetween(lastAnchor, between, anchor));
    track(anchor.detections);
    lastAnchor = anchor;
    between = [];
  };
  for await (const frame of frames) {
    if (frame.index % anchorInterval === 0) closeWindow(analyseAnchor(frame));
    else between.push(frame);
    // Backpressure: ffmpeg is not read further until fewer frames are in flight.
    while (inFlight.size >= framesInFlight(detector)) await Promise.race(inFlight);
    if (failure) break;
  }
  const finalFrame = failure ? undefined : between.pop();
  if (finalFrame) closeWindow(analyseAnchor(finalFrame));
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

function workAvoidance({ skipSimilarFrames, adaptiveSampling, tracker }: AnalyzeOptions): WorkAvoidance {
  const skip = skipSimilarFrames ? { ...DEFAULT_FRAME_SKIP, ...(skipSimilarFrames === true ? {} : skipSimilarFrames) } : undefined;
  const { anchorInterval } = adaptiveSampling
    ? { ...DEFAULT_ADAPTIVE_SAMPLING, ...(adaptiveSampling === true ? {} : adaptiveSampling) }
    : { anchorInterval: 1 };
  if (!Number.isInteger(anchorInterval) || anchorInterval < 1) {
    throw invalidParameter(`adaptiveSampling.anchorInterval must be a whole number of at least 1, got ${anchorInterval}.`);
  }
  const { highConfidence, minIou, matchBuffer } = resolveTrackerOptions(tracker);
  return { skip, anchorInterval, agreementConfidence: highConfidence, agreementOverlap: { minIou, matchBuffer } };
}

/** Everything after the model, pure: frames' detections -> tracks -> scene context -> label timelines. */
export function labelTimelinesOf(frames: readonly FrameDetections[], tracker?: Partial<TrackerOptions>): LabelTimeline[] {
  const taxonomy = loadTaxonomy();
  return toLabelTimelines(discountHeldObjects(trackObjects(frames, tracker), taxonomy), taxonomy);
}

export async function analyzeVideo(videoPath: string, options: AnalyzeOptions = {}): Promise<VideoAnalysis> {
  const probed = await probeVideo(videoPath, options);
  checkVideoLimits(videoPath, probed.metadata, options.acceptedCodecs);
  const avoidance = workAvoidance(options);
  const tiling = options.tiling === undefined ? defaultTiling() : toTiling(options.tiling, 'tiling');
  const fps = options.fps ?? DEFAULT_SAMPLE_FPS;
  const detector = options.detector ?? (await createDetectorPool(options));
  try {
    const { metadata } = probed;
    const sampleIntervalMs = fps === 'all' ? 1000 / (metadata.FrameRate || 25) : 1000 / fps;
    const framesTotal = expectedFrameCount(metadata.DurationMillis, metadata.FrameRate, fps);
    let framesDone = 0;
    let framesInferred = 0;
    const { width, height } = analysisFrameSize(metadata.FrameWidth, metadata.FrameHeight, detector.manifest.input, tiling);
    const views = analysisViews(width, height, tiling);
    const buffers = new FrameBufferPool(width * height * 3);
    const frames = sampleFrames(videoPath, {
      fps,
      width,
      height,
      displayFilters: probed.displayFilters,
      ffmpegPath: options.ffmpegPath,
      signal: options.signal,
      takeBuffer: () => buffers.take(),
    });
    const frameDetections = await detectAll(frames, detector, views, buffers, avoidance, (inferred) => {
      framesDone += 1;
      if (inferred) framesInferred += 1;
      options.onProgress?.({ framesDone, framesTotal: Math.max(framesTotal, framesDone), framesInferred });
    });
    const analysedTimestampsMs = frameDetections.map((frame) => frame.timestampMs);
    assertDecodedToTheEnd(videoPath, analysedTimestampsMs, metadata.DurationMillis, sampleIntervalMs);
    return {
      videoMetadata: metadata,
      labelModelVersion: detector.manifest.labelModelVersion,
      sampleIntervalMs,
      analysedTimestampsMs,
      labels: labelTimelinesOf(frameDetections, options.tracker),
    };
  } finally {
    if (!options.detector) await detector.destroy();
  }
}
