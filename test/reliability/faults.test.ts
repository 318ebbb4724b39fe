/**
 * Faults while jobs run: detector worker threads that die or throw (injected with
 * EDGE_LABEL_DETECTION_FAULT, see parseInjectedFault), ffmpeg killed mid-stream, and a job store killed mid-write. Every
 * job ends, SUCCEEDED when the frame could be retried, else FAILED saying why.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelDetectionClient, type JobProgress } from '../../src/client.js';
import { FAULT_VARIABLE, parseInjectedFault } from '../../src/detect/pool.js';
import { InvalidParameterException } from '../../src/errors.js';
import { FileJobStore } from '../../src/jobs/file-job-store.js';
import { media } from '../media.js';
import { untilEnded } from './jobs.js';
import { makeClip } from './media.js';

const video = (Name: string) => ({ S3Object: { Bucket: 'media', Name } });

describe('parseInjectedFault', () => {
  it('reads crash-at:N, crash-from:N, throw-at:N and throw-from:N, with a fresh pool-wide counter, and nothing from an unset variable', () => {
    const counter = expect.any(Int32Array);
    expect(parseInjectedFault('crash-at:3')).toEqual({ kind: 'crash', detection: 3, repeat: false, counter });
    expect(parseInjectedFault('crash-from:1')).toEqual({ kind: 'crash', detection: 1, repeat: true, counter });
    expect(parseInjectedFault('throw-at:12')).toEqual({ kind: 'throw', detection: 12, repeat: false, counter });
    expect(parseInjectedFault('throw-from:2')).toEqual({ kind: 'throw', detection: 2, repeat: true, counter });
    expect(parseInjectedFault('crash-at:3')?.counter.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(parseInjectedFault(undefined)).toBeUndefined();
    expect(parseInjectedFault('')).toBeUndefined();
  });

  it.each(['crash', 'crash-at:0', 'explode-at:2', 'throw-from:-1', 'crash-after:2'])('refuses %j naming the variable', (value) => {
    expect(() => parseInjectedFault(value)).toThrow(InvalidParameterException);
    expect(() => parseInjectedFault(value)).toThrow(`${FAULT_VARIABLE}: expected crash-at:N, crash-from:N, throw-at:N, throw-from:N or exit-before-dispatch, got "${value}"`);
  });
});

describe('detector worker faults (real pipeline, 1 worker, 2 fps on a 2 s clip: 5 frames)', () => {
  let directory: string;
  const clients: LabelDetectionClient[] = [];

  /** Its detector pool starts with its first job, under the fault `runUnder` sets for that job. */
  const newClient = () => {
    const client = new LabelDetectionClient({ buckets: { media: directory }, analyze: { fps: 2, workers: 1 } });
    clients.push(client);
    return client;
  };
  /** Runs one job with EDGE_LABEL_DETECTION_FAULT set to `fault`. */
  const runUnder = async (fault: string | undefined, client: LabelDetectionClient) => {
    if (fault === undefined) delete process.env[FAULT_VARIABLE];
    else process.env[FAULT_VARIABLE] = fault;
    try {
      const { JobId = '' } = await client.startLabelDetection({ Video: video('clip.mp4') });
      return await untilEnded(client, JobId);
    } finally {
      delete process.env[FAULT_VARIABLE];
    }
  };

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'reliability-faults-'));
    await makeClip(path.join(directory, 'clip.mp4'), 2);
  });

  afterAll(async () => {
    delete process.env[FAULT_VARIABLE];
    await Promise.all(clients.map((client) => client.destroy()));
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('retries the frame whose worker thread exits, on the thread that replaces it: same labels as without faults', async () => {
    const clean = await runUnder(undefined, newClient());
    expect(clean.JobStatus).toBe('SUCCEEDED');
    // The pool's 2nd detection kills its thread; that frame is analysed again on the replacement.
    const faulty = await runUnder('crash-at:2', newClient());
    expect(faulty.StatusMessage).toBeUndefined();
    expect(faulty.JobStatus).toBe('SUCCEEDED');
    expect(faulty.Labels).toEqual(clean.Labels);
    expect(faulty.Labels?.length).toBeGreaterThan(0);
  });

  it('fails the job, naming the frame, when the retry dies too; the next job is not stuck either', async () => {
    const client = newClient();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const ended = await runUnder('crash-from:1', client);
      expect(ended.JobStatus).toBe('FAILED');
      expect(ended.StatusMessage).toMatch(/^detector: the frame at \d+ ms could not be analysed: its worker thread failed twice \(worker exited with code: 1\)$/);
    }
  });

  it('fails the job with the error of a detection that throws, without retrying it', async () => {
    const ended = await runUnder('throw-at:1', newClient());
    expect(ended.JobStatus).toBe('FAILED');
    expect(ended.StatusMessage).toBe('detector: the frame at 0 ms could not be analysed: injected fault: detection 1 of the pool throws');
  });
});

/** Pids of this process's direct children whose command line contains `text`. */
async function childProcessesWith(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const [stat, commandLine] = await Promise.all([
      readFile(`/proc/${entry}/stat`, 'utf8').catch(() => ''),
      readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => ''),
    ]);
    // The parent pid is the 2nd field after the parenthesised command name.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === process.pid && commandLine.includes(text)) pids.push(Number(entry));
  }
  return pids;
}

describe('ffmpeg killed mid-stream', () => {
  let client: LabelDetectionClient;

  beforeAll(() => {
    client = new LabelDetectionClient({ buckets: { media: media.directory }, analyze: { fps: 1, workers: 1 } });
  });
  afterAll(() => client?.destroy());

  it('fails the job saying ffmpeg was killed', async () => {
    const { JobId = '' } = await client.startLabelDetection({ Video: video('bottle-detection.mp4') });
    await new Promise<void>((resolve) => {
      const onProgress = ({ JobId: id }: JobProgress) => {
        if (id !== JobId) return;
        client.off('progress', onProgress);
        resolve();
      };
      client.on('progress', onProgress);
    });
    const decoders = await childProcessesWith('bottle-detection.mp4');
    expect(decoders).toHaveLength(1);
    process.kill(decoders[0] as number, 'SIGKILL');
    const ended = await untilEnded(client, JobId);
    expect(ended.JobStatus).toBe('FAILED');
    expect(ended.StatusMessage).toBe('s3://media/bottle-detection.mp4: decoding stopped: ffmpeg was killed by SIGKILL');
  });
});

describe('the job store killed in the middle of writes', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'reliability-store-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it.each([40, 150, 400])('never reads back a torn record after a SIGKILL %i ms into a write loop', async (delayMs) => {
    const writer = spawn(process.execPath, ['--import', 'tsx', 'test/reliability/store-writer.ts', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(writer, 'exit');
    await new Promise<void>((resolve) => createInterface({ input: writer.stdout }).once('line', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    writer.kill('SIGKILL');
    await exited;

    const store = await FileJobStore.open(dataDir);
    const record = await store.get('interrupted-write');
    const generation = record?.endedAtMs ?? -1;
    expect(generation).toBeGreaterThanOrEqual(0);
    const message = record?.StatusMessage ?? '';
    expect(message.startsWith(`generation ${generation} `)).toBe(true);
    expect(message.length).toBe(generation % 2 === 0 ? 400_000 : `generation ${generation} `.length);
    // Opening took the directory over from the dead writer and removed its half-written file.
    expect((await readdir(path.join(dataDir, 'jobs'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
