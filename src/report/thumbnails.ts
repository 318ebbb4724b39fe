/** Grabbing single frames of a video as small JPEGs with ffmpeg, for the report's pictures. */
import { execa } from 'execa';
import { invalidS3Object } from '../errors.js';
import { probeVideo, resolveBinary } from '../frames/index.js';
import { lastLine } from '../frames/probe.js';
import type { Thumbnail } from './render-html.js';

export interface ThumbnailOptions {
  /** Width of every thumbnail; the height follows the frame's aspect ratio. */
  width?: number;
  ffmpegPath?: string;
  signal?: AbortSignal;
}

export const DEFAULT_THUMBNAIL_WIDTH = 480;

/** Even sizes: the JPEG encoder's chroma subsampling wants them, and the box overlay must match exactly. */
export const thumbnailSize = (frameWidth: number, frameHeight: number, width = DEFAULT_THUMBNAIL_WIDTH): { width: number; height: number } => {
  const evenWidth = Math.max(2, Math.round(width / 2) * 2);
  return { width: evenWidth, height: Math.max(2, Math.round((evenWidth * frameHeight) / frameWidth / 2) * 2) };
};

export const thumbnailArguments = (videoPath: string, timestampMs: number, size: { width: number; height: number }, displayFilters: readonly string[] = []): string[] => [
  '-hide_banner',
  '-nostdin',
  '-loglevel',
  'error',
  // Half a millisecond early: result timestamps are rounded, and seeking past the frame's own
  // presentation time would show the next frame instead.
  '-ss',
  (Math.max(0, timestampMs - 0.5) / 1000).toFixed(4),
  // Turned as the display matrix says, as the analysis did, so boxes land where they were found.
  '-noautorotate',
  '-i',
  videoPath,
  '-frames:v',
  '1',
  '-vf',
  [...displayFilters, `scale=${size.width}:${size.height}`].join(','),
  '-q:v',
  '3',
  '-f',
  'image2',
  '-c:v',
  'mjpeg',
  'pipe:1',
];

export async function extractThumbnails(
  videoPath: string,
  timestampsMs: readonly number[],
  frame: { width: number; height: number },
  options: ThumbnailOptions = {},
): Promise<Thumbnail[]> {
  const ffmpeg = resolveBinary('ffmpeg', options.ffmpegPath);
  const size = thumbnailSize(frame.width, frame.height, options.width);
  const { displayFilters } = await probeVideo(videoPath, { signal: options.signal });
  const thumbnails: Thumbnail[] = [];
  for (const timestampMs of timestampsMs) {
    const result = await execa(ffmpeg.path, thumbnailArguments(videoPath, timestampMs, size, displayFilters), {
      encoding: 'buffer',
      reject: false,
      timeout: 60_000,
      cancelSignal: options.signal,
    });
    const jpeg = result.stdout as Uint8Array;
    if (result.failed || jpeg.length === 0) {
      throw invalidS3Object(`${videoPath}: cannot extract the frame at ${timestampMs} ms (${lastLine(Buffer.from(result.stderr as Uint8Array).toString()) || result.shortMessage})`);
    }
    thumbnails.push({ timestampMs, jpeg, ...size });
  }
  return thumbnails;
}
