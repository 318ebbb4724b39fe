/**
 * A worker process's engine: pulls label detection jobs from the shared BullMQ queue, analyses them
 * with this machine's detector pool and video buckets, and records each job's end in Redis.
 *
 * Failure handling is BullMQ's: a job whose worker dies keeps no lock, BullMQ's stalled-job check
 * puts it back in the queue for another worker, and after `maxStalledCount` such returns it fails
 * it for good, which this worker records as FAILED. An analysis that fails (a damaged video, ...)
 * ends the job FAILED at once, as in local mode, since another try would fail the same way.
 */
import { Worker, WaitingError, type Job } from 'bullmq';
import { hostname } from 'node:os';
import type { BackendChoice } from '../detect/backend.js';
import { failJob, type JobRecord } from '../jobs/job-record.js';
import { jobEnded, type JobEnded } from '../jobs/notification.js';
import { analyzeJob } from '../jobs/run-job.js';
import { createVideoAnalyzer, type JobAnalyzeOptions } from '../jobs/video-analyzer.js';
import { createDetectorPool } from '../detect/index.js';
import { analyzeVideo } from '../pipeline.js';
import { LocalBucketSource, type VideoSource } from '../source/index.js';
import { removeHeartbeat, sendHeartbeat, ThroughputMeter, type WorkerHeartbeat } from './heartbeat.js';
import { queueJobDispatcher, type LabelDetectionJobData } from './queue-dispatcher.js';
import { watchForStrandedJobs } from './stranded-jobs.js';
import { openRedis, projectKeys, queueNameOf, type QueueLocation } from './redis-connection.js';
import { RedisJobStore } from './redis-job-store.js';

export interface LabelDetectionWorkerOptions extends QueueLocation {
  /** Bucket name -> local directory; every worker needs the buckets its servers accept. */
  buckets?: Record<string, string>;
  allowAnyVideoFormat?: boolean;
  /** Where videos come from instead of the `buckets` directories. */
  videoSource?: VideoSource;
  /** Pipeline settings for every job this worker runs (fps, model, detector threads as `workers`, ...). */
  analyze?: JobAnalyzeOptions;
  /** Jobs analysed at once (default 1; they share the detector threads). */
  concurrency?: number;
  /** How long a job stays this worker's without the worker renewing its lock (default 30 s). */
  lockDurationMs?: number;
  /** How often workers look for jobs whose worker stopped renewing their lock (default 30 s). */
  stalledIntervalMs?: number;
  /** Times a job may lose its worker and go back to the queue before it ends FAILED (default 1). */
  maxStalledCount?: number;
  heartbeatIntervalMs?: number;
  /** Shown by `status`; default `<hostname>:<pid>`. */
  name?: string;
  onEvent?: (event: WorkerEvent) => void;
  /** Called once per job, by the worker whose end of it was recorded: where to send its completion notification. */
  onJobRecorded?: (job: JobEnded) => void;
}

export type WorkerEvent =
  | { event: 'job-started'; JobId: string }
  | { event: 'job-ended'; JobId: string; JobStatus: JobRecord['JobStatus']; StatusMessage?: string; recorded: boolean; frames: number; seconds: number }
  | { event: 'job-skipped'; JobId: string; reason: string }
  | { event: 'job-released'; JobId: string }
  | { event: 'job-abandoned'; JobId: string; StatusMessage: string }
  | { event: 'job-recovered'; JobId: string }
  | { event: 'error'; message: string };

export interface LabelDetectionWorker {
  readonly name: string;
  readonly backend: BackendChoice;
  readonly model: string;
  readonly detectorThreads: number;
  readonly concurrency: number;
  /** Takes no new job and resolves once the running ones have ended and been recorded. */
  drain(): Promise<void>;
  /** Stops the running analyses; their jobs go back to the queue for another worker. */
  release(): Promise<void>;
}

export const DEFAULT_LOCK_DURATION_MS = 30_000;
export const DEFAULT_STALLED_INTERVAL_MS = 30_000;
export const DEFAULT_MAX_STALLED_COUNT = 1;
const DEFAULT_HEARTBEAT_INTERVAL_MS = 2_000;
const RELEASED = 'The worker stopped and released the job to the queue';
/**
 * How long a stopping worker waits for each Redis step (last heartbeat, closing its connections)
 * before it gives up on it: a worker stopped while Redis is unreachable must still exit, and a
 * container runtime sends one SIGTERM and kills a few seconds later.
 */
export const STOP_STEP_TIMEOUT_MS = 500;

