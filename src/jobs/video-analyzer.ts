/** The analysis pipeline as the jobs layer sees it: a video path in, a VideoAnalysis out. */
import { stat } from 'node:fs/promises';
import type { VideoAnalysis } from '../types.js';
import type { DetectorPool } from '../detect/index.js';
import type { AnalyzeOptions } from '../pipeline.js';

export type AnalyzeVideo = (videoPath: string, options: AnalyzeOptions) => Promise<VideoAnalysis>;

/** Pipeline settings that hold for every job of one client. */
export type JobAnalyzeOptions = Omit<AnalyzeOptions, 'signal' | 'onProgress' | 'detector'>;

export interface VideoAnalyzer {
  analyze(videoPath: string, run: Pick<AnalyzeOptions, 'signal' | 'onProgress' | 'lookAtPeople'>): Promise<VideoAnalysis>;
  destroy(): Promise<void>;
}


/**
 * The real pipeline, sharing one detector pool across jobs. The pipeline is loaded and the pool
 * started with the first job, so a client that only reads results never loads the model or its
 * runtime. `analyze` replaces the pipeline (tests of the jobs layer).
 */
export function createVideoAnalyzer(options: JobAnalyzeOptions = {}, analyze?: AnalyzeVideo): VideoAnalyzer {
  // People are looked at when both the client's settings and the job's filters want it.
  const withRun = (run: Parameters<VideoAnalyzer['analyze']>[1]): AnalyzeOptions => ({ ...options, ...run, lookAtPeople: (options.lookAtPeople ?? true) && (run.lookAtPeople ?? true) });
  if (analyze) return { analyze: (videoPath, run) => analyze(videoPath, withRun(run)), destroy: async () => {} };
  let pool: Promise<DetectorPool> | undefined;
  const pipeline = () => import('../pipeline.js');
  const startPool = async (): Promise<DetectorPool> => {
    const { createDetectorPool } = await import('../detect/index.js');
    return createDetectorPool({ model: options.model, modelPath: options.modelPath, workers: options.workers, backend: options.backend });
  };
  const detectorPool = (): Promise<DetectorPool> =>
    (pool ??= startPool().catch((error: unknown) => {
      // A pool that failed to start is retried by the next job instead of failing every job after it.
      pool = undefined;
      throw error;
    }));
  return {
    analyze: async (videoPath, run) => {
      const detector = await detectorPool();
      const { analyzeVideo } = await pipeline();
      return analyzeVideo(videoPath, { ...withRun(run), detector });
    },
    destroy: async () => {
      const starting = pool;
      pool = undefined;
      const started = await starting?.catch(() => undefined);
      await started?.destroy();
    },
  };
}

/**
 * Serves a repeated analysis of an unchanged file from memory. Filters and MinConfidence apply when
 * results are read, so starting another job on the same video with other settings, common with
 * Rekognition, needs no second pass over the video. Only the `capacity` most recent are kept.
 */
export function reuseRecentAnalyses(analyzer: VideoAnalyzer, capacity = 4): VideoAnalyzer {
  const recent = new Map<string, { analysis: VideoAnalysis; lookedAtPeople: boolean }>();
  return {
    analyze: async (videoPath, run) => {
      const before = await fileIdentity(videoPath);
      const known = before === undefined ? undefined : recent.get(before);
      // An analysis that looked at people serves a job that does not need it to; not the other way round.
      const lookAtPeople = run.lookAtPeople ?? true;
      if (known && (known.lookedAtPeople || !lookAtPeople)) return known.analysis;
      const analysis = await analyzer.analyze(videoPath, run);
      // A file rewritten during the analysis may have been read half old, half new: not worth keeping.
      if (before !== undefined && before === (await fileIdentity(videoPath))) {
        recent.delete(before);
        recent.set(before, { analysis, lookedAtPeople: lookAtPeople });
        for (const oldest of recent.keys()) {
          if (recent.size <= capacity) break;
          recent.delete(oldest);
        }
      }
      return analysis;
    },
    destroy: () => analyzer.destroy(),
  };
}

/** Changes whenever the file's content may have changed; undefined when the file cannot be seen. */
async function fileIdentity(file: string): Promise<string | undefined> {
  try {
    const { dev, ino, size, mtimeNs, ctimeNs } = await stat(file, { bigint: true });
    return [file, dev, ino, size, mtimeNs, ctimeNs].join(':');
  } catch {
    return undefined;
  }
}
