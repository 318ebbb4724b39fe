import { describe, expect, it } from 'vitest';
import { IdempotentParameterMismatchException } from '../../src/errors.js';
import { CLIENT_REQUEST_TOKEN_LIFETIME_MS, jobForRetry, requestFingerprint } from '../../src/jobs/idempotency.js';
import { newJob } from '../../src/jobs/job-record.js';

const request = {
  Video: { S3Object: { Bucket: 'media', Name: 'a.mp4' } },
  ClientRequestToken: 'tok',
  MinConfidence: 60,
  JobTag: 'tag',
};
const startedAt = 1_000_000;
const previous = newJob(request, startedAt);

describe('requestFingerprint', () => {
  it('ignores key order and the token itself', () => {
    const reordered = { JobTag: 'tag', MinConfidence: 60, Video: { S3Object: { Name: 'a.mp4', Bucket: 'media' } }, ClientRequestToken: 'x' };
    expect(requestFingerprint(reordered)).toBe(requestFingerprint(request));
  });

  it('tells apart requests that differ in one nested value', () => {
    const otherVideo = { ...request, Video: { S3Object: { Bucket: 'media', Name: 'b.mp4' } } };
    expect(requestFingerprint(otherVideo)).not.toBe(requestFingerprint(request));
  });
});

describe('jobForRetry', () => {
  it('starts a new job when the token was never used', () => {
    expect(jobForRetry(undefined, request, startedAt)).toBeUndefined();
  });

  it('returns the earlier job for the same parameters within the token lifetime', () => {
    expect(jobForRetry(previous, { ...request }, startedAt + CLIENT_REQUEST_TOKEN_LIFETIME_MS - 1)).toBe(previous);
  });

  it.each([
    ['MinConfidence', { ...request, MinConfidence: 61 }],
    ['JobTag', { ...request, JobTag: 'other' }],
    ['an added field', { ...request, Features: ['GENERAL_LABELS' as const] }],
    ['a removed field', { Video: request.Video, ClientRequestToken: 'tok', MinConfidence: 60 }],
  ])('refuses the token with a different %s', (_change, changed) => {
    expect(() => jobForRetry(previous, changed, startedAt + 1)).toThrow(IdempotentParameterMismatchException);
    expect(() => jobForRetry(previous, changed, startedAt + 1)).toThrow(/ClientRequestToken: tok/);
  });

  it('lets the token start a new job, with any parameters, once its 7 days are over', () => {
    const sevenDays = 7 * 24 * 60 * 60 * 1000;
    expect(jobForRetry(previous, request, startedAt + sevenDays)).toBeUndefined();
    expect(jobForRetry(previous, { ...request, MinConfidence: 10 }, startedAt + sevenDays)).toBeUndefined();
  });
});
