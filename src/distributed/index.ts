export { createClientForQueue, type QueueClientOptions } from './queueClient.js';
export {
  startLabelDetectionWorker,
  DEFAULT_LOCK_DURATION_MS,
  DEFAULT_MAX_STALLED_COUNT,
  DEFAULT_STALLED_INTERVAL_MS,
  type LabelDetectionWorker,
  type LabelDetectionWorkerOptions,
  type WorkerEvent,
} from './worker.js';
export { readQueueStatus, formatQueueStatus, type QueueStatus } from './queueStatus.js';
export { DEFAULT_QUEUE_NAME, parseQueueUrl, type QueueLocation } from './redisConnection.js';
export { RedisJobStore, type JobProcessingCounts } from './redisJobStore.js';
export type { WorkerHeartbeat } from './heartbeat.js';
