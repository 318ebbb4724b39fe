/**
 * The flag table: every flag any command takes, declared once (its parseArgs type, its help line),
 * and the parsing of values, where each error names the flag at fault. Commands pick the flags they
 * take from here; the flags that set up an analysis are parsed into AnalyzeOptions in one place.
 */
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { environmentSettings } from '../config.js';
import { toBackendName } from '../detect/backend.js';
import { AVAILABLE_MODELS, DEFAULT_MODEL, loadModelManifest } from '../detect/manifest.js';
import { DEFAULT_TILING, toTiling } from '../detect/views.js';
import { DEFAULT_QUEUE_NAME } from '../distributed/redis-connection.js';
import { invalidParameter } from '../errors.js';
import { DEFAULT_SAMPLE_FPS, type SampleRate } from '../frames/index.js';
import { resolveScheduleOptions } from '../schedule/index.js';
import type { JobAnalyzeOptions } from '../jobs/video-analyzer.js';

/** Jobs and results of `serve`, and what `report <JobId>` reads, unless --data-dir says otherwise. */
export const DEFAULT_DATA_DIR = './.edge-label-detection';

const FLAGS = {
  fps: { declaration: { type: 'string' }, usage: '--fps <N|all>', help: 'frames analysed per second (default 2; "all" = every frame)' },
  model: { declaration: { type: 'string' }, usage: '--model <name>', help: `${DEFAULT_MODEL} (default, offline), yolov5s (surer labels, about 3x the time; weights: bench/fetch-yolov5s.sh) or coco-ssd` },
  'model-path': { declaration: { type: 'string' }, usage: '--model-path <dir|url>', help: 'weights for models that do not ship them (yolov5s, coco-ssd)' },
  workers: { declaration: { type: 'string' }, usage: '--workers <N>', help: 'detector threads (default: CPU cores)' },
  tiling: {
    declaration: { type: 'string' },
    usage: '--tiling <tiles|off>',
    help: `tiles: the model also looks at square tiles and finds small objects, one inference per view; off: the whole frame only, with a second look at what it reports for models that have one (yolov5s). Default: EDGE_LABEL_DETECTION_TILING, else the model's own (${AVAILABLE_MODELS.map((name) => `${name} ${loadModelManifest(name).defaultTiling ?? DEFAULT_TILING}`).join(', ')})`,
  },
  backend: {
    declaration: { type: 'string' },
    usage: '--backend <name>',
    help: 'force tensorflow, webgpu (any adapter, software too), wasm or cpu (default: EDGE_LABEL_DETECTION_BACKEND, else the fastest that starts)',
  },
  'analyze-every-frame': {
    declaration: { type: 'boolean', default: false },
    usage: '--analyze-every-frame',
    help: 'send every sampled frame to the model (default: similar frames and frames between agreeing anchors reuse detections)',
  },
  'objects-only': {
    declaration: { type: 'boolean', default: false },
    usage: '--objects-only',
    help: 'object labels only: no pose or face model runs (no Face, Head, Hand, Sitting, Standing; Walking, People from tracks stay)',
  },
  bucket: { declaration: { type: 'string', multiple: true, default: [] as string[] }, usage: '--bucket <name>=<dir>', help: 'bucket <name> is this local directory (repeatable)' },
  'allow-any-video-format': { declaration: { type: 'boolean', default: false }, usage: '--allow-any-video-format', help: 'accept videos other than MP4, MOV and AVI (e.g. GIF)' },
  queue: { declaration: { type: 'string' }, usage: '--queue <redis://HOST:PORT>', help: 'the Redis holding the queue, job records and results' },
  'queue-name': { declaration: { type: 'string' }, usage: '--queue-name <name>', help: `queue within that Redis (default ${DEFAULT_QUEUE_NAME})` },
  'sns-endpoint': { declaration: { type: 'string' }, usage: '--sns-endpoint <url>', help: 'publish NotificationChannel completion messages to this SNS endpoint' },
  'data-dir': { declaration: { type: 'string', default: DEFAULT_DATA_DIR }, usage: '--data-dir <dir>', help: `jobs and results, kept across restarts (default ${DEFAULT_DATA_DIR})` },
  json: { declaration: { type: 'boolean', default: false }, usage: '--json', help: 'print the result as JSON' },
  help: { declaration: { type: 'boolean', default: false }, usage: '--help', help: 'this help' },
} as const;

export type FlagName = keyof typeof FLAGS;
type Declarations<N extends FlagName> = { [K in N]: (typeof FLAGS)[K]['declaration'] };

/** The parseArgs options of `names`, for a command's own parseArgs call. */
export function flagDeclarations<const N extends FlagName>(names: readonly N[]): Declarations<N> {
  return Object.fromEntries(names.map((name) => [name, FLAGS[name].declaration])) as Declarations<N>;
}

