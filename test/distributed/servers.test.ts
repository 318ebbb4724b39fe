/**
 * Several servers on one Redis, without workers: the job store's atomic steps and what two
 * LabelDetectionClients in queue mode see of each other's jobs.
 */
import { Redis } from 'ioredis';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabelDetectionClient } from '../../src/client.js';
import { createClientForQueue } from '../../src/distributed/queue-client.js';
import { readQueueStatus } from '../../src/distributed/queue-status.js';
import { projectKeys } from '../../src/distributed/redis-connection.js';
import { RedisJobStore } from '../../src/distributed/redis-job-store.js';
import { IdempotentParameterMismatchException, InternalServerError, LimitExceededException, ResourceNotFoundException } from '../../src/errors.js';
import { failJob, newJob, succeedJob } from '../../src/jobs/job-record.js';
import { bottleAnalysis, makeBucket } from '../jobs/fixtures.js';
import { freePort, haveRedisServer, startRedisServer, type RedisServer } from './redis-server.js';

describe('a Redis that cannot be reached', () => {
  it('fails a server start and a status read at once, naming the host', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const host = new URL(url).host;
    await expect(createClientForQueue(url)).rejects.toThrow(new RegExp(`^Redis at ${host} cannot be reached: .*ECONNREFUSED`));
    await expect(readQueueStatus({ url })).rejects.toBeInstanceOf(InternalServerError);
  });
});

describe.skipIf(!haveRedisServer)('servers sharing one Redis', () => {
  let server: RedisServer;
  let redis: Redis;
  let root: string;
  let bucketDir: string;
  const clients: LabelDetectionClient[] = [];
  const keys = projectKeys('servers-test');
  const newClient = async (maxOpenJobs?: number) => {
    const client = await createClientForQueue(server.url, { queueName: 'servers-test', buckets: { media: bucketDir }, maxOpenJobs });
    clients.push(client);
    return client;
  };
  const videoA = { S3Object: { Bucket: 'media', Name: 'a.mp4' } };
  const videoB = { S3Object: { Bucket: 'media', Name: 'b.mp4' } };

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    ({ root, bucketDir } = await makeBucket());
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.destroy()));
    redis?.disconnect();
    await server?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('answers GetLabelDetection on one server for a job started on another', async () => {
    const [first, second] = [await newClient(), await newClient()];
    const { JobId } = await first.startLabelDetection({ Video: videoA, JobTag: 'from-first' });
    const seen = await second.getLabelDetection({ JobId: JobId as string });
    expect(seen).toMatchObject({ JobId, JobStatus: 'IN_PROGRESS', JobTag: 'from-first', Video: videoA });
    await expect(second.getLabelDetection({ JobId: 'f'.repeat(64) })).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('gives one job for one ClientRequestToken sent to two servers at once, and queues it once', async () => {
    const [first, second] = [await newClient(), await newClient()];
    const request = { Video: videoB, ClientRequestToken: 'same-token-on-two-servers' };
    const answers = await Promise.all(Array.from({ length: 12 }, (_, index) => (index % 2 === 0 ? first : second).startLabelDetection(request)));
    const jobIds = new Set(answers.map((answer) => answer.JobId));
    expect(jobIds.size).toBe(1);
    const [JobId] = [...jobIds] as string[];
    expect(await redis.hget(keys.job(JobId as string), 'status')).toBe('IN_PROGRESS');
    expect(await redis.exists(`bull:servers-test:${JobId}`)).toBe(1);
    await expect(second.startLabelDetection({ ...request, JobTag: 'other-parameters' })).rejects.toBeInstanceOf(IdempotentParameterMismatchException);
  });

  it('signs NextTokens with one secret, so a page token from one server works on another', async () => {
    const [first, second] = [await newClient(), await newClient()];
    const store = new RedisJobStore(redis, keys);
    const { JobId } = await first.startLabelDetection({ Video: videoA });
    const job = await store.get(JobId as string);
    expect(await store.finish(succeedJob(job!, bottleAnalysis, Date.now()))).toBe(true);
    // The fixture has four label occurrences (Beverage and Bottle at 0 and 500 ms): two pages of two.
    const page1 = await first.getLabelDetection({ JobId: JobId as string, MaxResults: 2 });
    expect(page1.Labels).toHaveLength(2);
    const page2 = await second.getLabelDetection({ JobId: JobId as string, MaxResults: 2, NextToken: page1.NextToken });
    expect(page2.Labels).toHaveLength(2);
    expect(page2.NextToken).toBeUndefined();
  });

  it('counts the whole queue against maxOpenJobs', async () => {
    await redis.flushall();
    const [first, second] = [await newClient(2), await newClient(2)];
    await first.startLabelDetection({ Video: videoA });
    await second.startLabelDetection({ Video: videoB });
    await expect(first.startLabelDetection({ Video: videoA })).rejects.toBeInstanceOf(LimitExceededException);
  });

  describe('RedisJobStore', () => {
    it('keeps only the first end of a job and counts every attempt to end it', async () => {
      const store = new RedisJobStore(redis, keys);
      const job = newJob({ Video: videoA }, Date.now());
      await store.putNew(job);
      expect(await store.finish(succeedJob(job, bottleAnalysis, Date.now()))).toBe(true);
      expect(await store.finish(failJob(job, 'a late second worker', Date.now()))).toBe(false);
      expect(await store.get(job.JobId)).toMatchObject({ JobStatus: 'SUCCEEDED', analysis: bottleAnalysis });
      expect(await store.processingCounts(job.JobId)).toEqual({ runs: 0, finishes: 2 });
    });

    it('lets exactly one of many concurrent starts claim a token', async () => {
      const secondConnection = new Redis(server.url);
      const stores = [new RedisJobStore(redis, keys), new RedisJobStore(secondConnection, keys)];
      const jobs = Array.from({ length: 20 }, () => newJob({ Video: videoA, ClientRequestToken: 'race' }, Date.now()));
      const holders = await Promise.all(jobs.map((job, index) => stores[index % 2]!.putNew(job)));
      expect(new Set(holders.map((holder) => holder.JobId)).size).toBe(1);
      const stored = await Promise.all(jobs.map((job) => redis.exists(keys.job(job.JobId))));
      expect(stored.filter((exists) => exists === 1)).toHaveLength(1);
      expect((await stores[1]!.findByClientRequestToken('race'))?.JobId).toBe(holders[0]?.JobId);
      secondConnection.disconnect();
    });

    it('refuses a damaged record with the key at fault', async () => {
      const store = new RedisJobStore(redis, keys);
      await redis.hset(keys.job('damaged'), 'status', 'IN_PROGRESS', 'record', '{"JobId":"damaged"');
      await expect(store.get('damaged')).rejects.toBeInstanceOf(InternalServerError);
      await expect(store.get('damaged')).rejects.toThrow(keys.job('damaged'));
    });
  });
});
