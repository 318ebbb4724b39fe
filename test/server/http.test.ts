/**
 * The HTTP layer over raw requests, with a stand-in analysis (no model, no video decoding):
 * protocol errors, an unauthenticated server, and a graceful close.
 */
import { GetLabelDetectionCommand, RekognitionClient, StartLabelDetectionCommand } from '@aws-sdk/client-rekognition';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelDetectionClient } from '../../src/client.js';
import { MAX_REQUEST_BODY_BYTES, startRekognitionServer, type RunningRekognitionServer } from '../../src/server/rekognition-server.js';
import { bottleAnalysis, deferred, makeBucket } from '../jobs/fixtures.js';

const post = (url: string, target: string | undefined, body: string, method = 'POST') =>
  fetch(`${url}/`, {
    method,
    headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': target } : {}) },
    body: method === 'GET' ? undefined : body,
  });

describe('the Rekognition HTTP server without credentials', () => {
  let root: string;
  let client: LabelDetectionClient;
  let server: RunningRekognitionServer;
  const log: string[] = [];

  beforeAll(async () => {
    let bucketDir: string;
    ({ root, bucketDir } = await makeBucket());
    client = new LabelDetectionClient({ buckets: { media: bucketDir }, analyzeVideo: async () => bottleAnalysis });
    server = await startRekognitionServer({ client, port: 0, log: (line) => log.push(line) });
  });

  afterAll(async () => {
    await server?.close();
    await client?.destroy();
    await rm(root, { recursive: true, force: true });
  });

  it('accepts unsigned requests and requests signed with any key', async () => {
    const started = await post(server.url, 'RekognitionService.StartLabelDetection', JSON.stringify({ Video: { S3Object: { Bucket: 'media', Name: 'a.mp4' } } }));
    expect(started.status).toBe(200);
    expect(started.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const { JobId } = (await started.json()) as { JobId: string };
    expect(JobId).toMatch(/^[0-9a-f]{64}$/);

    const sdk = new RekognitionClient({ endpoint: server.url, region: 'eu-central-1', credentials: { accessKeyId: 'any', secretAccessKey: 'thing' } });
    let status: string | undefined;
    for (let attempt = 0; attempt < 50 && status !== 'SUCCEEDED'; attempt += 1) {
      ({ JobStatus: status } = await sdk.send(new GetLabelDetectionCommand({ JobId })));
    }
    expect(status).toBe('SUCCEEDED');
    const page = await sdk.send(new GetLabelDetectionCommand({ JobId, SortBy: 'NAME' }));
    // bottleAnalysis: Beverage and Bottle at 0 and 500 ms, both above the default MinConfidence 50.
    expect(page.Labels?.map((label) => label.Label?.Name)).toEqual(['Beverage', 'Beverage', 'Bottle', 'Bottle']);
  });

  it('answers protocol errors as JSON with a request id, and keeps serving', async () => {
    const cases = [
      { response: await post(server.url, 'RekognitionService.DetectLabels', '{}'), type: 'UnknownOperationException', message: /DetectLabels/ },
      { response: await post(server.url, undefined, '{}'), type: 'UnknownOperationException', message: /X-Amz-Target/ },
      { response: await post(server.url, 'RekognitionService.GetLabelDetection', '', 'GET'), type: 'UnknownOperationException', message: /GET \// },
      { response: await post(server.url, 'RekognitionService.GetLabelDetection', '{"JobId": '), type: 'SerializationException', message: /not valid JSON/ },
      { response: await post(server.url, 'RekognitionService.GetLabelDetection', '[1, 2]'), type: 'InvalidParameterException', message: /must be an object/ },
      {
        response: await post(server.url, 'RekognitionService.GetLabelDetection', `{"JobId": "${'x'.repeat(MAX_REQUEST_BODY_BYTES)}"}`),
        type: 'SerializationException',
        message: /larger than/,
      },
    ];
    for (const { response, type, message } of cases) {
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get('x-amzn-errortype')).toBe(type);
      const body = (await response.json()) as { __type: string; Code: string; Message: string };
      expect(body.__type).toBe(type);
      expect(body.Code).toBe(type);
      expect(body.Message).toMatch(message);
    }
    expect(log.filter((line) => / -> 400 /.test(line))).toHaveLength(cases.length);
    const stillServing = await post(server.url, 'RekognitionService.GetLabelDetection', '{"JobId": "unknown"}');
    expect(stillServing.status).toBe(400);
    expect(((await stillServing.json()) as { __type: string }).__type).toBe('ResourceNotFoundException');
  });

  it('answers failures that carry no exception name as 500 InternalServerError', async () => {
    const failing = await startRekognitionServer({
      client: {
        startLabelDetection: async () => {
          throw new TypeError('cannot read properties of undefined');
        },
        getLabelDetection: async () => ({}),
      },
      port: 0,
    });
    try {
      const sdk = new RekognitionClient({ endpoint: failing.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
      const error = await sdk.send(new StartLabelDetectionCommand({ Video: { S3Object: { Bucket: 'media', Name: 'a.mp4' } } })).catch((e: unknown) => e);
      expect((error as Error).name).toBe('InternalServerError');
      expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(500);
      expect((error as Error).message).toBe('cannot read properties of undefined');
    } finally {
      await failing.close();
    }
  });
});

describe('closing the server', () => {
  it('lets a request in flight finish, then refuses new connections', async () => {
    const answer = deferred<object>();
    const entered = deferred<void>();
    const server = await startRekognitionServer({
      client: {
        startLabelDetection: async () => ({}),
        getLabelDetection: () => {
          entered.resolve();
          return answer.promise as never;
        },
      },
      port: 0,
    });
    const inFlight = post(server.url, 'RekognitionService.GetLabelDetection', '{"JobId": "slow"}');
    await entered.promise;
    const closed = server.close();
    let closeDone = false;
    void closed.then(() => (closeDone = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closeDone).toBe(false);
    answer.resolve({ JobStatus: 'IN_PROGRESS' });
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ JobStatus: 'IN_PROGRESS' });
    await closed;
    await expect(post(server.url, 'RekognitionService.GetLabelDetection', '{}')).rejects.toThrow();
  });

  it('does not wait for a client that went away in the middle of its request', async () => {
    const server = await startRekognitionServer({
      client: { startLabelDetection: async () => ({}), getLabelDetection: async () => ({}) },
      port: 0,
    });
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    let closedByServer = false;
    socket.on('end', () => (closedByServer = true));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: RekognitionService.GetLabelDetection\r\nContent-Length: 100\r\n\r\n{"JobId"');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closedInTime = await Promise.race([
      server.close().then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 2000)),
    ]);
    expect(closedInTime).toBe(true);
  });
});

