/** A LabelDetectionClient whose jobs live in Redis and are analysed by `worker` processes. */
import { LabelDetectionClient, type LabelDetectionClientOptions } from '../client.js';
import { queueJobDispatcher } from './queue-dispatcher.js';
import { openRedis, projectKeys, queueNameOf, type QueueLocation } from './redis-connection.js';
import { RedisJobStore, sharedTokenSecret } from './redis-job-store.js';
import { watchForStrandedJobs } from './stranded-jobs.js';
import type { JobRecord } from '../jobs/job-record.js';

/**
 * What still applies on a server in queue mode: the server validates the request and checks the
 * video through its own buckets; workers analyse it with their own settings.
 */
export type QueueClientOptions = Pick<LabelDetectionClientOptions, 'buckets' | 'videoSource' | 'allowAnyVideoFormat' | 'maxOpenJobs' | 'tokenSecret'> & {
  queueName?: string;
  /** Attempts per job when a worker's processing throws (default 3). */
  attempts?: number;
  /** Reliability tests only: the process exits between storing a job and enqueueing it, as a server killed there would. */
  exitBeforeDispatch?: boolean;
  /** Told when this server enqueued jobs another server stored and left stranded (see stranded-jobs.ts). */
  onStrandedJobsEnqueued?: (jobIds: string[]) => void;
};

/**
 * Any number of these, in any number of processes, answer for the same jobs: records, results,
 * ClientRequestTokens and the NextToken secret are all in the Redis at `queueUrl`.
 * `maxOpenJobs` counts the open jobs of the whole queue.
 */
export async function createClientForQueue(queueUrl: string, options: QueueClientOptions = {}): Promise<LabelDetectionClient> {
  const location: QueueLocation = { url: queueUrl, queueName: options.queueName };
  const { queueName: _queueName, attempts, exitBeforeDispatch, onStrandedJobsEnqueued, ...clientOptions } = options;
  const keys = projectKeys(queueNameOf(location));
  const redis = await openRedis(queueUrl);
  try {
    const tokenSecret = options.tokenSecret ?? (await sharedTokenSecret(redis, keys));
    const dispatcher = queueJobDispatcher({ url: queueUrl, queueName: queueNameOf(location), attempts });
    const store = new RedisJobStore(redis, keys);
    const dispatch = async (job: JobRecord) => {
      await dispatcher.dispatch(job);
      await store.markDispatched(job.JobId);
    };
    const stranded = watchForStrandedJobs({ store, dispatch, now: Date.now, ...(onStrandedJobsEnqueued ? { onEnqueued: onStrandedJobsEnqueued } : {}) });
    return new LabelDetectionClient({
      ...clientOptions,
      tokenSecret,
      jobStore: store,
      jobDispatcher: {
        openJobs: dispatcher.openJobs,
        dispatch: async (job) => {
          if (exitBeforeDispatch) process.exit(137);
          await dispatch(job);
        },
        close: async (reason) => {
          await stranded.stop();
          await dispatcher.close(reason);
          await redis.quit();
        },
      },
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}
