import type { S3Object } from '@aws-sdk/client-rekognition';
import { videoTooLarge } from '../errors.js';

/** A video made readable as a local file for the duration of one job. */
export interface LocalVideo {
  path: string;
  /** Frees whatever `open` set up (a downloaded copy, a handle); a no-op for files that already were local. */
  release(): Promise<void>;
}

/**
 * Where `Video.S3Object` points. The local directory source is the default; an S3-backed source
 * implements the same two steps (a cheap check at start, a local copy while the job runs).
 */
export interface VideoSource {
  /** Fails at StartLabelDetection time, with a Rekognition error, when the object cannot be analysed. */
  check(s3Object: S3Object): Promise<void>;
  open(s3Object: S3Object): Promise<LocalVideo>;
}

/** Rekognition Video analyses stored videos up to 10 GB. */
export const MAX_VIDEO_BYTES = 10 * 1024 ** 3;

/** Refuses an object larger than Rekognition accepts, with its message shape. */
export function checkVideoSize(object: string, sizeBytes: number): void {
  if (sizeBytes > MAX_VIDEO_BYTES) {
    throw videoTooLarge(`${object}: Video size in bytes: ${sizeBytes} is more than the maximum limit of: ${MAX_VIDEO_BYTES} bytes`);
  }
}

/** How messages name an object: the S3 URI the caller gave, with its version when it named one. */
export const objectUri = ({ Bucket, Name, Version }: S3Object): string =>
  `s3://${Bucket ?? ''}/${Name ?? ''}${Version === undefined ? '' : ` (version ${Version})`}`;
