/**
 * The distributed mode end to end on real processes: a private redis-server, two `worker`
 * processes running the real pipeline on the shared bottle video, and two servers' clients.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LabelDetectionClient } from '../../src/client.js';
import { readHeartbeats } from '../../src/distributed/heartbeat.js';
import { createClientForQueue } from '../../src/distributed/queue-client.js';
import { formatQueueStatus, readQueueStatus } from '../../src/distributed/queue-status.js';
import { projectKeys, DEFAULT_QUEUE_NAME } from '../../src/distributed/redis-connection.js';
import { RedisJobStore } from '../../src/distributed/redis-job-store.js';
import { media } from '../media.js';
import { haveRedisServer, startRedisServer, type RedisServer } from './redis-server.js';
import { killWorkerProcess, startWorkerProcess, type WorkerProcess } from './worker-processes.js';

const bottleVideo = { S3Object: { Bucket: 'media', Name: 'bottle-detection.mp4' } };
const JOBS = 10;
/** The bottle video lasts 39.9 s: at 0.5 fps, frames at 0, 2, ..., 38 s. */
const FRAMES_PER_JOB = 20;

describe.skipIf(!haveRedisServer)('one queue, two servers, two worker processes', () => {
  let server: RedisServer;
  let redis: Redis;
  let store: RedisJobStore;
  const workers: WorkerProcess[] = [];
  const clients: LabelDetectionClient[] = [];
  const workerArgs = (name: string) => ['--queue', server.url, '--bucket', `media=${media.directory}`, '--fps', '0.5', '--workers', '1', '--name', name];

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    store = new RedisJobStore(redis, projectKeys(DEFAULT_QUEUE_NAME));
    workers.push(...(await Promise.all([startWorkerProcess(workerArgs('worker-a')), startWorkerProcess(workerArgs('worker-b'))])));
    for (let index = 0; index < 2; index += 1) clients.push(await createClientForQueue(server.url, { buckets: { media: media.directory } }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.destroy()));
    await Promise.all(workers.map(killWorkerProcess));
    redis?.disconnect();
    await server?.stop();
  });

  it('runs 10 jobs started on two servers to SUCCEEDED, each analysed exactly once, readable on the other server', async () => {
    const [first, second] = clients as [LabelDetectionClient, LabelDetectionClient];
    const jobIds: string[] = [];
    for (let index = 0; index < JOBS; index += 1) {
      const { JobId } = await (index % 2 === 0 ? first : second).startLabelDetection({ Video: bottleVideo, JobTag: `job-${index}` });
      jobIds.push(JobId as string);
    }
    const readOnTheOtherServer = (index: number) => (index % 2 === 0 ? second : first).getLabelDetection({ JobId: jobIds[index] as string, SortBy: 'NAME' });
    await vi.waitFor(
      async () => {
        const statuses = await Promise.all(jobIds.map((_, index) => readOnTheOtherServer(index).then((response) => response.JobStatus)));
        expect(statuses.filter((status) => status === 'IN_PROGRESS')).toEqual([]);
      },
      { timeout: 400_000, interval: 1000 },
    );
    for (const [index, JobId] of jobIds.entries()) {
      const response = await readOnTheOtherServer(index);
      expect(response).toMatchObject({ JobId, JobStatus: 'SUCCEEDED', JobTag: `job-${index}` });
      // Three bottles stand on the table for the whole video.
      expect(response.Labels?.some((label) => label.Label?.Name === 'Bottle')).toBe(true);
      expect(await store.processingCounts(JobId)).toEqual({ runs: 1, finishes: 1 });
    }
    for (const worker of workers) {
      expect(worker.output()).toMatch(/^backend: \w+ \(@tensorflow\/[\w-]+\)/m);
      expect(worker.output()).toMatch(/^model: centernet, 1 detector thread, concurrency 1 job at a time$/m);
    }
    // Both workers were idle when ten jobs arrived, so both took some.
    const jobsEndedBy = workers.map((worker) => worker.output().match(/ SUCCEEDED \(/g)?.length ?? 0);
    expect(jobsEndedBy.every((count) => count > 0)).toBe(true);
    expect(jobsEndedBy.reduce((sum, count) => sum + count, 0)).toBe(JOBS);

    const status = await readQueueStatus({ url: server.url });
    expect(status.counts).toMatchObject({ waiting: 0, active: 0, completed: JOBS, failed: 0 });
    expect(status.workers.map((worker) => worker.name)).toEqual(['worker-a', 'worker-b']);
    expect(status.workers.map((worker) => worker.detectorThreads)).toEqual([1, 1]);
    await vi.waitFor(async () => {
      const heartbeats = await readHeartbeats(redis, projectKeys(DEFAULT_QUEUE_NAME));
      expect(heartbeats.reduce((sum, worker) => sum + worker.framesDone, 0)).toBe(JOBS * FRAMES_PER_JOB);
    });
    const lines = formatQueueStatus(status);
    expect(lines[1]).toBe(`jobs: 0 waiting, 0 active, 0 delayed, ${JOBS} completed, 0 failed`);
    expect(lines.filter((line) => /^ {2}worker-[ab] \| running \| \w+/.test(line))).toHaveLength(2);
  }, 600_000);

  it('drains on SIGTERM: the worker finishes its running job, records it and exits 0', async () => {
    const [first] = clients as [LabelDetectionClient];
    const { JobId } = await first.startLabelDetection({ Video: bottleVideo });
    let holder: WorkerProcess | undefined;
    await vi.waitFor(
      async () => {
        const heartbeats = await readHeartbeats(redis, projectKeys(DEFAULT_QUEUE_NAME));
        const heartbeat = heartbeats.find((worker) => worker.activeJobIds.includes(JobId as string));
        holder = workers.find((worker) => heartbeat !== undefined && worker.pid === heartbeat.pid);
        expect(holder).toBeDefined();
      },
      { timeout: 30_000, interval: 100 },
    );
    expect((await store.get(JobId as string))?.JobStatus).toBe('IN_PROGRESS');
    holder?.signal('SIGTERM');
    expect(await holder?.exited).toBe(0);
    expect(holder?.output()).toContain(`job ${JobId} SUCCEEDED`);
    expect(await store.get(JobId as string)).toMatchObject({ JobStatus: 'SUCCEEDED' });
    expect(await store.processingCounts(JobId as string)).toEqual({ runs: 1, finishes: 1 });
    // A worker that stopped on purpose leaves the status at once.
    expect((await readQueueStatus({ url: server.url })).workers).toHaveLength(1);
  }, 120_000);
});
