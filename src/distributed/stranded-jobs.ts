/**
 * A job is stored, then enqueued: two steps, so a server that dies between them leaves a job that
 * says IN_PROGRESS and that no worker will ever take. Every stored job is listed as undispatched
 * in the same atomic step that stores it (redis-job-store.ts) until its server has enqueued it;
 * servers and workers look for entries that stayed there too long and enqueue those jobs
 * themselves. Enqueueing is idempotent (the BullMQ job id is the JobId), so a slow server that
 * enqueues the same job a moment later changes nothing.
 */
import type { JobRecord } from '../jobs/job-record.js';
import type { RedisJobStore } from './redis-job-store.js';

/** A job stored this long ago and not yet in the queue was stranded: its server died between the two steps. */
export const STRANDED_AFTER_MS = 5_000;
/** How often servers and workers look for stranded jobs. */
export const STRANDED_CHECK_INTERVAL_MS = 5_000;

export interface StrandedJobsOptions {
  store: RedisJobStore;
  dispatch: (job: JobRecord) => Promise<void>;
  now: () => number;
}

/** Enqueues every stranded job still IN_PROGRESS and forgets the others; returns the JobIds enqueued. */
export async function dispatchStrandedJobs({ store, dispatch, now }: StrandedJobsOptions): Promise<string[]> {
  const enqueued: string[] = [];
  for (const jobId of await store.undispatchedJobIds(now() - STRANDED_AFTER_MS)) {
    const job = await store.get(jobId);
    if (job?.JobStatus === 'IN_PROGRESS') {
      await dispatch(job);
      enqueued.push(jobId);
    }
    await store.markDispatched(jobId);
  }
  return enqueued;
}

/** Looks for stranded jobs now and every STRANDED_CHECK_INTERVAL_MS, until stopped; failures are reported, never thrown. */
export function watchForStrandedJobs(options: StrandedJobsOptions & { onEnqueued?: (jobIds: string[]) => void; onError?: (error: unknown) => void }): { stop(): Promise<void> } {
  let checking: Promise<void> = Promise.resolve();
  const check = () => {
    checking = checking
      .then(() => dispatchStrandedJobs(options))
      .then((jobIds) => void (jobIds.length > 0 && options.onEnqueued?.(jobIds)))
      .catch((error: unknown) => options.onError?.(error));
  };
  check();
  const timer = setInterval(check, STRANDED_CHECK_INTERVAL_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await checking;
    },
  };
}
