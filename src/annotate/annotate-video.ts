/** Writing a copy of a video with a result's boxes and labels drawn on it; ffmpeg does the encoding. */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invalidParameter } from '../errors.js';
import { probeVideo, resolveBinary } from '../frames/index.js';
import { lastLine } from '../frames/probe.js';
import type { LabelResult } from '../report/label-result.js';
import { annotationFilterScript } from './filter-script.js';

export interface AnnotateOptions {
  /** TrueType font for the labels; default: the first common system font found. */
  fontFile?: string;
  ffmpegPath?: string;
  signal?: AbortSignal;
}

export interface AnnotatedVideo {
  path: string;
  /** False when no font (or no drawtext filter) was found: then only the boxes are drawn. */
  labelsDrawn: boolean;
  boxes: number;
}

/** Fonts that ship with common systems; the first that exists is used. */
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
  '/usr/share/fonts/liberation-sans/LiberationSans-Bold.ttf',
  '/Library/Fonts/Arial.ttf',
  '/System/Library/Fonts/Supplemental/Arial Bold.ttf',
  'C:/Windows/Fonts/arialbd.ttf',
];

/** A path that can stand inside the filter script's single quotes unescaped. */
const quotableInFilter = (path: string): boolean => !/['\\:]/.test(path.replace(/^[A-Za-z]:/, ''));

export const findFont = (candidates: readonly string[] = FONT_CANDIDATES): string | undefined =>
  candidates.find((path) => existsSync(path) && quotableInFilter(path));

async function hasDrawtext(ffmpegPath: string): Promise<boolean> {
  const filters = await execa(ffmpegPath, ['-hide_banner', '-filters'], { reject: false, timeout: 15_000 });
  return / drawtext /.test(String(filters.stdout));
}

export const annotateArguments = (videoPath: string, scriptPath: string, outputPath: string): string[] => [
  '-y',
  '-hide_banner',
  '-nostdin',
  '-loglevel',
  'error',
  // The script turns the picture as the display matrix says (as the analysis did), then draws.
  '-noautorotate',
  '-i',
  videoPath,
  '-filter_script:v',
  scriptPath,
  '-map',
  '0:v:0',
  '-map',
  '0:a?',
  '-c:a',
  'copy',
  // Encoder options that encoders other than libx264 ignore; veryfast encodes ~3x faster than the default.
  '-preset',
  'veryfast',
  '-crf',
  '20',
  '-pix_fmt',
  'yuv420p',
  outputPath,
];

export async function annotateVideo(videoPath: string, outputPath: string, result: LabelResult, options: AnnotateOptions = {}): Promise<AnnotatedVideo> {
  const { FrameWidth: frameWidth, FrameHeight: frameHeight } = result.videoMetadata;
  if (!frameWidth || !frameHeight) throw invalidParameter('VideoMetadata: the result has no frame size to place boxes with');
  if (options.fontFile && !existsSync(options.fontFile)) throw invalidParameter(`fontFile: no font at ${options.fontFile}`);
  const ffmpeg = resolveBinary('ffmpeg', options.ffmpegPath);
  const fontFile = (await hasDrawtext(ffmpeg.path)) ? (options.fontFile ?? findFont()) : undefined;
  const { displayFilters } = await probeVideo(videoPath, { signal: options.signal });
  const script = annotationFilterScript(result, { frameWidth, frameHeight, displayFilters, ...(fontFile ? { fontFile } : {}) });
  const directory = await mkdtemp(join(tmpdir(), 'edge-label-detection-annotate-'));
  try {
    const scriptPath = join(directory, 'filters.txt');
    await writeFile(scriptPath, script);
    const encoded = await execa(ffmpeg.path, annotateArguments(videoPath, scriptPath, outputPath), { reject: false, cancelSignal: options.signal });
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    if (encoded.exitCode !== 0) throw invalidParameter(`annotate: ffmpeg could not write ${outputPath} (${lastLine(String(encoded.stderr)) || encoded.shortMessage})`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  const boxes = result.labels.reduce((sum, label) => sum + label.occurrences.reduce((count, occurrence) => count + occurrence.instances.length, 0), 0);
  return { path: outputPath, labelsDrawn: fontFile !== undefined, boxes };
}
