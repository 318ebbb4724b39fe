/**
 * Two ways a queue deployment used to get stuck, on real processes and a real Redis:
 * a server killed between storing a job and enqueueing it (the job said IN_PROGRESS forever), and
 * an idle worker told to stop while Redis is down (it kept retrying until a second signal).
 */
import { RekognitionClient, StartLabelDetectionCommand } from '@aws-sdk/client-rekognition';
import { execa } from 'execa';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClientForQueue } from '../../src/distributed/queue-client.js';
import { projectKeys } from '../../src/distributed/redis-connection.js';
import { RedisJobStore } from '../../src/distributed/redis-job-store.js';
import { dispatchStrandedJobs, STRANDED_AFTER_MS } from '../../src/distributed/stranded-jobs.js';
import { failJob, newJob } from '../../src/jobs/job-record.js';
import { media } from '../media.js';
import { makeFramesClip } from '../reliability/media.js';
import { freePort, haveRedisServer, startRedisServer, type RedisServer } from './redis-server.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const request = (name: string) => ({ Video: { S3Object: { Bucket: 'media', Name: name } } });

describe.skipIf(!haveRedisServer)('stranded jobs and stopping workers', () => {
  let server: RedisServer;
  let redis: Redis;
  let directory: string;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    directory = await mkdtemp(path.join(tmpdir(), 'eld-stranded-'));
    await makeFramesClip(media.bottle, path.join(directory, 'bottle-2s.mp4'), 60);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('lists a stored job as undispatched until it is enqueued, and enqueues only stranded jobs still IN_PROGRESS', async () => {
    const queueName = 'stranded-unit';
    const store = new RedisJobStore(redis, projectKeys(queueName));
    const started = Date.now();
    const waiting = newJob(request('a.mp4'), started);
    const ended = newJob(request('b.mp4'), started);
    await store.putNew(waiting);
    await store.putNew(ended);
    await store.finish(failJob(ended, 'gone', started));
    const stored = Date.now();
    expect((await store.undispatchedJobIds(stored + 1)).sort()).toEqual([waiting.JobId, ended.JobId].sort());
    const dispatched: string[] = [];
    const dispatch = async (job: { JobId: string }) => void dispatched.push(job.JobId);
    // Younger than STRANDED_AFTER_MS: its server may be enqueueing it right now.
    expect(await dispatchStrandedJobs({ store, dispatch, now: () => started + STRANDED_AFTER_MS - 1000 })).toEqual([]);
    expect(await dispatchStrandedJobs({ store, dispatch, now: () => stored + STRANDED_AFTER_MS + 1 })).toEqual([waiting.JobId]);
    expect(dispatched).toEqual([waiting.JobId]);
    expect(await store.undispatchedJobIds(stored + STRANDED_AFTER_MS + 1)).toEqual([]);
  });

  it('a job stored by a server killed before it enqueued the job is enqueued by a worker and SUCCEEDS', async () => {
    const queueName = 'stranded-process';
    const port = await freePort();
    const serve = spawn(process.execPath, [cli, 'serve', '--queue', server.url, '--queue-name', queueName, '--port', String(port), '--bucket', `media=${directory}`], {
      env: { ...process.env, EDGE_LABEL_DETECTION_FAULT: 'exit-before-dispatch' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let serveOutput = '';
    serve.stdout.on('data', (chunk: Buffer) => (serveOutput += chunk.toString()));
    await vi.waitFor(() => expect(serveOutput).toMatch(/listening on/), { timeout: 30_000, interval: 100 });
    const rekognition = new RekognitionClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
    await expect(rekognition.send(new StartLabelDetectionCommand(request('bottle-2s.mp4')))).rejects.toThrow();
    rekognition.destroy();
    const [exitCode] = await once(serve, 'exit');
    expect(exitCode).toBe(137);
    // The server died between the two steps: the job is stored, IN_PROGRESS, and in no queue.
    const keys = projectKeys(queueName);
    const [JobId] = await new RedisJobStore(redis, keys).undispatchedJobIds(Date.now() + 1);
    expect(JobId).toBeDefined();
    const queue = new Queue(queueName, { connection: { url: server.url } });
    expect(await queue.getJob(JobId!)).toBeUndefined();
    await queue.close();

    // Only a worker runs now (the store is read directly): it is the one that finds the job.
    const store = new RedisJobStore(redis, keys);
    const worker = execa(process.execPath, [cli, 'worker', '--queue', server.url, '--queue-name', queueName, '--bucket', `media=${directory}`, '--workers', '1', '--fps', '1'], { reject: false });
    try {
      await vi.waitFor(async () => expect((await store.get(JobId!))?.JobStatus).toBe('SUCCEEDED'), { timeout: 90_000, interval: 500 });
    } finally {
      worker.kill('SIGTERM');
    }
    const stopped = await worker;
    expect(String(stopped.stdout) + String(stopped.stderr)).toMatch(new RegExp(`job ${JobId} enqueued: its server stored it and stopped before enqueueing it`));
    const client = await createClientForQueue(server.url, { queueName, buckets: { media: directory } });
    const result = await client.getLabelDetection({ JobId: JobId! });
    await client.destroy();
    expect(result.Labels?.map((label) => label.Label?.Name)).toContain('Bottle');
  }, 150_000);

  it('an idle worker exits within 5 s of one SIGTERM while Redis is unreachable', async () => {
    const own = await startRedisServer();
    const worker = execa(process.execPath, [cli, 'worker', '--queue', own.url, '--workers', '1'], { reject: false });
    let output = '';
    worker.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await vi.waitFor(() => expect(output).toMatch(/^model: /m), { timeout: 90_000, interval: 100 });
    await own.stop();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const signalled = Date.now();
    worker.kill('SIGTERM');
    const ended = await Promise.race([worker, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000))]);
    if (!ended) worker.kill('SIGKILL');
    expect(ended?.exitCode, output).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5000);
    expect(output).toMatch(/stopped/);
  }, 120_000);
});
