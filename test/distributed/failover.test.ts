/**
 * What happens to a job whose worker goes away, on real processes: killed with SIGKILL mid-job
 * (BullMQ's stalled-job check hands the job to another worker, or fails it for good once it has
 * stalled more than allowed), or stopped with two SIGTERMs (the job is released to the queue).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LabelDetectionClient } from '../../src/client.js';
import { readHeartbeats } from '../../src/distributed/heartbeat.js';
import { createClientForQueue } from '../../src/distributed/queue-client.js';
import { projectKeys } from '../../src/distributed/redis-connection.js';
import { RedisJobStore } from '../../src/distributed/redis-job-store.js';
import { media } from '../media.js';
import { startFakeSns, type FakeSns } from '../server/fake-sns.js';
import { haveRedisServer, startRedisServer, type RedisServer } from './redis-server.js';
import { killWorkerProcess, startWorkerProcess, type WorkerProcess } from './worker-processes.js';

const bottleVideo = { S3Object: { Bucket: 'media', Name: 'bottle-detection.mp4' } };
const channel = { SNSTopicArn: 'arn:aws:sns:us-east-1:123456789012:label-jobs', RoleArn: 'arn:aws:iam::123456789012:role/RekognitionPublish' };
/** The SDK signs every request, so it needs some credentials; the fake endpoint does not check them. */
const awsEnv = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_REGION: 'us-east-1' };

describe.skipIf(!haveRedisServer)('a worker that goes away mid-job', () => {
  let server: RedisServer;
  let redis: Redis;
  let sns: FakeSns;
  const started: WorkerProcess[] = [];
  const clients: LabelDetectionClient[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    sns = await startFakeSns();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.destroy()));
    await Promise.all(started.map(killWorkerProcess));
    redis?.disconnect();
    await sns?.close();
    await server?.stop();
  });

  /** Two workers on their own queue; a lock of 3 s checked every second, so a dead worker's job moves within seconds. */
  async function setUp(queueName: string, maxStalledCount: number) {
    const args = (name: string) => [
      ...['--queue', server.url, '--queue-name', queueName, '--bucket', `media=${media.directory}`, '--fps', '0.5', '--workers', '1'],
      ...['--lock-duration', '3', '--stalled-interval', '1', '--max-stalled-count', String(maxStalledCount), '--name', name],
      ...['--sns-endpoint', sns.url],
    ];
    const workers = await Promise.all([startWorkerProcess(args(`${queueName}-a`), awsEnv), startWorkerProcess(args(`${queueName}-b`), awsEnv)]);
    started.push(...workers);
    const client = await createClientForQueue(server.url, { queueName, buckets: { media: media.directory } });
    clients.push(client);
    const keys = projectKeys(queueName);
    const store = new RedisJobStore(redis, keys);
    /** Starts a job and resolves with it and the worker process that took it, once the analysis has begun. */
    const startJob = async () => {
      const { JobId } = await client.startLabelDetection({ Video: bottleVideo, NotificationChannel: channel });
      let holder: WorkerProcess | undefined;
      await vi.waitFor(
        async () => {
          const heartbeat = (await readHeartbeats(redis, keys)).find((worker) => worker.activeJobIds.includes(JobId as string));
          holder = workers.find((worker) => heartbeat !== undefined && worker.pid === heartbeat.pid);
          expect(holder, `no worker reports job ${JobId} as active; their output:\n${workers.map((worker) => worker.output()).join('\n')}`).toBeDefined();
        },
        // Generous: other work may share this machine's two cores.
        { timeout: 60_000, interval: 100 },
      );
      const other = workers.find((worker) => worker !== holder) as WorkerProcess;
      return { JobId: JobId as string, holder: holder as WorkerProcess, other };
    };
    const ended = (JobId: string) =>
      vi.waitFor(
        async () => {
          const job = await store.get(JobId);
          expect(job?.JobStatus).not.toBe('IN_PROGRESS');
          return job;
        },
        { timeout: 90_000, interval: 250 },
      );
    return { client, store, startJob, ended };
  }

  it('hands the job of a worker killed with SIGKILL to the other worker, which records it and notifies once', async () => {
    const { client, store, startJob, ended } = await setUp('killed', 1);
    const { JobId, holder, other } = await startJob();
    expect((await store.get(JobId))?.JobStatus).toBe('IN_PROGRESS');
    holder.signal('SIGKILL');
    await holder.exited;
    expect(await ended(JobId)).toMatchObject({ JobStatus: 'SUCCEEDED' });
    expect(other.output()).toContain(`job ${JobId} SUCCEEDED`);
    // Taken up twice (once by the killed worker), ended once.
    expect(await store.processingCounts(JobId)).toEqual({ runs: 2, finishes: 1 });
    const response = await client.getLabelDetection({ JobId, SortBy: 'NAME' });
    expect(response.Labels?.some((label) => label.Label?.Name === 'Bottle')).toBe(true);
    await vi.waitFor(() => expect(sns.published.filter((message) => message.Message?.includes(JobId))).toHaveLength(1));
    const published = sns.published.find((message) => message.Message?.includes(JobId));
    expect(published?.TopicArn).toBe(channel.SNSTopicArn);
    expect(JSON.parse(published?.Message ?? '{}')).toMatchObject({ JobId, Status: 'SUCCEEDED', API: 'StartLabelDetection' });
  }, 180_000);

  it('ends the job FAILED, saying why, once it has lost its worker more often than maxStalledCount', async () => {
    const { client, store, startJob, ended } = await setUp('strict', 0);
    const { JobId, holder, other } = await startJob();
    holder.signal('SIGKILL');
    await holder.exited;
    const job = await ended(JobId);
    expect(job).toMatchObject({ JobStatus: 'FAILED' });
    expect(job?.StatusMessage).toMatch(/^No worker finished the job: job stalled more than allowable limit/);
    expect(other.output()).toContain(`job ${JobId} FAILED: No worker finished the job`);
    // The second worker never analysed it: BullMQ failed it on delivery.
    expect(await store.processingCounts(JobId)).toEqual({ runs: 1, finishes: 1 });
    const response = await client.getLabelDetection({ JobId });
    expect(response).toMatchObject({ JobStatus: 'FAILED', StatusMessage: job?.StatusMessage, Labels: [] });
  }, 180_000);

  it('on a second SIGTERM releases the running job to the queue, where another worker finishes it', async () => {
    const { store, startJob, ended } = await setUp('released', 1);
    const { JobId, holder, other } = await startJob();
    holder.signal('SIGTERM');
    await vi.waitFor(() => expect(holder.output()).toContain('draining:'));
    holder.signal('SIGTERM');
    expect(await holder.exited).toBe(0);
    expect(holder.output()).toContain(`job ${JobId} released to the queue`);
    expect(await ended(JobId)).toMatchObject({ JobStatus: 'SUCCEEDED' });
    expect(other.output()).toContain(`job ${JobId} SUCCEEDED`);
    expect(await store.processingCounts(JobId)).toEqual({ runs: 2, finishes: 1 });
  }, 180_000);
});
