/** Parsing of command-line flag values, shared by every command; each error names the flag at fault. */
import path from 'node:path';
import { invalidParameter } from '../errors.js';
import { tilingFromEnvironment, toTiling, type Tiling } from '../detect/views.js';
import type { SampleRate } from '../frames/index.js';

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

/** `--tiling`, else EDGE_LABEL_DETECTION_TILING from `env`, else the default: checked at start-up, not at the first job. */
export const parseTilingFlag = (value: string | undefined, env: NodeJS.ProcessEnv): Tiling =>
  value === undefined ? tilingFromEnvironment(env.EDGE_LABEL_DETECTION_TILING) : toTiling(value, '--tiling:');
