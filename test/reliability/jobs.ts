import type { GetLabelDetectionResponse } from '@aws-sdk/client-rekognition';
import type { LabelDetectionClient } from '../../src/client.js';

/** Polls a job until it leaves IN_PROGRESS; a job still running at the deadline counts as stuck. */
export async function untilEnded(client: Pick<LabelDetectionClient, 'getLabelDetection'>, JobId: string, timeoutMs = 60_000): Promise<GetLabelDetectionResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.getLabelDetection({ JobId });
    if (response.JobStatus !== 'IN_PROGRESS') return response;
    if (Date.now() > deadline) throw new Error(`job ${JobId} is stuck IN_PROGRESS after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The error a promise rejects with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, but the call succeeded');
}
