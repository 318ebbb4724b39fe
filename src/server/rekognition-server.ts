/**
 * An HTTP endpoint that answers StartLabelDetection and GetLabelDetection as Rekognition does, so
 * the AWS SDKs and the AWS CLI work against it with only an endpoint override.
 */
import type { GetLabelDetectionRequest, StartLabelDetectionRequest } from '@aws-sdk/client-rekognition';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LabelDetectionClient } from '../client.js';
import {
  describeError,
  errorResponse,
  operationOf,
  parseRequestBody,
  successResponse,
  wireError,
  type ServedOperation,
  type WireResponse,
} from './aws-json-protocol.js';
import { verifySignatureV4, type ServerCredentials } from './signature-v4.js';

export interface RekognitionServerOptions {
  client: Pick<LabelDetectionClient, 'startLabelDetection' | 'getLabelDetection'>;
  /** Default 127.0.0.1: the server is meant for this machine unless asked otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** When given, every request must carry a valid Signature V4 made with these credentials. */
  credentials?: ServerCredentials;
  /** The region signatures must be scoped to; any when absent. */
  region?: string;
  /** Failed requests and internal errors, one line each. */
  log?: (line: string) => void;
}

export interface RunningRekognitionServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  port: number;
  /** Stops accepting connections, lets requests in flight finish, then closes every connection. */
  close(): Promise<void>;
}

/** Rekognition requests are small JSON documents; anything bigger is refused before it is buffered. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
export const DEFAULT_HOST = '127.0.0.1';

/**
 * How long an idle keep-alive connection stays open. HTTP clients, the AWS SDK's included, reuse an
 * idle connection without knowing when the server will drop it; a request written just as the
 * server closes the socket fails with ECONNRESET ("socket hang up"). Node's 5 s default makes that
 * race common for a client that pauses a few seconds between bursts; AWS endpoints and load
 * balancers keep idle connections for about a minute, so this does too.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function startRekognitionServer(options: RekognitionServerOptions): Promise<RunningRekognitionServer> {
  const log = options.log ?? (() => {});
  const inFlight = new Set<Promise<void>>();
  let closing = false;

  const server = createServer((request, response) => {
    const handled = handleRequest(request, options, log).then((wire) => {
      // A body refused half-way leaves unread bytes on the connection, so it cannot be reused.
      if (closing || !request.complete) wire.headers.connection = 'close';
      return send(response, wire);
    }).catch((error: unknown) => log(`could not send a response: ${describeError(error).message}`));
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Headers of a request on a reused connection must be allowed to take longer than the idle wait.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  server.listen(options.port ?? 0, options.host ?? DEFAULT_HOST);
  await once(server, 'listening');
  const { address, port } = server.address() as AddressInfo;
  const closed = once(server, 'close');

  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    port,
    close: async () => {
      if (closing) return void (await closed);
      closing = true;
      server.close();
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Never rejects: every failure becomes the error response the service would send. */
async function handleRequest(request: IncomingMessage, options: RekognitionServerOptions, log: (line: string) => void): Promise<WireResponse> {
  const requestId = randomUUID();
  const target = singleHeader(request.headers['x-amz-target']);
  let wire: WireResponse;
  try {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://server');
    if (options.credentials) {
      await verifySignatureV4(
        {
          method: request.method ?? '',
          path: decodedPath(url.pathname),
          query: queryOf(url.searchParams),
          headers: request.headers,
          body,
        },
        options.credentials,
        { region: options.region, nowMs: Date.now() },
      );
    }
    const operation = operationOf(request.method, url.pathname, target);
    wire = successResponse(await invoke(options.client, operation, parseRequestBody(body)));
  } catch (error) {
    wire = errorResponse(error);
    const { name, message, fault } = describeError(error);
    log(`${request.method} ${target ?? request.url} -> ${wire.statusCode} ${name}: ${message} (request ${requestId})`);
    if (fault === 'server' && error instanceof Error && error.stack) log(error.stack);
  }
  wire.headers['x-amzn-requestid'] = requestId;
  return wire;
}

function invoke(client: RekognitionServerOptions['client'], operation: ServedOperation, input: unknown): Promise<object> {
  switch (operation) {
    case 'StartLabelDetection':
      return client.startLabelDetection(input as StartLabelDetectionRequest);
    case 'GetLabelDetection':
      return client.getLabelDetection(input as GetLabelDetectionRequest);
  }
}

async function readBody(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY_BYTES) {
      throw wireError('SerializationException', `The request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Settles when the response is sent, or when the client went away before it could be. */
function send(response: ServerResponse, wire: WireResponse): Promise<void> {
  const body = Buffer.from(wire.body);
  return new Promise((resolve) => {
    if (response.socket?.destroyed ?? true) return resolve();
    response.once('finish', resolve);
    response.once('close', resolve);
    response.writeHead(wire.statusCode, { ...wire.headers, 'content-length': String(body.length) });
    response.end(body);
  });
}

function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
}

function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

const singleHeader = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