/** Help lines, aligned: the command's own flags (usage, help) and those of the table it takes. */
export function flagHelp(entries: ReadonlyArray<FlagName | readonly [usage: string, help: string]>): string {
  const rows = entries.map((entry) => (typeof entry === 'string' ? [FLAGS[entry].usage, FLAGS[entry].help] : entry));
  const width = Math.max(...rows.map(([usage]) => usage.length)) + 2;
  return rows.map(([usage, help]) => `  ${usage.padEnd(width)}${help}`).join('\n');
}

/**
 * node:util parseArgs for a command, with its refusals (an unknown flag, a value for a switch, a
 * flag without its value) as InvalidParameterException, whose message names the flag.
 */
export function parseCommandLine<const T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS_')) throw invalidParameter(`${(error as Error).message.split('\n')[0]} (see --help)`);
    throw error;
  }
}

/** The flags that set up an analysis, the same for detect, serve and worker. */
export const ANALYSIS_FLAGS = ['fps', 'model', 'model-path', 'workers', 'tiling', 'backend', 'analyze-every-frame', 'objects-only'] as const;

type AnalysisValues = { [K in Exclude<(typeof ANALYSIS_FLAGS)[number], 'analyze-every-frame' | 'objects-only'>]?: string } & { 'analyze-every-frame'?: boolean; 'objects-only'?: boolean };

/** --fps, --model, --model-path, --workers, --tiling (else EDGE_LABEL_DETECTION_TILING, else left to the model's manifest), checked at start-up. */
export function analyzeOptionsFrom(values: AnalysisValues, env: NodeJS.ProcessEnv): JobAnalyzeOptions {
  const tiling = values.tiling === undefined ? environmentSettings(env).tiling : toTiling(values.tiling, '--tiling:');
  const workers = parseIntegerFlag('--workers', values.workers, 1);
  const fps = parseFpsFlag(values.fps);
  return {
    ...(fps === undefined ? {} : { fps }),
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(values['model-path'] === undefined ? {} : { modelPath: values['model-path'] }),
    ...(workers === undefined ? {} : { workers }),
    ...(tiling === undefined ? {} : { tiling }),
    ...(values.backend === undefined ? {} : { backend: toBackendName(values.backend, '--backend') }),
    ...(values['analyze-every-frame'] ? { analyzeEveryFrame: true } : {}),
    ...(values['objects-only'] ? { lookAtPeople: false } : {}),
  };
}

/** What an analysis with these options does, in one line, for the start-up output of detect, serve and worker. */
export function describeAnalysis(options: JobAnalyzeOptions): string {
  const { skipSimilarFrames, anchorInterval } = resolveScheduleOptions(options);
  const avoidance =
    skipSimilarFrames || anchorInterval > 1
      ? `work avoidance on (${[skipSimilarFrames ? 'similar frames reuse detections' : '', anchorInterval > 1 ? `anchors every ${anchorInterval} sampled frames, bisected where they disagree` : ''].filter(Boolean).join('; ')}; --analyze-every-frame turns it off)`
      : 'every sampled frame analysed';
  const people = options.lookAtPeople === false ? 'objects only (--objects-only)' : 'people looked at (pose, face, hands)';
  return `analysis: ${options.fps ?? DEFAULT_SAMPLE_FPS} frames/s, tiling ${options.tiling ?? loadModelManifest(options.model ?? DEFAULT_MODEL).defaultTiling ?? DEFAULT_TILING}, ${avoidance}, ${people}`;
}

/** `--bucket NAME=DIR`, repeatable, into bucket name -> absolute directory. */
export function parseBucketFlags(flags: string[]): Record<string, string> {
  const buckets: Record<string, string> = {};
  for (const flag of flags) {
    const equals = flag.indexOf('=');
    const name = flag.slice(0, equals);
    const directory = flag.slice(equals + 1);
    if (equals < 1 || directory === '') throw invalidParameter(`--bucket: expected <name>=<directory>, got "${flag}"`);
    if (Object.hasOwn(buckets, name)) throw invalidParameter(`--bucket: bucket ${name} is given twice`);
    buckets[name] = path.resolve(directory);
  }
  return buckets;
}

export function parseIntegerFlag(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number < min || number > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw invalidParameter(`${flag}: must be an integer ${range}, got "${value}"`);
  }
  return number;
}

export function parseNumberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw invalidParameter(`${flag}: must be a number, got "${value}"`);
  return number;
}

export function parseSecondsFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) throw invalidParameter(`${flag}: must be a number of seconds above 0, got "${value}"`);
  return seconds;
}

export function parseFpsFlag(value: string | undefined): SampleRate | undefined {
  if (value === undefined || value === 'all') return value;
  const fps = Number(value);
  if (value.trim() === '' || !Number.isFinite(fps) || fps <= 0) throw invalidParameter(`--fps: must be a number above 0 or "all", got "${value}"`);
  return fps;
}

export function parseHttpUrlFlag(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw invalidParameter(`${flag}: must be an http(s) URL, got "${value}"`);
  return value;
}
