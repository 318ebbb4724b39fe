/**
 * Decoding, sampling and resizing happen inside ffmpeg; this module only reads its output: a stream
 * of raw RGB24 frames on stdout, and on stderr one `showinfo` line per frame carrying the frame's
 * presentation time. Frames are pulled one at a time, so a slow consumer pauses ffmpeg through the
 * pipe and memory stays bounded whatever the video's length.
 */
import { execa } from 'execa';
import { createInterface } from 'node:readline';
import { internalServerError, invalidS3Object } from '../errors.js';
import type { SampledFrame } from '../types.js';
import { resolveBinary } from './binaries.js';

/** Default sampling rate in frames per second: fine enough for label presence, cheap enough for CPUs. */
export const DEFAULT_SAMPLE_FPS = 2;

export type SampleRate = number | 'all';

export interface SampleFramesOptions {
  /** Frames per second to analyse, or `'all'` for every decoded frame. */
  fps?: SampleRate;
  /** Size every frame is resized to (the model's input size), in the displayed picture's orientation. */
  width: number;
  height: number;
  /** Filters that turn a decoded picture into the displayed one (ProbedVideo.displayFilters); default none. */
  displayFilters?: readonly string[];
  ffmpegPath?: string;
  signal?: AbortSignal;
  /** Supplies the buffer each frame is read into (default: a new one per frame). */
  takeBuffer?: () => Uint8Array;
}

/**
 * Keeps the first frame of every 1/fps-long slot of the timeline. Unlike ffmpeg's `fps` filter it
 * never duplicates or retimes frames, so the timestamps are the stream's own presentation times.
 */
export const sampleFilter = (fps: SampleRate): string =>
  fps === 'all' ? '' : `select='isnan(prev_selected_t)+gte(floor(t*${fps})-floor(prev_selected_t*${fps}),1)',`;

export const ffmpegSampleArguments = (videoPath: string, options: SampleFramesOptions): string[] => [
  '-hide_banner',
  '-nostdin',
  '-nostats',
  '-loglevel',
  'info',
  // Rotation and flips are applied by the display filters below, the same with every ffmpeg version.
  '-noautorotate',
  '-i',
  videoPath,
  '-an',
  '-sn',
  '-vf',
  `${sampleFilter(options.fps ?? DEFAULT_SAMPLE_FPS)}${(options.displayFilters ?? []).map((filter) => `${filter},`).join('')}scale=${options.width}:${options.height}:flags=bilinear,showinfo`,
  '-vsync',
  'passthrough',
  '-pix_fmt',
  'rgb24',
  '-f',
  'rawvideo',
  'pipe:1',
];

/**
 * The line of ffmpeg's stderr that says what went wrong, as `component: message`: a demuxer's or
 * decoder's own message (`[h264 @ 0x...] no frame!`), or ffmpeg's about the input (`Error while
 * decoding ...`, `<file>: No such file or directory`). Stream listings and ffmpeg's closing words
 * (`Error marking filters as finished`, `Conversion failed!`) name nothing, so they are no complaints.
 */
export function ffmpegComplaint(line: string, videoPath: string): string | undefined {
  const component = /^\[(.+?) @ 0x[0-9a-f]+\] (.+)$/.exec(line);
  if (component) return component[1]?.includes('showinfo') ? undefined : `${component[1]}: ${component[2]}`;
  return line.startsWith('Error while ') || line.startsWith(`${videoPath}: `) ? line : undefined;
}

/**
 * The demuxer's word that a sample the file's index lists lies past the end of the file: data is
 * missing even when the frames before it decode and ffmpeg exits 0.
 */
const truncationMessage = /: partial file$/;

const showinfoFrame = /\bn:\s*\d+\s+pts:\s*-?\d+\s+pts_time:(-?[0-9.]+(?:e[-+]?\d+)?)/;

/** Parses one ffmpeg stderr line; returns the frame's presentation time in ms when it is a showinfo frame line. */
export function presentationTimeMs(line: string): number | undefined {
  const match = showinfoFrame.exec(line);
  if (!match?.[1]) return undefined;
  return Math.max(0, Math.round(Number(match[1]) * 1000));
}

/** An unbounded FIFO of timestamps whose reader can wait for the next one to arrive. */
class TimestampQueue {
  private readonly values: number[] = [];
  private waiter: ((value: number | undefined) => void) | undefined;
  private closed = false;

  push(value: number): void {
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = undefined;
      resolve(value);
    } else this.values.push(value);
  }

  close(): void {
    this.closed = true;
    this.waiter?.(undefined);
    this.waiter = undefined;
  }

  next(): Promise<number | undefined> {
    if (this.values.length > 0) return Promise.resolve(this.values.shift());
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => (this.waiter = resolve));
  }
}

/** Streams the sampled frames of a video in presentation order. */
export async function* sampleFrames(videoPath: string, options: SampleFramesOptions): AsyncGenerator<SampledFrame> {
  const ffmpeg = resolveBinary('ffmpeg', options.ffmpegPath);
  const frameBytes = options.width * options.height * 3;
  const subprocess = execa(ffmpeg.path, ffmpegSampleArguments(videoPath, options), {
    buffer: false,
    reject: false,
    stdin: 'ignore',
    cancelSignal: options.signal,
  });
  const timestamps = new TimestampQueue();
  let lastComplaint: string | undefined;
  let truncation: string | undefined;
  const stderrLines = createInterface({ input: subprocess.stderr });
  stderrLines.on('line', (line) => {
    const timestampMs = presentationTimeMs(line);
    const complaint = timestampMs === undefined ? ffmpegComplaint(line.trim(), videoPath) : undefined;
    if (timestampMs !== undefined) timestamps.push(timestampMs);
    else if (complaint !== undefined) {
      lastComplaint = complaint;
      if (truncationMessage.test(complaint)) truncation ??= complaint;
    }
  });
  stderrLines.on('close', () => timestamps.close());

  const takeBuffer = options.takeBuffer ?? (() => new Uint8Array(frameBytes));
  let index = 0;
  let pending = takeBuffer();
  let filled = 0;
  try {
    for await (const chunk of subprocess.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const copied = Math.min(frameBytes - filled, chunk.length - offset);
        pending.set(chunk.subarray(offset, offset + copied), filled);
        filled += copied;
        offset += copied;
        if (filled === frameBytes) {
          const timestampMs = await timestamps.next();
          if (timestampMs === undefined) throw new Error('ffmpeg produced a frame without a timestamp');
          yield { index, timestampMs, width: options.width, height: options.height, pixels: pending };
          index += 1;
          pending = takeBuffer();
          filled = 0;
        }
      }
    }
    const result = await subprocess;
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    if (result.signal) throw internalServerError(`${videoPath}: decoding stopped: ffmpeg was killed by ${result.signal}`);
    if (truncation) throw invalidS3Object(`${videoPath}: the file is shorter than its index says, truncated or damaged (${truncation})`);
    if (result.exitCode !== 0) {
      const reason = lastComplaint ?? result.shortMessage;
      throw invalidS3Object(`${videoPath}: decoding failed (${reason})`);
    }
  } finally {
    if (subprocess.exitCode === null && !subprocess.killed) subprocess.kill('SIGKILL');
    stderrLines.close();
    await subprocess.catch(() => undefined);
  }
}

/** Rough number of frames the sampler will produce, for progress reporting. */
export function expectedFrameCount(durationMs: number, sourceFrameRate: number, fps: SampleRate): number {
  const rate = fps === 'all' ? sourceFrameRate : Math.min(fps, sourceFrameRate || fps);
  return Math.max(1, Math.round((durationMs / 1000) * rate));
}
