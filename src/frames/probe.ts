/** Reading a video's metadata with ffprobe, in the shape Rekognition's VideoMetadata uses. */
import type { VideoMetadata } from '@aws-sdk/client-rekognition';
import { execa } from 'execa';
import { access } from 'node:fs/promises';
import { invalidS3Object } from '../errors.js';
import { resolveBinary } from './binaries.js';

export interface ProbedVideo {
  metadata: VideoMetadata & Required<Pick<VideoMetadata, 'DurationMillis' | 'FrameRate' | 'FrameWidth' | 'FrameHeight'>>;
  /** Short container name as ffprobe reports it (e.g. `mov,mp4,m4a,3gp,3g2,mj2`, `gif`). */
  containerNames: string[];
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  color_range?: string;
  pix_fmt?: string;
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; format_long_name?: string; duration?: string; tags?: { major_brand?: string } };
}

/**
 * Rekognition reports MP4, MOV or AVI. ffprobe names the whole ISO-BMFF family one way, so the
 * file's major brand tells QuickTime (`qt  `) from MPEG-4; other containers keep ffprobe's name.
 */
export function formatName(format: FfprobeOutput['format']): string {
  const names = (format?.format_name ?? '').split(',');
  if (names.includes('avi')) return 'AVI';
  if (names.includes('mov') || names.includes('mp4')) return format?.tags?.major_brand?.trim() === 'qt' ? 'MOV' : 'MP4';
  return format?.format_long_name ?? format?.format_name ?? 'unknown';
}

const parseRate = (rate: string | undefined): number => {
  if (!rate) return 0;
  const [numerator, denominator] = rate.split('/').map(Number);
  if (!numerator || !Number.isFinite(numerator)) return 0;
  return denominator ? numerator / denominator : numerator;
};

/** FULL when the stream says so or its pixel format is full range by definition (JPEG-style YUV, RGB, palettes). */
const colorRangeOf = (stream: FfprobeStream): 'FULL' | 'LIMITED' => {
  if (stream.color_range === 'pc') return 'FULL';
  if (stream.color_range === 'tv') return 'LIMITED';
  const pixelFormat = stream.pix_fmt ?? '';
  return /^(yuvj|rgb|bgr|argb|abgr|rgba|bgra|gbr|pal8|gray|monow|monob)/.test(pixelFormat) ? 'FULL' : 'LIMITED';
};

/** Turns ffprobe's JSON into VideoMetadata; pure, so it is tested without ffprobe. */
export function toProbedVideo(output: FfprobeOutput, videoPath: string): ProbedVideo {
  const video = output.streams?.find((stream) => stream.codec_type === 'video');
  if (!video) throw invalidS3Object(`${videoPath}: the file has no video stream`);
  const width = video.width ?? 0;
  const height = video.height ?? 0;
  if (width <= 0 || height <= 0) throw invalidS3Object(`${videoPath}: the video stream has no frame size`);
  const frameRate = parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate);
  const durationSeconds = Number(video.duration ?? output.format?.duration ?? NaN);
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    throw invalidS3Object(`${videoPath}: the video has no duration (empty or damaged file)`);
  }
  return {
    metadata: {
      Codec: video.codec_name ?? 'unknown',
      DurationMillis: Math.round(durationSeconds * 1000),
      Format: formatName(output.format),
      FrameRate: frameRate,
      FrameHeight: height,
      FrameWidth: width,
      ColorRange: colorRangeOf(video),
    },
    containerNames: (output.format?.format_name ?? '').split(',').filter(Boolean),
  };
}

export async function probeVideo(videoPath: string, options: { ffprobePath?: string; signal?: AbortSignal } = {}): Promise<ProbedVideo> {
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(videoPath);
  if (!isUrl) {
    try {
      await access(videoPath);
    } catch {
      throw invalidS3Object(`${videoPath}: no such file or it cannot be read`);
    }
  }
  const ffprobe = resolveBinary('ffprobe', options.ffprobePath);
  const result = await execa(
    ffprobe.path,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', videoPath],
    { reject: false, timeout: 60_000, cancelSignal: options.signal, stripFinalNewline: true },
  );
  if (result.failed || result.exitCode !== 0) {
    // ffprobe prefixes its complaint with the path, which the message names already.
    const reason = lastLine(String(result.stderr ?? '')).replace(`${videoPath}: `, '') || result.shortMessage || 'ffprobe failed';
    throw invalidS3Object(`${videoPath}: not a readable video (${reason})`);
  }
  let parsed: FfprobeOutput;
  try {
    parsed = JSON.parse(String(result.stdout)) as FfprobeOutput;
  } catch {
    throw invalidS3Object(`${videoPath}: ffprobe returned unreadable metadata`);
  }
  return toProbedVideo(parsed, videoPath);
}

export const lastLine = (text: string): string =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1) ?? '';
