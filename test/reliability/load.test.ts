/**
 * `serve` as its own process under load, driven through the real AWS SDK on loopback: 200
 * StartLabelDetection calls at once, then one ClientRequestToken sent 20 times at once.
 */
import {
  GetLabelDetectionCommand,
  LimitExceededException,
  RekognitionClient,
  StartLabelDetectionCommand,
  type GetLabelDetectionResponse,
} from '@aws-sdk/client-rekognition';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from './media.js';

const CALLS = 200;
/** Rekognition's quota of open jobs, the server's default. */
const OPEN_JOBS_QUOTA = 20;
/** The serve process (Node, two model threads, queues, HTTP) must stay under this however many calls arrive. */
const MAX_PEAK_RSS_BYTES = 1.5 * 1024 ** 3;

async function startServe(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/serve-process.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const listening = /^listening on (\S+)$/.exec(line);
      if (listening?.[1]) resolve(listening[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening:\n${output.join('\n')}`)));
  });
  return { child, url };
}

/** The most memory the process ever had resident (Linux VmHWM), in bytes. */
async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1]) * 1024;
}

async function untilEnded(rekognition: RekognitionClient, JobId: string, deadline: number): Promise<GetLabelDetectionResponse> {
  for (;;) {
    const response = await rekognition.send(new GetLabelDetectionCommand({ JobId }));
    if (response.JobStatus !== 'IN_PROGRESS') return response;
    if (Date.now() > deadline) throw new Error(`job ${JobId} is stuck IN_PROGRESS`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe(`serve under load: ${CALLS} StartLabelDetection calls at once (1 s clips, 1 fps, 2 workers, 2 jobs at a time)`, () => {
  let root: string;
  let dataDir: string;
  let serve: { child: ChildProcess; url: string };
  let rekognition: RekognitionClient;
  const jobFiles = async () => (await readdir(path.join(dataDir, 'jobs'))).filter((name) => name.endsWith('.json'));

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'reliability-load-'));
    dataDir = path.join(root, 'data');
    const bucket = path.join(root, 'bucket');
    await mkdir(bucket);
    const clip = await makeClip(path.join(root, 'clip.mp4'), 1);
    // One file per call: the server reuses the analysis of an unchanged file, and every job should cost one.
    await Promise.all(Array.from({ length: CALLS }, (_, index) => copyFile(clip, path.join(bucket, `clip-${index}.mp4`))));
    serve = await startServe(['--port', '0', '--data-dir', dataDir, '--bucket', `media=${bucket}`, '--fps', '1', '--workers', '2', '--max-concurrent-jobs', '2']);
    rekognition = new RekognitionClient({
      endpoint: serve.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOAD', secretAccessKey: 'load' },
      // Each refusal must reach the test as it is; the SDK would otherwise retry LimitExceededException.
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    if (serve && serve.child.exitCode === null) {
      const exited = once(serve.child, 'exit');
      serve.child.kill('SIGTERM');
      await exited;
    }
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('accepts each call or refuses it with LimitExceededException; every accepted job SUCCEEDS, once, and memory stays bounded', { timeout: 150_000 }, async () => {
    const started = Date.now();
    const settled = await Promise.allSettled(
      Array.from({ length: CALLS }, (_, index) =>
        rekognition.send(new StartLabelDetectionCommand({ Video: { S3Object: { Bucket: 'media', Name: `clip-${index}.mp4` } } })),
      ),
    );
    const answeredMs = Date.now() - started;
    const accepted = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value.JobId ?? ''] : []));
    const refusals = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
    const otherErrors = refusals.filter((error) => !(error instanceof LimitExceededException)).map((error) => `${error.name}: ${error.message}`);

    expect(otherErrors).toEqual([]);
    expect(accepted.length + refusals.length).toBe(CALLS);
    expect(accepted.length).toBeGreaterThanOrEqual(OPEN_JOBS_QUOTA);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(accepted.every((JobId) => /^[0-9a-f]{64}$/.test(JobId))).toBe(true);

    const deadline = Date.now() + 120_000;
    const ended = await Promise.all(accepted.map((JobId) => untilEnded(rekognition, JobId, deadline)));
    const elapsedMs = Date.now() - started;
    expect(ended.map((job) => job.JobStatus)).toEqual(accepted.map(() => 'SUCCEEDED'));
    // No job was lost or stored twice, and no refused call left a job behind.
    expect((await jobFiles()).sort()).toEqual(accepted.map((JobId) => `${JobId}.json`).sort());

    const peak = await peakRss(serve.child.pid as number);
    console.log(
      `load: ${CALLS} calls answered in ${(answeredMs / 1000).toFixed(1)} s: ${accepted.length} accepted, ${refusals.length} refused ` +
        `(LimitExceededException); ${accepted.length} SUCCEEDED after ${(elapsedMs / 1000).toFixed(1)} s; ` +
        `serve peak RSS ${(peak / 1024 ** 2).toFixed(0)} MiB`,
    );
    expect(peak).toBeLessThan(MAX_PEAK_RSS_BYTES);
  });

  it('starts one job for the same ClientRequestToken sent 20 times at once over HTTP', async () => {
    const before = await jobFiles();
    const request = { Video: { S3Object: { Bucket: 'media', Name: 'clip-0.mp4' } }, ClientRequestToken: 'same-token-20-times', JobTag: 'idempotent' };
    const responses = await Promise.all(Array.from({ length: 20 }, () => rekognition.send(new StartLabelDetectionCommand(request))));
    const jobIds = new Set(responses.map((response) => response.JobId));
    expect(jobIds.size).toBe(1);
    const [JobId = ''] = jobIds;
    expect((await jobFiles()).filter((name) => !before.includes(name))).toEqual([`${JobId}.json`]);
    expect((await untilEnded(rekognition, JobId, Date.now() + 60_000)).JobStatus).toBe('SUCCEEDED');
  });
});
