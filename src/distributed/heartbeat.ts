/**
 * What each worker tells the rest of the deployment about itself, every few seconds: who it is,
 * which backend it runs, what it is doing and how fast. A worker that stops sending is forgotten
 * once its last heartbeat expires.
 */
import type { Redis } from 'ioredis';
import type { ProjectKeys } from './redis-connection.js';

export interface WorkerHeartbeat {
  name: string;
  host: string;
  pid: number;
  /** tfjs backend (`tensorflow`, `wasm`, `cpu`) and the package that provides it. */
  backend: string;
  provider: string;
  model: string;
  /** Detector threads of this worker's pool. */
  detectorThreads: number;
  /** Jobs this worker analyses at once. */
  concurrency: number;
  state: 'running' | 'draining';
  startedAtMs: number;
  sentAtMs: number;
  activeJobIds: string[];
  jobsEnded: number;
  framesDone: number;
  /** Frames analysed per second over the last `THROUGHPUT_WINDOW_MS`. */
  framesPerSecond: number;
}

export const THROUGHPUT_WINDOW_MS = 10_000;
const FORGET_WORKERS_AFTER_MS = 60 * 60 * 1000;

/** Frames per second over a sliding window of (time, frames done so far) samples. */
export class ThroughputMeter {
  readonly #windowMs: number;
  readonly #samples: { atMs: number; frames: number }[] = [];

  constructor(windowMs = THROUGHPUT_WINDOW_MS) {
    this.#windowMs = windowMs;
  }

  /** `frames` is the running total, never a delta. */
  record(atMs: number, frames: number): void {
    this.#samples.push({ atMs, frames });
    // One sample older than the window stays, so the rate always spans the whole window.
    while (this.#samples.length > 2 && (this.#samples[1]?.atMs ?? atMs) <= atMs - this.#windowMs) this.#samples.shift();
  }

  framesPerSecond(): number {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.atMs <= first.atMs) return 0;
    return ((last.frames - first.frames) * 1000) / (last.atMs - first.atMs);
  }
}

/** Publishes a heartbeat that lives `ttlMs`: a worker killed without warning disappears after that. */
export async function sendHeartbeat(redis: Redis, keys: ProjectKeys, heartbeat: WorkerHeartbeat, ttlMs: number): Promise<void> {
  await redis
    .multi()
    .set(keys.worker(heartbeat.name), JSON.stringify(heartbeat), 'PX', ttlMs)
    .zadd(keys.workers, heartbeat.sentAtMs, heartbeat.name)
    // Names of workers gone for long are dropped; a margin this wide tolerates skewed clocks.
    .zremrangebyscore(keys.workers, '-inf', heartbeat.sentAtMs - FORGET_WORKERS_AFTER_MS)
    .exec();
}

/** A worker that stopped on purpose leaves at once instead of lingering until its heartbeat expires. */
export async function removeHeartbeat(redis: Redis, keys: ProjectKeys, name: string): Promise<void> {
  await redis.multi().del(keys.worker(name)).zrem(keys.workers, name).exec();
}

/** Workers whose heartbeat has not expired, by name. */
export async function readHeartbeats(redis: Redis, keys: ProjectKeys): Promise<WorkerHeartbeat[]> {
  const names = await redis.zrange(keys.workers, '0', '-1');
  if (names.length === 0) return [];
  const contents = await redis.mget(names.map((name) => keys.worker(name)));
  return contents.flatMap((content) => (content === null ? [] : [JSON.parse(content) as WorkerHeartbeat])).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
