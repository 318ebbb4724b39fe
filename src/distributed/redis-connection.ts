/**
 * The one Redis that a distributed deployment shares: BullMQ's queue keys (under `bull:<queueName>:`)
 * and this project's own keys (under `eld:<queueName>:`), named here so every process agrees.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { internalServerError, invalidParameter } from '../errors.js';

export const DEFAULT_QUEUE_NAME = 'edge-label-detection';

/** Where the queue is: the Redis URL and the queue's name within it. */
export interface QueueLocation {
  url: string;
  /** Several deployments may share one Redis under different names (default `edge-label-detection`). */
  queueName?: string;
}

/** Accepts `redis://HOST:PORT[/DB]` and `rediss://` (TLS); the error names the flag or field at fault. */
export function parseQueueUrl(value: string, field = '--queue'): string {
  if (!URL.canParse(value) || !/^rediss?:$/.test(new URL(value).protocol) || new URL(value).hostname === '') {
    throw invalidParameter(`${field}: must be a redis://HOST:PORT URL, got "${value}"`);
  }
  return value;
}

/**
 * A connected client. By default a command fails after a few reconnection tries instead of waiting
 * forever, so an unreachable Redis becomes an error answer, not a hung request. An unreachable
 * Redis at start is an InternalServerError naming the host (never the URL: it may hold a password).
 */
export async function openRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  const redis = new Redis(parseQueueUrl(url), { maxRetriesPerRequest: 3, ...options, lazyConnect: true });
  let lastError: Error | undefined;
  // Failed commands reject on their own; the listener keeps the cause and stops ioredis printing every reconnect error.
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw internalServerError(`Redis at ${new URL(url).host} cannot be reached: ${(lastError ?? (error as Error)).message}`);
  }
  return redis;
}

export const queueNameOf = (location: QueueLocation): string => location.queueName ?? DEFAULT_QUEUE_NAME;

export interface ProjectKeys {
  /** Hash: `status`, `record` (the JobRecord as JSON, the analysis included), `runs`, `finishes`. */
  job(jobId: string): string;
  /** String: the JobId holding a ClientRequestToken, expiring with the token's lifetime. */
  clientRequestToken(token: string): string;
  /** String: the secret that signs NextTokens, the same for every server. */
  tokenSecret: string;
  /** Sorted set: worker name -> time of its last heartbeat (ms). */
  workers: string;
  /**
   * Sorted set: JobId -> time it was stored (ms), for every job stored but not yet in the queue.
   * A job stays here only if the server that stored it died before enqueueing it.
   */
  undispatched: string;
  /** String: one worker's heartbeat as JSON, expiring when the worker stops sending it. */
  worker(name: string): string;
}

export function projectKeys(queueName: string): ProjectKeys {
  const prefix = `eld:${queueName}:`;
  return {
    job: (jobId) => `${prefix}job:${jobId}`,
    clientRequestToken: (token) => `${prefix}token:${token}`,
    tokenSecret: `${prefix}token-secret`,
    workers: `${prefix}workers`,
    undispatched: `${prefix}undispatched`,
    worker: (name) => `${prefix}worker:${name}`,
  };
}
