/**
 * The server as the real AWS SDK and AWS CLI see it: one real analysis of bottle-detection.mp4
 * (fps 1, 2 workers) behind Signature V4, shared by every assertion below.
 */
import {
  GetLabelDetectionCommand,
  InvalidPaginationTokenException,
  InvalidParameterException,
  InvalidS3ObjectException,
  RekognitionClient,
  RekognitionServiceException,
  ResourceNotFoundException,
  StartLabelDetectionCommand,
  type GetLabelDetectionResponse,
  type LabelDetection,
} from '@aws-sdk/client-rekognition';
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServeArgs, startService, type RunningService } from '../../src/cli/serve-command.js';
import { media } from '../media.js';
import { startFakeSns, type FakeSns, type PublishedMessage } from './fake-sns.js';

const MEDIA_DIR = media.directory;
const credentials = { accessKeyId: 'AKIDSERVERTEST', secretAccessKey: 'server-test-secret' };
const region = 'us-east-1';
const channel = { SNSTopicArn: 'arn:aws:sns:us-east-1:123456789012:label-jobs', RoleArn: 'arn:aws:iam::123456789012:role/Publish' };
const startRequest = {
  Video: { S3Object: { Bucket: 'media', Name: 'bottle-detection.mp4' } },
  ClientRequestToken: 'server-sdk-test',
  JobTag: 'server-test',
  NotificationChannel: channel,
};

const rekognition = (url: string, keys = credentials) =>
  new RekognitionClient({ endpoint: url, region, credentials: keys, maxAttempts: 1 });

async function thrownBy(promise: Promise<unknown>): Promise<RekognitionServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as RekognitionServiceException;
  }
  throw new Error('the call succeeded');
}

async function untilEnded(client: RekognitionClient, JobId: string): Promise<GetLabelDetectionResponse> {
  const deadline = Date.now() + 110_000;
  while (Date.now() < deadline) {
    const response = await client.send(new GetLabelDetectionCommand({ JobId, MaxResults: 1000 }));
    if (response.JobStatus !== 'IN_PROGRESS') return response;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`job ${JobId} still IN_PROGRESS`);
}

