import type { StartLabelDetectionRequest, VideoJobStatus } from '@aws-sdk/client-rekognition';
import { randomBytes } from 'node:crypto';
import { internalServerError } from '../errors.js';
import type { VideoAnalysis } from '../types.js';

/** Everything kept about one label detection job; plain JSON so any store can persist it. */
export interface JobRecord {
  JobId: string;
  JobStatus: VideoJobStatus;
  /** Why the job failed; set only when JobStatus is FAILED. */
  StatusMessage?: string;
  /** The validated StartLabelDetection request, without absent fields. */
  request: StartLabelDetectionRequest;
  createdAtMs: number;
  endedAtMs?: number;
  /** The unfiltered analysis; set only when JobStatus is SUCCEEDED. */
  analysis?: VideoAnalysis;
}

/** 64 hex characters, the form Rekognition's own job ids take. */
export const newJobId = (): string => randomBytes(32).toString('hex');

export const newJob = (request: StartLabelDetectionRequest, nowMs: number): JobRecord => ({
  JobId: newJobId(),
  JobStatus: 'IN_PROGRESS',
  request,
  createdAtMs: nowMs,
});

export const succeedJob = (job: JobRecord, analysis: VideoAnalysis, nowMs: number): JobRecord => ({
  ...job,
  JobStatus: 'SUCCEEDED',
  endedAtMs: nowMs,
  analysis,
});

export const failJob = (job: JobRecord, statusMessage: string, nowMs: number): JobRecord => ({
  ...job,
  JobStatus: 'FAILED',
  StatusMessage: statusMessage,
  endedAtMs: nowMs,
});

const JOB_STATUSES = new Set(['IN_PROGRESS', 'SUCCEEDED', 'FAILED']);

/** A stored record read back; `where` names the file or key it came from when it is damaged. */
export function parseJobRecord(content: string, jobId: string, where: string): JobRecord {
  let record: Partial<JobRecord> | undefined;
  try {
    record = JSON.parse(content) as Partial<JobRecord>;
  } catch {
    record = undefined;
  }
  if (record?.JobId !== jobId || !JOB_STATUSES.has(record.JobStatus ?? '') || typeof record.request !== 'object') {
    throw internalServerError(`The record of job ${jobId} (${where}) is damaged`);
  }
  return record as JobRecord;
}