/** Whether `task` settled within `ms` (its result or failure does not matter to a stopping worker). */
const settlesWithin = (task: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([task.then(() => true, () => true), timedOut]).finally(() => clearTimeout(timer));
};

export async function startLabelDetectionWorker(options: LabelDetectionWorkerOptions): Promise<LabelDetectionWorker> {
  const concurrency = positiveInteger('concurrency', options.concurrency ?? 1);
  const lockDuration = positiveInteger('lockDurationMs', options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS);
  const stalledInterval = positiveInteger('stalledIntervalMs', options.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS);
  const maxStalledCount = nonNegativeInteger('maxStalledCount', options.maxStalledCount ?? DEFAULT_MAX_STALLED_COUNT);
  const heartbeatInterval = positiveInteger('heartbeatIntervalMs', options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS);
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const emit = options.onEvent ?? (() => undefined);
  const source = options.videoSource ?? new LocalBucketSource({ buckets: options.buckets ?? {}, allowAnyVideoFormat: options.allowAnyVideoFormat });

  const keys = projectKeys(queueNameOf(options));
  // A worker waits out a Redis outage rather than failing the jobs it is running.
  const redis = await openRedis(options.url, { maxRetriesPerRequest: null });
  const store = new RedisJobStore(redis, keys);
  // The pool starts before the first job is taken, so a broken model or runtime stops the worker, not its jobs.
  const analyze = options.analyze ?? {};
  const detector = await createDetectorPool({ model: analyze.model, modelPath: analyze.modelPath, workers: analyze.workers, backend: analyze.backend }).catch((error: unknown) => {
    redis.disconnect();
    throw error;
  });
  const analyzer = createVideoAnalyzer(analyze, (videoPath, run) => analyzeVideo(videoPath, { ...run, detector }));
  // Jobs a server stored and died before enqueueing: this worker enqueues them (stranded-jobs.ts).
  const dispatcher = queueJobDispatcher({ url: options.url, queueName: queueNameOf(options) });
  const stranded = watchForStrandedJobs({
    store,
    dispatch: async (job) => {
      await dispatcher.dispatch(job);
      await store.markDispatched(job.JobId);
    },
    now: Date.now,
    onEnqueued: (jobIds) => jobIds.forEach((JobId) => emit({ event: 'job-recovered', JobId })),
    onError: (error) => emit({ event: 'error', message: `looking for stranded jobs: ${String(error)}` }),
  });
  const record = async (ended: JobRecord): Promise<boolean> => {
    const recorded = await store.finish(ended);
    if (recorded) options.onJobRecorded?.(jobEnded(ended));
    return recorded;
  };

  const startedAtMs = Date.now();
  const framesOfActiveJobs = new Map<string, number>();
  /** Every job this worker is processing, until its end is recorded (or it fails). */
  const running = new Set<Promise<unknown>>();
  const meter = new ThroughputMeter();
  let framesOfEndedJobs = 0;
  let jobsEnded = 0;
  let state: WorkerHeartbeat['state'] = 'running';
  const framesDone = () => framesOfEndedJobs + [...framesOfActiveJobs.values()].reduce((sum, frames) => sum + frames, 0);

  const processJob = async (bullJob: Job<LabelDetectionJobData>, token: string | undefined, signal: AbortSignal | undefined) => {
    const { JobId } = bullJob.data;
    const job = await store.get(JobId);
    if (job?.JobStatus !== 'IN_PROGRESS') {
      emit({ event: 'job-skipped', JobId, reason: job ? `already ${job.JobStatus}` : 'no such job in the store' });
      return { recorded: false };
    }
    await store.countRun(JobId);
    emit({ event: 'job-started', JobId });
    const started = Date.now();
    framesOfActiveJobs.set(JobId, 0);
    void beat();
    let ended: JobRecord;
    try {
      ended = await analyzeJob(job, {
        source,
        analyzer,
        now: Date.now,
        onProgress: (progress) => framesOfActiveJobs.set(JobId, progress.framesDone),
      }, signal ?? new AbortController().signal);
    } finally {
      framesOfEndedJobs += framesOfActiveJobs.get(JobId) ?? 0;
      framesOfActiveJobs.delete(JobId);
    }
    if (signal?.aborted && token !== undefined) {
      await bullJob.moveToWait(token);
      emit({ event: 'job-released', JobId });
      throw new WaitingError();
    }
    const recorded = await record(ended);
    jobsEnded += 1;
    const { JobStatus, StatusMessage } = ended;
    const frames = ended.analysis?.analysedTimestampsMs.length ?? 0;
    emit({ event: 'job-ended', JobId, JobStatus, ...(StatusMessage ? { StatusMessage } : {}), recorded, frames, seconds: (Date.now() - started) / 1000 });
    void beat();
    return { JobStatus, recorded };
  };

  const track = <T>(job: Promise<T>): Promise<T> => {
    running.add(job);
    void job.finally(() => running.delete(job)).catch(() => undefined);
    return job;
  };
  const worker = new Worker<LabelDetectionJobData>(queueNameOf(options), (bullJob, token, signal) => track(processJob(bullJob, token, signal)), {
    connection: { url: options.url },
    name,
    concurrency,
    lockDuration,
    stalledInterval,
    maxStalledCount,
  });
  worker.on('error', (error) => emit({ event: 'error', message: error.message }));
  worker.on('failed', (bullJob, error) => {
    // Only BullMQ's final word matters here: retries still to come leave the job IN_PROGRESS.
    if (!bullJob || bullJob.finishedOn === undefined) return;
    void recordAbandoned(store, record, bullJob.data.JobId, `No worker finished the job: ${error.message}`).then(
      (message) => message && emit({ event: 'job-abandoned', JobId: bullJob.data.JobId, StatusMessage: message }),
      (recordError: unknown) => emit({ event: 'error', message: `job ${bullJob.data.JobId}: its failure could not be recorded: ${String(recordError)}` }),
    );
  });

  const heartbeat = (): WorkerHeartbeat => {
    const now = Date.now();
    meter.record(now, framesDone());
    return {
      name,
      host: hostname(),
      pid: process.pid,
      backend: detector.backend.backend,
      provider: detector.backend.provider,
      model: detector.manifest.name,
      detectorThreads: detector.workers,
      concurrency,
      state,
      startedAtMs,
      sentAtMs: now,
      activeJobIds: [...framesOfActiveJobs.keys()],
      jobsEnded,
      framesDone: framesDone(),
      framesPerSecond: meter.framesPerSecond(),
    };
  };
  const beat = () => sendHeartbeat(redis, keys, heartbeat(), 3 * heartbeatInterval).catch((error: unknown) => emit({ event: 'error', message: `heartbeat: ${String(error)}` }));
  const heartbeats = setInterval(beat, heartbeatInterval);
  try {
    await worker.waitUntilReady();
    await beat();
  } catch (error) {
    clearInterval(heartbeats);
    await Promise.allSettled([worker.close(), detector.destroy(), stranded.stop(), dispatcher.close(new Error('worker did not start'))]);
    redis.disconnect();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      state = 'draining';
      // No new job from now on (local: Redis need not answer).
      await Promise.all([settlesWithin(worker.pause(true), STOP_STEP_TIMEOUT_MS), settlesWithin(stranded.stop(), STOP_STEP_TIMEOUT_MS)]);
      const lastBeat = settlesWithin(beat(), STOP_STEP_TIMEOUT_MS);
      // Running jobs end and are recorded (that waits for Redis, as a drain must); nothing else does.
      await Promise.allSettled(running);
      // Forced: nothing is left to wait for, and a forced close drops its connections instead of asking Redis to.
      await Promise.all([lastBeat, settlesWithin(worker.close(true), STOP_STEP_TIMEOUT_MS)]);
      clearInterval(heartbeats);
      const goodbye = removeHeartbeat(redis, keys, name).then(() => redis.quit());
      // Redis unreachable: the connection stops reconnecting, so nothing keeps the process alive.
      const [saidGoodbye] = await Promise.all([settlesWithin(goodbye, STOP_STEP_TIMEOUT_MS), settlesWithin(dispatcher.close(new Error('worker stopped')), STOP_STEP_TIMEOUT_MS)]);
      if (!saidGoodbye) redis.disconnect();
      await analyzer.destroy();
      await detector.destroy();
    })());
  return {
    name,
    backend: detector.backend,
    model: detector.manifest.name,
    detectorThreads: detector.workers,
    concurrency,
    drain: stop,
    release: () => {
      worker.cancelAllJobs(RELEASED);
      return stop();
    },
  };
}

/** Ends a job FAILED unless it already ended; the message when it was recorded. */
async function recordAbandoned(
  store: RedisJobStore,
  record: (ended: JobRecord) => Promise<boolean>,
  jobId: string,
  statusMessage: string,
): Promise<string | undefined> {
  const job = await store.get(jobId);
  if (job?.JobStatus !== 'IN_PROGRESS') return undefined;
  return (await record(failJob(job, statusMessage, Date.now()))) ? statusMessage : undefined;
}

function positiveInteger(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${option} must be an integer >= 1, got ${value}`);
  return value;
}

function nonNegativeInteger(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${option} must be an integer >= 0, got ${value}`);
  return value;
}
