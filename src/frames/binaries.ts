/**
 * Finding ffmpeg and ffprobe. Order: explicit option, FFMPEG_PATH / FFPROBE_PATH, ffmpeg-static
 * (ffmpeg only) when the user installed it, the binaries shipped inside @ffmpeg-installer/ffmpeg and
 * @ffprobe-installer/ffprobe, then whatever `ffmpeg` / `ffprobe` is on PATH.
 */
import { accessSync, chmodSync, constants, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { environmentSettings } from '../config.js';

const require = createRequire(import.meta.url);

export type BinaryName = 'ffmpeg' | 'ffprobe';

export interface ResolvedBinary {
  path: string;
  /** Where the path came from, for `doctor` and error messages. */
  source: 'option' | 'environment' | 'ffmpeg-static' | '@ffmpeg-installer' | '@ffprobe-installer' | 'PATH';
}

const environmentSetting = { ffmpeg: 'ffmpegPath', ffprobe: 'ffprobePath' } as const;

function packagedBinary(name: BinaryName): ResolvedBinary | undefined {
  const candidates: Array<[ResolvedBinary['source'], string]> =
    name === 'ffmpeg'
      ? [
          ['ffmpeg-static', 'ffmpeg-static'],
          ['@ffmpeg-installer', '@ffmpeg-installer/ffmpeg'],
        ]
      : [['@ffprobe-installer', '@ffprobe-installer/ffprobe']];
  for (const [source, packageName] of candidates) {
    let exported: unknown;
    try {
      exported = require(packageName);
    } catch {
      continue;
    }
    const path = typeof exported === 'string' ? exported : (exported as { path?: unknown })?.path;
    if (typeof path === 'string' && existsSync(path) && ensureExecutable(path)) return { path, source };
  }
  return undefined;
}

/**
 * npm 11 skips dependencies' install scripts unless the project allows them, and the installer
 * packages use one to mark their binary executable. Mark it ourselves when we may.
 */
function ensureExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    try {
      chmodSync(path, statSync(path).mode | 0o111);
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }
}

export function resolveBinary(name: BinaryName, explicitPath?: string): ResolvedBinary {
  if (explicitPath) return { path: explicitPath, source: 'option' };
  const fromEnvironment = environmentSettings()[environmentSetting[name]];
  if (fromEnvironment) return { path: fromEnvironment, source: 'environment' };
  return packagedBinary(name) ?? { path: name, source: 'PATH' };
}
