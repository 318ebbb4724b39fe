/**
 * Jobs and their results in Redis, so that every server answers for every job and every worker
 * records its results where all servers read them. Each job is one hash; the steps that must not
 * interleave between processes (claiming a ClientRequestToken, recording a job's end) are Lua
 * scripts, which Redis runs atomically.
 */
import type { Redis } from 'ioredis';
import { internalServerError } from '../errors.js';
import { CLIENT_REQUEST_TOKEN_LIFETIME_MS } from '../jobs/idempotency.js';
import { parseJobRecord, type JobRecord } from '../jobs/job-record.js';
import type { JobStore } from '../jobs/job-store.js';
import { newTokenSecret } from '../jobs/token-secret.js';
import type { ProjectKeys } from './redis-connection.js';

/**
 * KEYS[1] job hash, KEYS[2] the undispatched set, KEYS[3] token key (absent without a token);
 * ARGV[1] JobId, ARGV[2] record, ARGV[3] token lifetime in ms, ARGV[4] now in ms. The record is
 * written in the same step as the token, so a token never names a job that cannot be read yet,
 * and as its entry in the undispatched set, so a job is never stored without being findable by
 * whoever enqueues stranded jobs. Returns the JobId that holds the token.
 */
const PUT_NEW_JOB = `
if KEYS[3] and not redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[3]) then
  return redis.call('GET', KEYS[3])
end
redis.call('HSET', KEYS[1], 'status', 'IN_PROGRESS', 'record', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
return ARGV[1]
`;

/**
 * KEYS[1] job hash; ARGV[1] final status, ARGV[2] record. Only the first end of a job is kept: an
 * analysis that a second worker also finished (after the first one's lock had lapsed) changes
 * nothing. Status and record change together, so a reader never sees SUCCEEDED without its
 * results. Returns 1 when this end was recorded.
 */
const FINISH_JOB = `
redis.call('HINCRBY', KEYS[1], 'finishes', 1)
if redis.call('HGET', KEYS[1], 'status') ~= 'IN_PROGRESS' then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'record', ARGV[2])
return 1
`;

/** How often a job was taken up by a worker and how often an analysis of it reached its end. */
export interface JobProcessingCounts {
  runs: number;
  finishes: number;
}

export class RedisJobStore implements JobStore {
  readonly #redis: Redis;
  readonly #keys: ProjectKeys;

  constructor(redis: Redis, keys: ProjectKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    const content = await this.#redis.hget(this.#keys.job(jobId), 'record');
    return content === null ? undefined : parseJobRecord(content, jobId, `Redis key ${this.#keys.job(jobId)}`);
  }

  /** A new job is stored as is; an ended one only over a job still IN_PROGRESS (see `finish`). */
  async put(record: JobRecord): Promise<void> {
    if (record.JobStatus === 'IN_PROGRESS') await this.#redis.hset(this.#keys.job(record.JobId), 'status', 'IN_PROGRESS', 'record', JSON.stringify(record));
    else await this.finish(record);
  }

  async findByClientRequestToken(token: string): Promise<JobRecord | undefined> {
    const jobId = await this.#redis.get(this.#keys.clientRequestToken(token));
    return jobId === null ? undefined : this.get(jobId);
  }

  async putNew(record: JobRecord): Promise<JobRecord> {
    const token = record.request.ClientRequestToken;
    const keys = [this.#keys.job(record.JobId), this.#keys.undispatched, ...(token === undefined ? [] : [this.#keys.clientRequestToken(token)])];
    const holder = String(await this.#redis.eval(PUT_NEW_JOB, keys.length, ...keys, record.JobId, JSON.stringify(record), CLIENT_REQUEST_TOKEN_LIFETIME_MS, Date.now()));
    if (holder === record.JobId) return record;
    const held = await this.get(holder);
    if (!held) throw internalServerError(`ClientRequestToken ${token} names job ${holder}, whose record is missing`);
    return held;
  }

  /** Records the end of a job that is still IN_PROGRESS; false when another end was recorded first. */
  async finish(ended: JobRecord): Promise<boolean> {
    if (ended.JobStatus === 'IN_PROGRESS') throw new Error(`finish: job ${ended.JobId} has not ended`);
    return (await this.#redis.eval(FINISH_JOB, 1, this.#keys.job(ended.JobId), ended.JobStatus, JSON.stringify(ended))) === 1;
  }

  /** The job is in the queue now: nobody needs to enqueue it again. */
  async markDispatched(jobId: string): Promise<void> {
    await this.#redis.zrem(this.#keys.undispatched, jobId);
  }

  /** Jobs stored before `storedBeforeMs` and still not marked dispatched, oldest first. */
  async undispatchedJobIds(storedBeforeMs: number): Promise<string[]> {
    return this.#redis.zrangebyscore(this.#keys.undispatched, '-inf', `(${storedBeforeMs}`);
  }

  /** Counts a worker taking the job up, so a job analysed more than once shows it. */
  async countRun(jobId: string): Promise<void> {
    await this.#redis.hincrby(this.#keys.job(jobId), 'runs', 1);
  }

  async processingCounts(jobId: string): Promise<JobProcessingCounts> {
    const [runs, finishes] = await this.#redis.hmget(this.#keys.job(jobId), 'runs', 'finishes');
    return { runs: Number(runs ?? 0), finishes: Number(finishes ?? 0) };
  }
}

/** The NextToken secret every server shares: the first server to ask creates it. */
export async function sharedTokenSecret(redis: Redis, keys: ProjectKeys): Promise<string> {
  await redis.set(keys.tokenSecret, newTokenSecret(), 'NX');
  const secret = await redis.get(keys.tokenSecret);
  if (!secret) throw internalServerError(`The NextToken secret (${keys.tokenSecret}) could not be read from Redis`);
  return secret;
}
