import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidPaginationTokenException, InvalidParameterException } from '../../src/errors.js';
import {
  MAX_RESULTS_LIMIT,
  PAGINATION_TOKEN_TTL_MS,
  paginate,
  type PaginationContext,
} from '../../src/response/index.js';

const issuedAt = Date.UTC(2024, 0, 1);
const context: PaginationContext = {
  jobId: 'job-1',
  sortBy: 'TIMESTAMP',
  aggregateBy: 'TIMESTAMPS',
  secret: 'test secret',
  now: issuedAt,
};
const numbers = (count: number) => Array.from({ length: count }, (_, i) => i);

/** Every page of `items`, following NextToken until there is none. */
const allPages = <T>(items: T[], maxResults: number | undefined): T[][] => {
  const pages: T[][] = [];
  let nextToken: string | undefined;
  do {
    const result = paginate(items, { maxResults, nextToken }, context);
    pages.push(result.page);
    nextToken = result.nextToken;
  } while (nextToken);
  return pages;
};

const tokenAfterFirstPage = (overrides: Partial<PaginationContext> = {}) => {
  const token = paginate(numbers(10), { maxResults: 3 }, { ...context, ...overrides }).nextToken;
  if (!token) throw new Error('expected a NextToken after the first of several pages');
  return token;
};

const rejectionOf = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
};

describe('paginate: pages', () => {
  const items = numbers(2345);

  it.each([1, 7, 1000])('concatenating pages of MaxResults %i gives exactly the unpaginated list', (maxResults) => {
    const pages = allPages(items, maxResults);
    expect(pages.flat()).toEqual(items);
    expect(pages).toHaveLength(Math.ceil(items.length / maxResults));
  });

  it('defaults MaxResults to 1000 and returns 1000 when asked for more', () => {
    expect(MAX_RESULTS_LIMIT).toBe(1000);
    expect(paginate(items, {}, context).page).toHaveLength(1000);
    expect(paginate(items, { maxResults: 5000 }, context).page).toHaveLength(1000);
  });

  it('returns no token with the last page, even when it is full', () => {
    expect(allPages(numbers(14), 7)).toEqual([numbers(7), numbers(14).slice(7)]);
    expect(paginate(numbers(7), { maxResults: 7 }, context).nextToken).toBeUndefined();
    expect(paginate([], {}, context)).toStrictEqual({ page: [] });
  });

  it('lets MaxResults change from one page to the next', () => {
    const first = paginate(numbers(10), { maxResults: 2 }, context);
    const second = paginate(numbers(10), { maxResults: 5, nextToken: first.nextToken }, context);
    expect(second.page).toEqual([2, 3, 4, 5, 6]);
  });

  it('treats an empty NextToken as the first page', () => {
    expect(paginate(numbers(5), { maxResults: 2, nextToken: '' }, context).page).toEqual([0, 1]);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects MaxResults %s with InvalidParameterException', (maxResults) => {
    const error = rejectionOf(() => paginate(items, { maxResults }, context));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toMatch(/MaxResults/);
  });

  it('keeps tokens within Rekognition’s 255-character NextToken limit', () => {
    const longJobId = 'a'.repeat(64);
    const token = paginate(numbers(1_000_001), { maxResults: 999_999 }, { ...context, jobId: longJobId }).nextToken;
    expect(token?.length).toBeLessThanOrEqual(255);
  });
});

describe('paginate: NextToken is tamper-evident and bound to its listing', () => {
  const expectRejected = (nextToken: string, reason: RegExp, overrides: Partial<PaginationContext> = {}) => {
    const error = rejectionOf(() => paginate(numbers(10), { nextToken }, { ...context, ...overrides }));
    expect(error).toBeInstanceOf(InvalidPaginationTokenException);
    expect((error as Error).name).toBe('InvalidPaginationTokenException');
    expect((error as Error).message).toMatch(reason);
  };

  it('accepts its own token', () => {
    expect(paginate(numbers(10), { nextToken: tokenAfterFirstPage() }, context).page).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('rejects garbage', () => {
    expect(() => paginate(numbers(10), { nextToken: 'not a token' }, context)).toThrow(InvalidPaginationTokenException);
    expectRejected('a.b.c', /malformed/);
    expectRejected('a.b', /altered/);
  });

  it('rejects a token whose payload was edited to skip ahead', () => {
    const [body, signature] = tokenAfterFirstPage().split('.');
    const payload = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as Record<string, unknown>;
    const forgedBody = Buffer.from(JSON.stringify({ ...payload, o: 6 })).toString('base64url');
    expectRejected(`${forgedBody}.${signature}`, /altered/);
  });

  it('rejects a token with a changed signature', () => {
    const token = tokenAfterFirstPage();
    const lastCharacter = token.at(-1) === 'A' ? 'B' : 'A';
    expectRejected(token.slice(0, -1) + lastCharacter, /altered/);
    expectRejected(`${token}A`, /altered/);
  });

  it('rejects a token signed with another secret', () => {
    expectRejected(tokenAfterFirstPage({ secret: 'another secret' }), /altered/);
  });

  it('rejects a token issued for another job', () => {
    expectRejected(tokenAfterFirstPage({ jobId: 'job-2' }), /another job.*job-1/);
  });

  it('rejects a token issued for another SortBy or AggregateBy', () => {
    expectRejected(tokenAfterFirstPage({ sortBy: 'NAME' }), /SortBy NAME.*SortBy TIMESTAMP/);
    expectRejected(tokenAfterFirstPage({ aggregateBy: 'SEGMENTS' }), /AggregateBy SEGMENTS.*AggregateBy TIMESTAMPS/);
  });

  it('accepts a token for 24 hours and rejects it after', () => {
    expect(PAGINATION_TOKEN_TTL_MS).toBe(24 * 60 * 60 * 1000);
    const token = tokenAfterFirstPage();
    const aDayLater = issuedAt + 24 * 60 * 60 * 1000;
    expect(paginate(numbers(10), { nextToken: token }, { ...context, now: aDayLater }).page).toHaveLength(7);
    expectRejected(token, /expired/, { now: aDayLater + 1 });
  });
});

describe('tokens signed with the secret but carrying garbage', () => {
  it('are refused as pagination token errors, not crashes', () => {
    const secret = 'a-secret';
    const signed = (payload: string) => {
      const body = Buffer.from(payload).toString('base64url');
      return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
    };
    const context = { jobId: 'job', sortBy: 'TIMESTAMP' as const, aggregateBy: 'TIMESTAMPS' as const, secret };
    for (const payload of ['not json', 'null', '{"j":"job","o":-5,"s":"TIMESTAMP","a":"TIMESTAMPS","t":1}']) {
      expect(() => paginate([1, 2, 3], { maxResults: 1, nextToken: signed(payload) }, context)).toThrow(InvalidPaginationTokenException);
    }
  });
});
