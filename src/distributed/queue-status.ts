/** What `status` shows: the queue's depth by state, and each live worker's heartbeat. */
import { Queue } from 'bullmq';
import { readHeartbeats, THROUGHPUT_WINDOW_MS, type WorkerHeartbeat } from './heartbeat.js';
import { openRedis, projectKeys, queueNameOf, type QueueLocation } from './redis-connection.js';

export const REPORTED_JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;

export interface QueueStatus {
  url: string;
  queueName: string;
  counts: Record<(typeof REPORTED_JOB_STATES)[number], number>;
  workers: WorkerHeartbeat[];
  readAtMs: number;
}

export async function readQueueStatus(location: QueueLocation): Promise<QueueStatus> {
  const queueName = queueNameOf(location);
  // One try, no reconnecting: a status check reports an unreachable Redis instead of waiting for it.
  const redis = await openRedis(location.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  const queue = new Queue(queueName, { connection: redis });
  queue.on('error', () => undefined);
  try {
    const [counts, workers] = await Promise.all([queue.getJobCounts(...REPORTED_JOB_STATES), readHeartbeats(redis, projectKeys(queueName))]);
    const count = (state: (typeof REPORTED_JOB_STATES)[number]) => counts[state] ?? 0;
    return {
      url: location.url,
      queueName,
      counts: { waiting: count('waiting'), active: count('active'), delayed: count('delayed'), completed: count('completed'), failed: count('failed') },
      workers,
      readAtMs: Date.now(),
    };
  } finally {
    await queue.close().catch(() => undefined);
    redis.disconnect();
  }
}

/** The status as lines for a terminal. */
export function formatQueueStatus(status: QueueStatus): string[] {
  const { counts, workers } = status;
  const totalFramesPerSecond = workers.reduce((sum, worker) => sum + worker.framesPerSecond, 0);
  return [
    `queue ${status.queueName} at ${status.url}`,
    `jobs: ${REPORTED_JOB_STATES.map((state) => `${counts[state]} ${state}`).join(', ')}`,
    `workers: ${workers.length}, ${totalFramesPerSecond.toFixed(1)} frames/s together (last ${THROUGHPUT_WINDOW_MS / 1000} s)`,
    ...workers.map((worker) => `  ${describeWorker(worker, status.readAtMs)}`),
  ];
}

const describeWorker = (worker: WorkerHeartbeat, nowMs: number): string =>
  [
    worker.name,
    worker.state,
    `${worker.backend} (${worker.provider})`,
    `${worker.model} x${worker.detectorThreads} thread${worker.detectorThreads === 1 ? '' : 's'}`,
    `concurrency ${worker.concurrency}`,
    `${worker.activeJobIds.length} active`,
    `${worker.jobsEnded} done`,
    `${worker.framesDone} frames`,
    `${worker.framesPerSecond.toFixed(1)} frames/s`,
    `seen ${Math.max(0, (nowMs - worker.sentAtMs) / 1000).toFixed(1)} s ago`,
  ].join(' | ');
