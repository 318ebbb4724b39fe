import type { NotificationChannel } from '@aws-sdk/client-rekognition';
import type { JobRecord } from './job-record.js';

/** The completion status Rekognition publishes to the job's SNS topic. */
export interface LabelDetectionCompletionMessage {
  JobId: string;
  Status: 'SUCCEEDED' | 'FAILED';
  API: 'StartLabelDetection';
  JobTag?: string;
  /** When the job ended, in ms since the epoch. */
  Timestamp: number;
  Video: { S3ObjectName: string; S3Bucket: string };
}

/** What the client reports for every job that ends, notification channel or not. */
export interface JobEnded extends LabelDetectionCompletionMessage {
  StatusMessage?: string;
  NotificationChannel?: NotificationChannel;
}

export function jobEnded(job: JobRecord): JobEnded {
  if (job.JobStatus === 'IN_PROGRESS' || job.endedAtMs === undefined) {
    throw new Error(`Job ${job.JobId} has not ended yet`);
  }
  const { JobTag, NotificationChannel, Video } = job.request;
  return {
    JobId: job.JobId,
    Status: job.JobStatus,
    API: 'StartLabelDetection',
    ...(JobTag === undefined ? {} : { JobTag }),
    Timestamp: job.endedAtMs,
    Video: { S3ObjectName: Video?.S3Object?.Name ?? '', S3Bucket: Video?.S3Object?.Bucket ?? '' },
    ...(job.StatusMessage === undefined ? {} : { StatusMessage: job.StatusMessage }),
    ...(NotificationChannel === undefined ? {} : { NotificationChannel }),
  };
}

export function completionMessage({ StatusMessage: _message, NotificationChannel: _channel, ...message }: JobEnded): LabelDetectionCompletionMessage {
  return message;
}
