import type { S3Object } from '@aws-sdk/client-rekognition';

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
