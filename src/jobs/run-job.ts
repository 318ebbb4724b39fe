import type { S3Object } from '@aws-sdk/client-rekognition';
import { objectUri } from '../source/video-source.js';
import type { VideoSource } from '../source/index.js';
import { failJob, succeedJob, type JobRecord } from './job-record.js';
import type { JobStore } from './job-store.js';
import type { VideoAnalyzer } from './video-analyzer.js';
import { LABELS_NEEDING_PEOPLE_MODELS } from '../people/index.js';
import { filtersPassAnyOf } from '../response/select-labels.js';
import { labelInfo, loadTaxonomy } from '../taxonomy/index.js';
import type { LabelInfo } from '../types.js';

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
  const ended = await analyzeJob(job, context, signal);
  await context.store.put(ended);
  context.onEnded(ended);
}

/**
 * The end of one IN_PROGRESS job, SUCCEEDED or FAILED, without storing it: a caller that shares the
 * job with other processes decides whether and how that end is recorded.
 */
export async function analyzeJob(job: JobRecord, context: Pick<JobRunContext, 'source' | 'analyzer' | 'onProgress' | 'now'>, signal: AbortSignal): Promise<JobRecord> {
  const s3Object = job.request.Video?.S3Object as S3Object;
  let localPath: string | undefined;
  try {
    signal.throwIfAborted();
    const video = await context.source.open(s3Object);
    localPath = video.path;
    try {
      signal.throwIfAborted();
      const analysis = await context.analyzer.analyze(video.path, {
        signal,
        // A job whose filters let none of the labels that rest on them through runs no pose or face model.
        lookAtPeople: filtersPassAnyOf(labelsNeedingPeopleModels(), job.request.Settings?.GeneralLabels),
        onProgress: ({ framesDone, framesTotal }) => context.onProgress({ JobId: job.JobId, framesDone, framesTotal }),
      });
      return succeedJob(job, analysis, context.now());
    } finally {
      await video.release();
    }
  } catch (error) {
    // The pipeline names the file it read; the caller named an S3 object, and the server's own
    // paths (or a downloaded copy's temporary name) are none of its business.
    const message = statusMessageOf(signal.aborted ? signal.reason : error);
    return failJob(job, localPath === undefined ? message : message.replaceAll(localPath, objectUri(s3Object)), context.now());
  }
}

const labelsNeedingPeopleModels = (): LabelInfo[] => {
  const taxonomy = loadTaxonomy();
  return LABELS_NEEDING_PEOPLE_MODELS.map((name) => labelInfo(taxonomy, name));
};

const statusMessageOf = (error: unknown): string => (error instanceof Error && error.message ? error.message : String(error));