describe('serve, through the AWS SDK and the AWS CLI', () => {
  let dataDir: string;
  let sns: FakeSns;
  let service: RunningService;
  let client: RekognitionClient;
  let jobId: string;
  let result: GetLabelDetectionResponse;
  let published: Promise<PublishedMessage>;
  const log: string[] = [];
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    // The outgoing SNS client reads the standard AWS credential chain.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'sns-key', AWS_SECRET_ACCESS_KEY: 'sns-secret' });
    dataDir = await mkdtemp(path.join(tmpdir(), 'serve-sdk-'));
    sns = await startFakeSns();
    const parsed = parseServeArgs(
      [
        ...['--port', '0', '--data-dir', dataDir, '--bucket', `media=${MEDIA_DIR}`, '--region', region],
        ...['--access-key-id', credentials.accessKeyId, '--secret-access-key', credentials.secretAccessKey],
        ...['--sns-endpoint', sns.url, '--fps', '1', '--workers', '2'],
      ],
      {},
    );
    if (parsed === 'help') throw new Error('unexpected --help');
    service = await startService(parsed, (line) => log.push(line));
    client = rekognition(service.url);
    published = sns.nextPublish();
    ({ JobId: jobId = '' } = await client.send(new StartLabelDetectionCommand(startRequest)));
    result = await untilEnded(client, jobId);
  });

  afterAll(async () => {
    await service?.close();
    await sns?.close();
    process.env = savedEnv;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('listens on loopback at the port the system picked', () => {
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(service.url).not.toMatch(/:0$/);
  });

  it('analyses the video: a SUCCEEDED job with the video metadata and bottles throughout', () => {
    expect(result.JobStatus).toBe('SUCCEEDED');
    expect(result.JobTag).toBe('server-test');
    expect(result.Video?.S3Object).toEqual(startRequest.Video.S3Object);
    expect(result.VideoMetadata).toMatchObject({ FrameWidth: 640, FrameHeight: 360 });
    expect(result.VideoMetadata?.DurationMillis).toBeGreaterThan(39_000);
    expect(result.VideoMetadata?.DurationMillis).toBeLessThan(41_000);
    const bottleTimes = new Set(result.Labels?.filter((label) => label.Label?.Name === 'Bottle').map((label) => label.Timestamp));
    // One to three bottles stand on the table for the whole clip; at 1 fps that is ~40 timestamps.
    expect(bottleTimes.size).toBeGreaterThan(30);
    expect(result.NextToken).toBeUndefined();
  });

  it('pages through the same labels with MaxResults', async () => {
    const pages: LabelDetection[][] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new GetLabelDetectionCommand({ JobId: jobId, MaxResults: 10, NextToken }));
      pages.push(page.Labels ?? []);
      NextToken = page.NextToken;
    } while (NextToken);
    expect(pages.length).toBe(Math.ceil((result.Labels?.length ?? 0) / 10));
    expect(pages.slice(0, -1).every((page) => page.length === 10)).toBe(true);
    expect(pages.flat()).toEqual(result.Labels);
  });

  it('publishes the completion message to the NotificationChannel topic', async () => {
    const message = await published;
    expect(message.TopicArn).toBe(channel.SNSTopicArn);
    expect(JSON.parse(message.Message ?? '')).toMatchObject({
      JobId: jobId,
      Status: 'SUCCEEDED',
      API: 'StartLabelDetection',
      JobTag: 'server-test',
      Video: { S3ObjectName: 'bottle-detection.mp4', S3Bucket: 'media' },
    });
    expect(log).toContain(`job ${jobId} SUCCEEDED`);
    expect(log.some((line) => line.startsWith(`notified ${channel.SNSTopicArn} of job ${jobId} (SUCCEEDED)`))).toBe(true);
  });

  it('answers a retry with the same ClientRequestToken with the same job', async () => {
    const retry = await client.send(new StartLabelDetectionCommand(startRequest));
    expect(retry.JobId).toBe(jobId);
  });

  it('decodes every error into the SDK exception classes, with status 400 and a request id', async () => {
    const cases = [
      {
        call: () => client.send(new StartLabelDetectionCommand({ ...startRequest, ClientRequestToken: undefined, MinConfidence: 101 })),
        type: InvalidParameterException,
        message: /MinConfidence/,
      },
      {
        call: () => client.send(new GetLabelDetectionCommand({ JobId: 'no-such-job' })),
        type: ResourceNotFoundException,
        message: /no-such-job/,
      },
      {
        call: () => client.send(new GetLabelDetectionCommand({ JobId: jobId, NextToken: 'not-a-token' })),
        type: InvalidPaginationTokenException,
        message: /NextToken/,
      },
      {
        call: () => client.send(new StartLabelDetectionCommand({ Video: { S3Object: { Bucket: 'media', Name: 'missing.mp4' } } })),
        type: InvalidS3ObjectException,
        message: /s3:\/\/media\/missing\.mp4/,
      },
      {
        call: () => client.send(new StartLabelDetectionCommand({ Video: { S3Object: { Bucket: 'media', Name: '../../etc/passwd' } } })),
        type: InvalidS3ObjectException,
        message: /leaves the bucket directory/,
      },
      {
        call: () => client.send(new StartLabelDetectionCommand({ Video: { S3Object: { Bucket: 'elsewhere', Name: 'a.mp4' } } })),
        type: InvalidS3ObjectException,
        message: /elsewhere/,
      },
    ];
    for (const { call, type, message } of cases) {
      const error = await thrownBy(call());
      expect(error).toBeInstanceOf(type);
      expect(error.message).toMatch(message);
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('refuses unsigned and wrongly signed requests, and keeps serving', async () => {
    const unsigned = await fetch(`${service.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'RekognitionService.GetLabelDetection' },
      body: JSON.stringify({ JobId: jobId }),
    });
    expect(unsigned.status).toBe(400);
    expect(unsigned.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });

    const wrongSecret = await thrownBy(
      rekognition(service.url, { ...credentials, secretAccessKey: 'wrong' }).send(new GetLabelDetectionCommand({ JobId: jobId })),
    );
    expect(wrongSecret).toBeInstanceOf(RekognitionServiceException);
    expect(wrongSecret.name).toBe('InvalidSignatureException');
    expect(wrongSecret.$metadata.httpStatusCode).toBe(400);

    const wrongKey = await thrownBy(
      rekognition(service.url, { ...credentials, accessKeyId: 'AKIDSOMEONEELSE' }).send(new GetLabelDetectionCommand({ JobId: jobId })),
    );
    expect(wrongKey.name).toBe('UnrecognizedClientException');

    const stillServing = await client.send(new GetLabelDetectionCommand({ JobId: jobId, MaxResults: 1 }));
    expect(stillServing.JobStatus).toBe('SUCCEEDED');
  });

  describe('AWS CLI', async () => {
    // Prefer AWS CLI v2 (Debian's awscli package, installed by .ci/run) over any v1 earlier on PATH.
    const candidates = ['/usr/bin/aws', 'aws'];
    const versions = await Promise.all(candidates.map((binary) => execa(binary, ['--version'], { reject: false })));
    const working = candidates.map((binary, index) => ({ binary, version: versions[index]! })).filter(({ version }) => version.exitCode === 0);
    const chosen = working.find(({ version }) => String(version.stdout).startsWith('aws-cli/2')) ?? working[0];
    const cliMissing = chosen === undefined;
    if (cliMissing) console.log(`skipping the AWS CLI tests: no working aws (${versions.map((v) => v.stderr || v.message).join('; ')})`);
    else console.log(`AWS CLI tests use ${chosen.binary}: ${String(chosen.version.stdout).split(' ')[0]}`);
    const awsBinary = chosen?.binary ?? 'aws';
    const aws = (args: string[]) =>
      execa(awsBinary, ['rekognition', ...args, '--endpoint-url', service.url, '--output', 'json'], {
        reject: false,
        extendEnv: true,
        env: {
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_DEFAULT_REGION: region,
          AWS_REGION: region,
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      });
    const startArgs = [
      'start-label-detection',
      ...['--video', JSON.stringify(startRequest.Video)],
      ...['--client-request-token', startRequest.ClientRequestToken],
      ...['--notification-channel', JSON.stringify(channel)],
    ];

    it.skipIf(cliMissing)('starts (an idempotent retry) and reads the job', async () => {
      const start = await aws([...startArgs, '--job-tag', startRequest.JobTag]);
      expect(start.stderr).toBe('');
      expect(JSON.parse(start.stdout)).toEqual({ JobId: jobId });

      const get = await aws(['get-label-detection', '--job-id', jobId, '--max-results', '5']);
      expect(get.exitCode).toBe(0);
      const page = JSON.parse(get.stdout) as GetLabelDetectionResponse;
      expect(page.JobStatus).toBe('SUCCEEDED');
      expect(page.Labels).toEqual(result.Labels?.slice(0, 5));
      expect(page.NextToken).toBeTruthy();
    });

    it.skipIf(cliMissing)('reports errors by their exception name', async () => {
      const missing = await aws(['get-label-detection', '--job-id', 'no-such-job']);
      expect(missing.exitCode).not.toBe(0);
      expect(missing.stderr).toMatch(/\(ResourceNotFoundException\) when calling the GetLabelDetection operation: .*no-such-job/);

      const mismatch = await aws([...startArgs, '--job-tag', 'another-tag']);
      expect(mismatch.stderr).toMatch(/\(IdempotentParameterMismatchException\)/);
    });
  });
});
