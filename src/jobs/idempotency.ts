/**
 * ClientRequestToken semantics: within the token's lifetime, the same token with the same
 * parameters returns the earlier job, and with any other parameters is refused.
 */
import type { StartLabelDetectionRequest } from '@aws-sdk/client-rekognition';
import { idempotentParameterMismatch } from '../errors.js';
import type { JobRecord } from './job-record.js';

export const CLIENT_REQUEST_TOKEN_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** The parameters of a start request as one string, independent of key order and of the token itself. */
export const requestFingerprint = ({ ClientRequestToken: _token, ...parameters }: StartLabelDetectionRequest): string =>
  JSON.stringify(parameters, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );

/**
 * The job an idempotent retry refers to, or undefined when a new job must start. `previous` is the
 * newest job started with the request's token.
 */
export function jobForRetry(previous: JobRecord | undefined, request: StartLabelDetectionRequest, nowMs: number): JobRecord | undefined {
  if (!previous || nowMs - previous.createdAtMs >= CLIENT_REQUEST_TOKEN_LIFETIME_MS) return undefined;
  if (requestFingerprint(previous.request) !== requestFingerprint(request)) {
    throw idempotentParameterMismatch(
      `ClientRequestToken: ${request.ClientRequestToken} is already in use by job ${previous.JobId} with different parameters`,
    );
  }
  return previous;
}
