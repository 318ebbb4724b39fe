import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LabelDetectionAggregateBy, LabelDetectionSortBy } from '@aws-sdk/client-rekognition';
import { invalidPaginationToken, invalidParameter } from '../errors.js';

/** GetLabelDetection's MaxResults: the default, and the most one page ever holds. */
export const MAX_RESULTS_LIMIT = 1000;

/** Rekognition's pagination tokens live 24 hours. */
export const PAGINATION_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export interface PageRequest {
  maxResults?: number;
  /** The NextToken of the previous page; absent or empty for the first page. */
  nextToken?: string;
}

/** What a token is bound to: a token only continues the listing it was issued for. */
export interface PaginationContext {
  jobId: string;
  sortBy: LabelDetectionSortBy;
  aggregateBy: LabelDetectionAggregateBy;
  /** Key of the HMAC that makes tokens tamper-evident. */
  secret: Buffer | string;
  /** Current time in ms since the epoch; defaults to `Date.now()`. */
  now?: number;
}

export interface Page<T> {
  page: T[];
  /** Present only when items remain after this page. */
  nextToken?: string;
}

/**
 * Keys are one letter because Rekognition caps NextToken at 255 characters, and a 64-character
 * JobId plus the signature leaves little room.
 */
interface TokenPayload {
  /** JobId */
  j: string;
  /** offset of the next page's first item */
  o: number;
  /** SortBy */
  s: LabelDetectionSortBy;
  /** AggregateBy */
  a: LabelDetectionAggregateBy;
  /** issued at, ms since the epoch */
  t: number;
}

/** One page of `items`, and a token for the next page when there is one. */
export const paginate = <T>(items: readonly T[], request: PageRequest, context: PaginationContext): Page<T> => {
  const pageSize = resolvePageSize(request.maxResults);
  const now = context.now ?? Date.now();
  const offset = request.nextToken ? readToken(request.nextToken, context, now).o : 0;
  const end = offset + pageSize;
  const page = items.slice(offset, end);
  if (end >= items.length) return { page };
  const payload: TokenPayload = { j: context.jobId, o: end, s: context.sortBy, a: context.aggregateBy, t: now };
  return { page, nextToken: issueToken(payload, context.secret) };
};

const resolvePageSize = (maxResults: number | undefined): number => {
  if (maxResults === undefined) return MAX_RESULTS_LIMIT;
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw invalidParameter(`MaxResults must be an integer of at least 1, got ${maxResults}`);
  }
  return Math.min(maxResults, MAX_RESULTS_LIMIT);
};

const sign = (body: string, secret: Buffer | string): string =>
  createHmac('sha256', secret).update(body).digest('base64url');

const issueToken = (payload: TokenPayload, secret: Buffer | string): string => {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(body, secret)}`;
};

/** Only a holder of the secret can sign a body, but even then a bad one is a token error, not a crash. */
const parsePayload = (body: string): TokenPayload => {
  let payload: Partial<TokenPayload>;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Partial<TokenPayload>;
  } catch {
    throw invalidPaginationToken('NextToken is malformed: its contents cannot be read');
  }
  if (typeof payload !== 'object' || payload === null || !Number.isInteger(payload.o) || (payload.o as number) < 0 || typeof payload.t !== 'number') {
    throw invalidPaginationToken('NextToken is malformed: its contents are not a page position');
  }
  return payload as TokenPayload;
};

const readToken = (token: string, context: PaginationContext, now: number): TokenPayload => {
  const [body, signature, ...rest] = token.split('.');
  if (!body || !signature || rest.length > 0) {
    throw invalidPaginationToken('NextToken is malformed: it was not returned by GetLabelDetection');
  }
  // Compare the encoded text, not decoded bytes: base64url decoding ignores stray characters.
  const expected = Buffer.from(sign(body, context.secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw invalidPaginationToken('NextToken has been altered or was issued by another server');
  }
  const payload = parsePayload(body);
  if (payload.j !== context.jobId) {
    throw invalidPaginationToken(`NextToken belongs to another job, not to JobId ${context.jobId}`);
  }
  if (payload.s !== context.sortBy || payload.a !== context.aggregateBy) {
    throw invalidPaginationToken(
      `NextToken was issued for SortBy ${payload.s} and AggregateBy ${payload.a}, ` +
        `but this request asks for SortBy ${context.sortBy} and AggregateBy ${context.aggregateBy}`,
    );
  }
  if (now - payload.t > PAGINATION_TOKEN_TTL_MS) {
    throw invalidPaginationToken('NextToken has expired: pagination tokens are valid for 24 hours');
  }
  return payload;
};
