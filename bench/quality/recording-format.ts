/** The recording of detector output that the quality harness replays (see record.ts). */
import { existsSync, readFileSync } from 'node:fs';
import type { VideoMetadata } from '@aws-sdk/client-rekognition';
import type { Box, FrameThumbnail } from '../../src/types.js';

/** Bumped whenever the format or what is recorded changes, so a stale cache is remade. */
export const RECORDING_VERSION = 1;
export const RECORDING_FPS = 2;

export interface RecordedDetection {
  box: Box;
  className: string;
  score: number;
}

export interface RecordedFrame {
  timestampMs: number;
  thumbnail: { columns: number; rows: number; luma: string };
  /** 16x16 grey-level grid (frames/similarity.ts frameSignature), rounded to 0.01. */
  signature: number[];
  /** The whole frame first, then the tiles, as analysisViews orders them. */
  views: Array<{ view: Box; detections: RecordedDetection[] }>;
  /**
   * For a model with a second look (its manifest's `secondLook`): a look at every non-person box the
   * whole-frame view reports at the rule's minScore or more, on the crop the pipeline would take
   * (detect/second-look.ts cropAround), so any plan of looks can be replayed.
   */
  looks?: Array<{ box: Box; view: Box; detections: RecordedDetection[] }>;
}

export interface RecordedClip {
  video: string;
  metadata: VideoMetadata;
  /** The size frames were decoded to (tiled: short side at the model's input). */
  frameSize: { width: number; height: number };
  frames: RecordedFrame[];
}

export interface Recording {
  version: number;
  model: string;
  labelModelVersion: string;
  minScore: number;
  fps: number;
  date: string;
  backend: string;
  clips: RecordedClip[];
}

export const recordingFile = (model: string): URL => new URL(`../.cache/recording-${model}.json`, import.meta.url);

/** The recording of `model`, if there is one of the current format. */
export function readRecording(model: string): Recording | undefined {
  const file = recordingFile(model);
  if (!existsSync(file)) return undefined;
  const recording = JSON.parse(readFileSync(file, 'utf8')) as Recording;
  return recording.version === RECORDING_VERSION ? recording : undefined;
}

export const thumbnailOf = (frame: RecordedFrame): FrameThumbnail => ({
  columns: frame.thumbnail.columns,
  rows: frame.thumbnail.rows,
  luma: new Uint8Array(Buffer.from(frame.thumbnail.luma, 'base64')),
});
