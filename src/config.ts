/**
 * The one place that reads the process environment. Each variable is a deployment-wide default for
 * an option that callers can also pass directly; everything else in the library takes plain options.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { toTiling, type Tiling } from './detect/views.js';

export const ENVIRONMENT = {
  /** `tiles` or `off`: the tiling when a caller names none. */
  tiling: 'EDGE_LABEL_DETECTION_TILING',
  /** `wasm`, `cpu`, `tensorflow` or `webgpu`: the detector backend, forced. */
  backend: 'EDGE_LABEL_DETECTION_BACKEND',
  /** Faults that reliability tests inject (detect/pool.ts, distributed/queue-client.ts). */
  fault: 'EDGE_LABEL_DETECTION_FAULT',
  /** Where model weights given as URLs are downloaded to. */
  modelCache: 'EDGE_LABEL_DETECTION_CACHE',
  ffmpegPath: 'FFMPEG_PATH',
  ffprobePath: 'FFPROBE_PATH',
  /** Where the dynamic loader looks for shared libraries (CUDA), as `doctor` reports it. */
  libraryPath: 'LD_LIBRARY_PATH',
} as const;

export interface EnvironmentSettings {
  tiling?: Tiling;
  backend?: string;
  fault?: string;
  modelCacheDirectory: string;
  ffmpegPath?: string;
  ffprobePath?: string;
  libraryPath: string[];
}

const given = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** The settings `env` holds; a bad value is an InvalidParameterException naming the variable. */
export function environmentSettings(env: NodeJS.ProcessEnv = process.env): EnvironmentSettings {
  const tiling = given(env[ENVIRONMENT.tiling]);
  const backend = given(env[ENVIRONMENT.backend]);
  const fault = given(env[ENVIRONMENT.fault]);
  const ffmpegPath = given(env[ENVIRONMENT.ffmpegPath]);
  const ffprobePath = given(env[ENVIRONMENT.ffprobePath]);
  return {
    ...(tiling ? { tiling: toTiling(tiling, ENVIRONMENT.tiling) } : {}),
    ...(backend ? { backend } : {}),
    ...(fault ? { fault } : {}),
    modelCacheDirectory: given(env[ENVIRONMENT.modelCache]) ?? join(homedir(), '.cache', 'edge-label-detection', 'models'),
    ...(ffmpegPath ? { ffmpegPath } : {}),
    ...(ffprobePath ? { ffprobePath } : {}),
    libraryPath: (env[ENVIRONMENT.libraryPath] ?? '').split(':').filter(Boolean),
  };
}