describe('keep-alive connections', () => {
  let root: string;
  let client: LabelDetectionClient;
  let server: RunningRekognitionServer;

  beforeAll(async () => {
    let bucketDir: string;
    ({ root, bucketDir } = await makeBucket());
    client = new LabelDetectionClient({ buckets: { media: bucketDir }, analyzeVideo: async () => bottleAnalysis });
    server = await startRekognitionServer({ client, port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    await client?.destroy();
    await rm(root, { recursive: true, force: true });
  });

  it('keeps an idle keep-alive connection open for longer than a client pause of a few seconds', async () => {
    // Node's default (5 s) closed idle sockets under clients that reuse them: "socket hang up" under load.
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    let closedByServer = false;
    socket.on('end', () => (closedByServer = true));
    const request = 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: RekognitionService.GetLabelDetection\r\nContent-Length: 18\r\n\r\n{"JobId": "none"}\n';
    const answered = async () => String((await once(socket, 'data'))[0]);
    socket.write(request);
    expect(await answered()).toMatch(/^HTTP\/1\.1 400 .*ResourceNotFoundException/s);
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(closedByServer).toBe(false);
    socket.write(request);
    expect(await answered()).toMatch(/^HTTP\/1\.1 400 .*ResourceNotFoundException/s);
    socket.destroy();
  }, 15_000);
});
