/** Reading a video's metadata with ffprobe, in the shape Rekognition's VideoMetadata uses. */
import type { VideoMetadata } from '@aws-sdk/client-rekognition';
import { execa } from 'execa';
import { access } from 'node:fs/promises';
import { invalidS3Object } from '../errors.js';
import { resolveBinary } from './binaries.js';

export interface ProbedVideo {
  /** FrameWidth and FrameHeight are those of the displayed picture, after the display matrix (see {@link displayFilters}). */
  metadata: VideoMetadata & Required<Pick<VideoMetadata, 'DurationMillis' | 'FrameRate' | 'FrameWidth' | 'FrameHeight'>>;
  /** Short container name as ffprobe reports it (e.g. `mov,mp4,m4a,3gp,3g2,mj2`, `gif`). */
  containerNames: string[];
  /**
   * ffmpeg filters that turn a decoded picture into the displayed one (empty when the video has no
   * rotation or flip), to be run with ffmpeg's own autorotation off (`-noautorotate`).
   */
  displayFilters: string[];
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
  side_data_list?: Array<{ side_data_type?: string; displaymatrix?: string; rotation?: number }>;
  tags?: { rotate?: string };
}

interface FfprobePacket {
  pts_time?: string;
  size?: string;
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  /** The video stream's first packets (see {@link PACKET_WINDOW_SECONDS}). */
  packets?: FfprobePacket[];
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

/**
 * The display matrix as ffmpeg reads it (9 numbers, row by row, 16.16 fixed point for the first
 * two columns): a displayed pixel is at x' = m[0]·x + m[3]·y, y' = m[1]·x + m[4]·y (plus an offset)
 * of the decoded pixel (x, y). From ffprobe's side data, or, for an ffprobe that prints only the
 * legacy `rotate` tag (degrees clockwise), the matrix that tag stands for.
 */
export function displayMatrixOf(stream: FfprobeStream): number[] | undefined {
  const printed = stream.side_data_list?.find((entry) => entry.side_data_type === 'Display Matrix')?.displaymatrix;
  if (printed) {
    // Rows look like "00000001:        65536           0           0"; the leading index is not a value.
    const values = printed
      .split('\n')
      .map((row) => row.replace(/^\s*[0-9a-f]+:/i, '').trim())
      .filter(Boolean)
      .flatMap((row) => row.split(/\s+/).map(Number));
    if (values.length === 9 && values.every(Number.isFinite)) return values;
  }
  const clockwise = Number(stream.tags?.rotate);
  if (!Number.isFinite(clockwise) || clockwise % 90 !== 0) return undefined;
  const radians = (-clockwise * Math.PI) / 180;
  const [cos, sin] = [Math.round(Math.cos(radians)), Math.round(Math.sin(radians))];
  return [cos * 65536, -sin * 65536, 0, sin * 65536, cos * 65536, 0, 0, 0, 1 << 30];
}

/**
 * The filters that show a decoded picture as the display matrix says (rotations by quarter turns
 * and mirror images, the eight ways a picture can sit on its grid), and whether they swap width
 * and height. Any other matrix (a free angle, a scale) is left alone: no phone writes one.
 */
export function displayTransform(matrix: readonly number[] | undefined): { filters: string[]; swapsAxes: boolean } {
  if (!matrix) return { filters: [], swapsAxes: false };
  const sign = (value: number | undefined) => Math.sign(Math.round((value ?? 0) / 65536));
  // x' = a·x + c·y, y' = b·x + d·y, with y pointing down the picture.
  const [a, b, c, d] = [sign(matrix[0]), sign(matrix[1]), sign(matrix[3]), sign(matrix[4])];
  if (a !== 0 && d !== 0 && b === 0 && c === 0) {
    return { filters: [...(a < 0 ? ['hflip'] : []), ...(d < 0 ? ['vflip'] : [])], swapsAxes: false };
  }
  if (a === 0 && d === 0 && b !== 0 && c !== 0) {
    // ffmpeg's transpose directions: cclock_flip x'=y y'=x; clock x'=-y y'=x; cclock x'=y y'=-x; clock_flip x'=-y y'=-x.
    const direction = c > 0 ? (b > 0 ? 'cclock_flip' : 'cclock') : b > 0 ? 'clock' : 'clock_flip';
    return { filters: [`transpose=${direction}`], swapsAxes: true };
  }
  return { filters: [], swapsAxes: false };
}

/** Seconds of the video stream whose packets are read to measure its frame rate. */
export const PACKET_WINDOW_SECONDS = 10;

/**
 * Frames per second from the packets' own presentation times: (frames − 1) / (last − first) over
 * the packets that carry a picture. Undefined with fewer than three pictures.
 */
export function measuredFrameRate(packets: readonly FfprobePacket[] | undefined): number | undefined {
  const times = [...new Set((packets ?? []).filter((packet) => Number(packet.size) > 0).map((packet) => Number(packet.pts_time)).filter(Number.isFinite))].sort((x, y) => x - y);
  const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
  return times.length >= 3 && span > 0 ? (times.length - 1) / span : undefined;
}

/** A container's declared rate further than this (relative) from the measured one is not believed. */
export const FRAME_RATE_TOLERANCE = 0.05;

/**
 * The container's declared rate (its average, else the stream's base rate) while it agrees with
 * the measured timing of the frames, else the measured rate: an AVI can declare 50 frames/s for a
 * stream that holds 25, padding the rest with empty chunks.
 */
export function frameRateOf(stream: FfprobeStream, packets: readonly FfprobePacket[] | undefined): number {
  const declared = parseRate(stream.avg_frame_rate) || parseRate(stream.r_frame_rate);
  const measured = measuredFrameRate(packets);
  if (measured === undefined) return declared;
  return declared > 0 && Math.abs(declared - measured) <= FRAME_RATE_TOLERANCE * measured ? declared : Math.round(measured * 1000) / 1000;
}

/** Turns ffprobe's JSON into VideoMetadata; pure, so it is tested without ffprobe. */
export function toProbedVideo(output: FfprobeOutput, videoPath: string): ProbedVideo {
  const video = output.streams?.find((stream) => stream.codec_type === 'video');
  if (!video) throw invalidS3Object(`${videoPath}: the file has no video stream`);
  const width = video.width ?? 0;
  const height = video.height ?? 0;
  if (width <= 0 || height <= 0) throw invalidS3Object(`${videoPath}: the video stream has no frame size`);
  const frameRate = frameRateOf(video, output.packets);
  const { filters: displayFilters, swapsAxes } = displayTransform(displayMatrixOf(video));
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
      FrameHeight: swapsAxes ? width : height,
      FrameWidth: swapsAxes ? height : width,
      ColorRange: colorRangeOf(video),
    },
    containerNames: (output.format?.format_name ?? '').split(',').filter(Boolean),
    displayFilters,
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
    [
      ...['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-select_streams', 'v:0'],
      ...['-show_entries', 'packet=pts_time,size', '-read_intervals', `%+${PACKET_WINDOW_SECONDS}`, videoPath],
    ],
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
