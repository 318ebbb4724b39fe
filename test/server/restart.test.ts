/**
 * `serve` as a real process: videos read from an S3-compatible endpoint (s3rver), results that
 * survive a clean restart, and a job whose process was killed that comes back FAILED.
 */
import {
  GetLabelDetectionCommand,
  InvalidS3ObjectException,
  RekognitionClient,
  StartLabelDetectionCommand,
  type GetLabelDetectionResponse,
  type RekognitionServiceException,
} from '@aws-sdk/client-rekognition';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { media } from '../media.js';

const VIDEO = media.bottle;
const S3_BUCKET = 'remote-videos';
const S3_KEY = 'clips/bottle.mp4';
/** s3rver's built-in credentials. */
const s3Credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const serverCredentials = { accessKeyId: 'AKIDRESTART', secretAccessKey: 'restart-secret' };

interface ServeProcess {
  url: string;
  child: ChildProcess;
  output: string[];
}

async function startServeProcess(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/serve-process.ts', ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: s3Credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3Credentials.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      EDGE_LABEL_DETECTION_ACCESS_KEY_ID: serverCredentials.accessKeyId,
      EDGE_LABEL_DETECTION_SECRET_ACCESS_KEY: serverCredentials.secretAccessKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const listening = /^listening on (\S+)$/.exec(line);
      if (listening?.[1]) resolve(listening[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening:\n${output.join('\n')}`)));
  });
  return { url, child, output };
}

async function stopServeProcess({ child }: ServeProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill(signal);
  const [code] = await exited;
  return code as number | null;
}

const rekognition = (url: string) => new RekognitionClient({ endpoint: url, region: 'us-east-1', credentials: serverCredentials, maxAttempts: 1 });

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 110_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const filesIn = (directory: string): Promise<string[]> => readdir(directory).catch(() => []);

describe('serve as a process, with S3 and restarts', () => {
  let root: string;
  let dataDir: string;
  let downloadDir: string;
  let s3rver: S3rver;
  let s3Endpoint: string;
  let serve: ServeProcess | undefined;
  let s3JobId: string;
  let resultBeforeRestart: GetLabelDetectionResponse;
  let firstPage: GetLabelDetectionResponse;
  let secondPage: GetLabelDetectionResponse;
  const serveArgs = () => ['--port', '0', '--data-dir', dataDir, '--s3-endpoint', s3Endpoint, '--fps', '1', '--workers', '2'];

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'serve-restart-'));
    dataDir = path.join(root, 'data');
    downloadDir = path.join(dataDir, 's3-downloads');
    s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: path.join(root, 's3'), configureBuckets: [{ name: S3_BUCKET, configs: [] }] });
    const { port } = await s3rver.run();
    s3Endpoint = `http://127.0.0.1:${port}`;
    const s3 = new S3Client({ endpoint: s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3Credentials });
    await s3.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: S3_KEY, Body: await readFile(VIDEO) }));
    await s3.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: 'notes.txt', Body: 'not a video at all' }));
    serve = await startServeProcess(serveArgs());
  });

  afterAll(async () => {
    if (serve) await stopServeProcess(serve, 'SIGKILL');
    await s3rver?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('analyses a video read from S3 through a temporary copy that is deleted afterwards', async () => {
    const client = rekognition(serve!.url);
    ({ JobId: s3JobId = '' } = await client.send(new StartLabelDetectionCommand({ Video: { S3Object: { Bucket: S3_BUCKET, Name: S3_KEY } } })));
    const videoBytes = (await stat(VIDEO)).size;
    // The job works on a whole local copy of the object while it runs.
    const copy = await until('the downloaded copy', async () => {
      for (const file of await filesIn(downloadDir)) {
        const size = (await stat(path.join(downloadDir, file)).catch(() => undefined))?.size;
        if (size === videoBytes) return file;
      }
      return undefined;
    });
    expect(copy).toMatch(/\.mp4$/);
    resultBeforeRestart = await until('the end of the job', async () => {
      const response = await client.send(new GetLabelDetectionCommand({ JobId: s3JobId, MaxResults: 1000 }));
      return response.JobStatus === 'IN_PROGRESS' ? undefined : response;
    });
    expect(resultBeforeRestart.JobStatus).toBe('SUCCEEDED');
    expect(resultBeforeRestart.VideoMetadata).toMatchObject({ FrameWidth: 640, FrameHeight: 360 });
    expect(resultBeforeRestart.Labels?.some((label) => label.Label?.Name === 'Bottle')).toBe(true);
    expect(await filesIn(downloadDir)).toEqual([]);
    firstPage = await client.send(new GetLabelDetectionCommand({ JobId: s3JobId, MaxResults: 5 }));
    secondPage = await client.send(new GetLabelDetectionCommand({ JobId: s3JobId, MaxResults: 5, NextToken: firstPage.NextToken }));
    expect(secondPage.Labels).toEqual(resultBeforeRestart.Labels?.slice(5, 10));
  });

  it('refuses a missing key or bucket, and an object that is not a video, with InvalidS3ObjectException naming the object', async () => {
    const client = rekognition(serve!.url);
    for (const [S3Object, reason] of [
      [{ Bucket: S3_BUCKET, Name: 'clips/missing.mp4' }, /no such key/],
      [{ Bucket: 'no-such-bucket', Name: S3_KEY }, /no such bucket/],
      [{ Bucket: S3_BUCKET, Name: 'notes.txt' }, /not an MP4, MOV or AVI video/],
    ] as const) {
      const error = (await client.send(new StartLabelDetectionCommand({ Video: { S3Object } })).catch((e: unknown) => e)) as RekognitionServiceException;
      expect(error).toBeInstanceOf(InvalidS3ObjectException);
      expect(error.message).toContain(`s3://${S3Object.Bucket}/${S3Object.Name}`);
      expect(error.message).toMatch(reason);
    }
  });

  it('serves finished jobs unchanged after a clean restart, NextTokens included', async () => {
    expect(await stopServeProcess(serve!, 'SIGTERM')).toBe(0);
    serve = await startServeProcess(serveArgs());
    const client = rekognition(serve.url);
    expect(await client.send(new GetLabelDetectionCommand({ JobId: s3JobId, MaxResults: 1000 }))).toEqual({
      ...resultBeforeRestart,
      $metadata: expect.anything(),
    });
    const afterRestart = await client.send(new GetLabelDetectionCommand({ JobId: s3JobId, MaxResults: 5, NextToken: firstPage.NextToken }));
    expect(afterRestart.Labels).toEqual(secondPage.Labels);
  });

  it('ends a job whose server was killed mid-analysis as FAILED after the restart, and drops its copy', async () => {
    const client = rekognition(serve!.url);
    const { JobId } = await client.send(new StartLabelDetectionCommand({ Video: { S3Object: { Bucket: S3_BUCKET, Name: S3_KEY } } }));
    await until('the job to be analysing', async () => ((await filesIn(downloadDir)).length > 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await client.send(new GetLabelDetectionCommand({ JobId }))).JobStatus).toBe('IN_PROGRESS');
    await stopServeProcess(serve!, 'SIGKILL');
    expect((await filesIn(downloadDir)).length).toBe(1);

    serve = await startServeProcess(serveArgs());
    const afterKill = await rekognition(serve.url).send(new GetLabelDetectionCommand({ JobId }));
    expect(afterKill.JobStatus).toBe('FAILED');
    expect(afterKill.StatusMessage).toMatch(/interrupted/);
    expect(await filesIn(downloadDir)).toEqual([]);
  });
});
