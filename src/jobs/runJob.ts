import type { S3Object } from '@aws-sdk/client-rekognition';
import type { VideoSource } from '../source/index.js';
import { failJob, succeedJob, type JobRecord } from './jobRecord.js';
import type { JobStore } from './jobStore.js';
import type { VideoAnalyzer } from './videoAnalyzer.js';

export interface JobProgress {
  JobId: string;
  framesDone: number;
  framesTotal: number;
}

export interface JobRunContext {
  store: JobStore;
  source: VideoSource;
  analyzer: VideoAnalyzer;
  onProgress: (progress: JobProgress) => void;
  onEnded: (job: JobRecord) => void;
  now: () => number;
}

/**
 * Takes one IN_PROGRESS job to SUCCEEDED or FAILED. Whatever goes wrong, including an abort before
 * the job even started, ends in FAILED with the error's message; only a failure to store that end
 * escapes.
 */
export async function runJob(job: JobRecord, context: JobRunContext, signal: AbortSignal): Promise<void> {
  let ended: JobRecord;
  try {
    signal.throwIfAborted();
    const video = await context.source.open(job.request.Video?.S3Object as S3Object);
    try {
      signal.throwIfAborted();
      const analysis = await context.analyzer.analyze(video.path, {
        signal,
        onProgress: ({ framesDone, framesTotal }) => context.onProgress({ JobId: job.JobId, framesDone, framesTotal }),
      });
      ended = succeedJob(job, analysis, context.now());
    } finally {
      await video.release();
    }
  } catch (error) {
    ended = failJob(job, statusMessageOf(signal.aborted ? signal.reason : error), context.now());
  }
  await context.store.put(ended);
  context.onEnded(ended);
}

const statusMessageOf = (error: unknown): string => (error instanceof Error && error.message ? error.message : String(error));
