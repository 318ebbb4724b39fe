/**
 * The server's side of the shared queue: a started job becomes a BullMQ job whose id is the JobId
 * (so adding it twice adds it once) and whose data is only that id; workers read the request from
 * the job store. Retries, stalled-job recovery and counts are BullMQ's.
 */
import { Queue } from 'bullmq';
import type { JobDispatcher } from '../jobs/job-queue.js';

export const LABEL_DETECTION_JOB_NAME = 'StartLabelDetection';

export interface LabelDetectionJobData {
  JobId: string;
}

/** Attempts per job when a worker's processing throws (Redis unreachable, ...); analysis errors end the job FAILED at once. */
export const DEFAULT_JOB_ATTEMPTS = 3;

/** BullMQ states of a job that has not ended. */
export const OPEN_JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

/** BullMQ's own record of finished jobs is kept a day for `status`; the job store keeps results regardless. */
const KEEP_FINISHED = { age: 24 * 60 * 60, count: 10_000 };

export interface QueueDispatcherOptions {
  url: string;
  queueName: string;
  attempts?: number;
}

export function queueJobDispatcher(options: QueueDispatcherOptions): JobDispatcher {
  const attempts = options.attempts ?? DEFAULT_JOB_ATTEMPTS;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be an integer >= 1, got ${options.attempts}`);
  const queue = new Queue<LabelDetectionJobData>(options.queueName, { connection: { url: options.url } });
  // Commands fail on their own; this only keeps reconnection noise from becoming an unhandled 'error'.
  queue.on('error', () => undefined);
  return {
    openJobs: async () => Object.values(await queue.getJobCounts(...OPEN_JOB_STATES)).reduce((sum, count) => sum + count, 0),
    dispatch: async (job) => {
      await queue.add(LABEL_DETECTION_JOB_NAME, { JobId: job.JobId }, {
        jobId: job.JobId,
        attempts,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: KEEP_FINISHED,
        removeOnFail: KEEP_FINISHED,
      });
    },
    // Jobs belong to the queue, not to this server: they go on in the workers.
    close: () => queue.close(),
  };
}
