/** Completion messages published to SNS; a failing SNS endpoint is logged and never thrown. */
import { SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabelDetectionCompletionMessage } from '../../src/client.js';
import { createSnsNotifier } from '../../src/notify/sns-notifier.js';
import { startFakeSns, type FakeSns } from './fake-sns.js';

const channel = { SNSTopicArn: 'arn:aws:sns:us-east-1:123456789012:label-jobs', RoleArn: 'arn:aws:iam::123456789012:role/Publish' };
const message: LabelDetectionCompletionMessage = {
  JobId: 'job-1',
  Status: 'SUCCEEDED',
  API: 'StartLabelDetection',
  JobTag: 'nightly',
  Timestamp: 1_700_000_000_000,
  Video: { S3ObjectName: 'clip.mp4', S3Bucket: 'media' },
};
const snsClient = (endpoint: string) =>
  new SNSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });

describe('createSnsNotifier', () => {
  let sns: FakeSns | undefined;
  afterEach(async () => {
    await sns?.close();
    sns = undefined;
  });

  it('publishes the completion message as JSON to the channel topic', async () => {
    sns = await startFakeSns();
    const lines: string[] = [];
    const notifier = createSnsNotifier({ sns: snsClient(sns.url), log: (line) => lines.push(line) });
    notifier.notify(message, channel);
    await notifier.drain();
    expect(sns.published).toHaveLength(1);
    expect(sns.published[0]?.TopicArn).toBe(channel.SNSTopicArn);
    expect(JSON.parse(sns.published[0]?.Message ?? '')).toEqual(message);
    expect(lines).toEqual([`notified ${channel.SNSTopicArn} of job job-1 (SUCCEEDED), SNS message message-1`]);
  });

  it('logs a refused publish and does not throw', async () => {
    sns = await startFakeSns({ failWith: 404 });
    const lines: string[] = [];
    const notifier = createSnsNotifier({ sns: snsClient(sns.url), log: (line) => lines.push(line) });
    expect(() => notifier.notify(message, channel)).not.toThrow();
    await expect(notifier.drain()).resolves.toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^could not notify arn:aws:sns:us-east-1:123456789012:label-jobs of job job-1 \(SUCCEEDED\): NotFound/);
  });

  it('logs an unreachable endpoint and does not throw', async () => {
    const lines: string[] = [];
    const notifier = createSnsNotifier({ sns: snsClient('http://127.0.0.1:1'), log: (line) => lines.push(line) });
    notifier.notify(message, channel);
    await notifier.drain();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^could not notify .* of job job-1/);
  });
});
