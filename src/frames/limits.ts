/** What the decoder is allowed to read, and whether it read a video to its end. */
import { invalidS3Object, videoTooLarge } from '../errors.js';
import type { ProbedVideo } from './probe.js';

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

/**
 * A decoder that stops well before the declared duration met a damaged or truncated file, even
 * when ffmpeg itself exits cleanly.
 */
export function assertDecodedToTheEnd(videoPath: string, timestampsMs: readonly number[], durationMs: number, sampleIntervalMs: number): void {
  const last = timestampsMs.at(-1);
  if (last === undefined) throw invalidS3Object(`${videoPath}: no video frame could be decoded`);
  const tolerance = Math.max(1000, 2 * sampleIntervalMs);
  if (last + tolerance < durationMs) {
    throw invalidS3Object(`${videoPath}: decoding stopped at ${last} ms of a declared ${durationMs} ms (truncated or damaged file)`);
  }
}
