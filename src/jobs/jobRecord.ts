import type { StartLabelDetectionRequest, VideoJobStatus } from '@aws-sdk/client-rekognition';
import { randomBytes } from 'node:crypto';
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
