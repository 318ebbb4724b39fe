/**
 * Checks an incoming request's AWS Signature Version 4 (Authorization header form) by signing the
 * received request again with the server's secret and comparing the two signatures.
 *
 * The exception names and messages are the ones AWS JSON services answer with, so the SDKs and the
 * AWS CLI report them as they would against the real endpoint:
 * - no Authorization header: MissingAuthenticationTokenException
 * - a malformed one: IncompleteSignatureException
 * - an unknown access key: UnrecognizedClientException
 * - a wrong scope, a stale date, or a signature that does not match: InvalidSignatureException
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { timingSafeEqual } from 'node:crypto';
import { wireError } from './aws-json-protocol.js';

export interface ServerCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ReceivedRequest {
  method: string;
  /** The path without the query, percent-decoded. */
  path: string;
  query: Record<string, string | string[]>;
  /** Header names in lower case, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

export interface SignatureCheckOptions {
  /** The region signatures must be scoped to; any region when absent. */
  region?: string;
  nowMs: number;
}

export const SIGNING_SERVICE = 'rekognition';
/** How far X-Amz-Date may be from the server's clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const ALGORITHM = 'AWS4-HMAC-SHA256';
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';

/** SHA-256 in the constructor shape the signer expects (`new sha256(secret?)`, HMAC when given a secret). */
class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super('sha256', secret);
  }
}

interface AuthorizationHeader {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const incomplete = (message: string) => wireError('IncompleteSignatureException', message);
const invalid = (message: string) => wireError('InvalidSignatureException', message);

export async function verifySignatureV4(
  request: ReceivedRequest,
  credentials: ServerCredentials,
  options: SignatureCheckOptions,
): Promise<void> {
  const authorization = singleHeader(request.headers, 'authorization');
  if (authorization === undefined) {
    throw wireError('MissingAuthenticationTokenException', 'Missing Authentication Token: this server requires AWS Signature Version 4 requests');
  }
  const parsed = parseAuthorizationHeader(authorization);
  if (parsed.accessKeyId !== credentials.accessKeyId) {
    throw wireError(
      'UnrecognizedClientException',
      `The security token included in the request is invalid: access key ${parsed.accessKeyId} is not the one this server accepts`,
    );
  }
  if (parsed.service !== SIGNING_SERVICE) {
    throw invalid(`Credential should be scoped to correct service: '${SIGNING_SERVICE}', not '${parsed.service}'`);
  }
  if (options.region !== undefined && parsed.region !== options.region) {
    throw invalid(`Credential should be scoped to a valid region: '${options.region}', not '${parsed.region}'`);
  }
  for (const required of ['host', 'x-amz-date']) {
    if (!parsed.signedHeaders.includes(required)) throw incomplete(`SignedHeaders must include ${required}`);
  }
  const amzDate = singleHeader(request.headers, 'x-amz-date') ?? '';
  const signingDate = parseAmzDate(amzDate);
  if (amzDate.slice(0, 8) !== parsed.scopeDate) {
    throw invalid(`Date in Credential scope (${parsed.scopeDate}) does not match the date of X-Amz-Date (${amzDate})`);
  }
  checkClockSkew(amzDate, signingDate, options.nowMs);
  await checkDeclaredPayloadHash(request);

  // applyChecksum off: the signer must not add an x-amz-content-sha256 header the client did not sign.
  const signer = new SignatureV4({ credentials, region: parsed.region, service: SIGNING_SERVICE, sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: singleHeader(request.headers, 'host') ?? '',
      path: request.path,
      query: request.query,
      headers: signedHeaderValues(request.headers, parsed.signedHeaders),
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(parsed.signedHeaders) },
  );
  const expected = parseAuthorizationHeader(String(signed.headers.authorization)).signature;
  if (!sameText(expected, parsed.signature)) throw invalid(SIGNATURE_MISMATCH);
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/rekognition/aws4_request, SignedHeaders=a;b, Signature=hex` */
export function parseAuthorizationHeader(header: string): AuthorizationHeader {
  const [algorithm, ...rest] = header.trim().split(/\s+/);
  if (algorithm !== ALGORITHM) throw incomplete(`Authorization header: only ${ALGORITHM} is supported, got ${algorithm}`);
  const fields = new Map(
    rest
      .join('')
      .split(',')
      .map((part) => {
        const equals = part.indexOf('=');
        return [part.slice(0, equals), part.slice(equals + 1)] as const;
      }),
  );
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    throw incomplete('Authorization header requires Credential, SignedHeaders and Signature');
  }
  const scope = credential.split('/');
  const [accessKeyId, scopeDate, region, service, terminator] = scope;
  if (scope.length !== 5 || !accessKeyId || !scopeDate || !region || !service || terminator !== 'aws4_request') {
    throw incomplete(`Authorization header: Credential must be <access key>/<yyyymmdd>/<region>/<service>/aws4_request, got ${credential}`);
  }
  return { accessKeyId, scopeDate, region, service, signedHeaders: signedHeaders.toLowerCase().split(';'), signature };
}

function parseAmzDate(amzDate: string): Date {
  const parts = AMZ_DATE.exec(amzDate);
  if (!parts) throw incomplete(`X-Amz-Date must be an ISO 8601 basic date-time like 20240131T235959Z, got "${amzDate}"`);
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number) as [number, number, number, number, number, number];
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

function checkClockSkew(amzDate: string, signingDate: Date, nowMs: number): void {
  const minutes = MAX_CLOCK_SKEW_MS / 60_000;
  if (signingDate.getTime() < nowMs - MAX_CLOCK_SKEW_MS) {
    throw invalid(`Signature expired: ${amzDate} is now earlier than ${formatAmzDate(nowMs - MAX_CLOCK_SKEW_MS)} (now - ${minutes} min.)`);
  }
  if (signingDate.getTime() > nowMs + MAX_CLOCK_SKEW_MS) {
    throw invalid(`Signature not yet current: ${amzDate} is still later than ${formatAmzDate(nowMs + MAX_CLOCK_SKEW_MS)} (now + ${minutes} min.)`);
  }
}

const formatAmzDate = (ms: number): string => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');

/** The signer trusts a declared x-amz-content-sha256, so it must really be the body's hash. */
async function checkDeclaredPayloadHash(request: ReceivedRequest): Promise<void> {
  const declared = singleHeader(request.headers, 'x-amz-content-sha256');
  if (declared === undefined) return;
  const hash = new Sha256();
  hash.update(request.body);
  const actual = Buffer.from(await hash.digest()).toString('hex');
  if (declared !== actual) throw invalid('x-amz-content-sha256 does not match the hash of the request body');
}

function signedHeaderValues(headers: ReceivedRequest['headers'], signedHeaders: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = headers[name];
    if (value === undefined) throw incomplete(`The signed header ${name} is missing from the request`);
    values[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return values;
}

const singleHeader = (headers: ReceivedRequest['headers'], name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function sameText(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}
