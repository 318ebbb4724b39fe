/**
 * Bad requests through the public client, for what test/jobs/validate.test.ts,
 * test/jobs/source.test.ts and test/api/conformance.test.ts do not already cover: wrong types of
 * the remaining fields, forged and foreign NextTokens, and more ways out of a bucket directory.
 */
import type { GetLabelDetectionRequest, StartLabelDetectionRequest } from '@aws-sdk/client-rekognition';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelDetectionClient } from '../../src/client.js';
import { InvalidPaginationTokenException, InvalidParameterException, InvalidS3ObjectException } from '../../src/errors.js';
import { bottleAnalysis } from '../jobs/fixtures.js';
import { rejectionOf, untilEnded } from './jobs.js';

const mp4Header = Buffer.from('\0\0\0\x20ftypisom\0\0\x02\0', 'latin1');
const video = { S3Object: { Bucket: 'media', Name: 'a.mp4' } };

describe('bad requests through LabelDetectionClient', () => {
  let root: string;
  let client: LabelDetectionClient;
  let foreign: LabelDetectionClient;
  let JobId: string;
  let foreignJobId: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'reliability-requests-'));
    const bucket = path.join(root, 'bucket');
    await mkdir(path.join(bucket, 'clips'), { recursive: true });
    await writeFile(path.join(bucket, 'a.mp4'), mp4Header);
    await writeFile(path.join(root, 'outside.mp4'), mp4Header);
    // inside.mp4 -> hop.mp4 -> ../outside.mp4: every link but the last stays in the bucket.
    await symlink(path.join(root, 'outside.mp4'), path.join(bucket, 'hop.mp4'));
    await symlink(path.join(bucket, 'hop.mp4'), path.join(bucket, 'clips', 'inside.mp4'));
    await symlink(path.join(bucket, 'loop-b.mp4'), path.join(bucket, 'loop-a.mp4'));
    await symlink(path.join(bucket, 'loop-a.mp4'), path.join(bucket, 'loop-b.mp4'));
    const analyzeVideo = async () => bottleAnalysis;
    client = new LabelDetectionClient({ buckets: { media: bucket }, analyzeVideo, tokenSecret: 'this-server' });
    foreign = new LabelDetectionClient({ buckets: { media: bucket }, analyzeVideo, tokenSecret: 'another-server' });
    ({ JobId = '' } = await client.startLabelDetection({ Video: video }));
    ({ JobId: foreignJobId = '' } = await foreign.startLabelDetection({ Video: video }));
    await untilEnded(client, JobId);
    await untilEnded(foreign, foreignJobId);
  });

  afterAll(async () => {
    await Promise.all([client?.destroy(), foreign?.destroy()]);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it.each([
    ['Video.S3Object.Name', { Video: { S3Object: { Bucket: 'media', Name: 42 } } }, 'Video.S3Object.Name: must be a string'],
    ['Video.S3Object.Version', { Video: { S3Object: { Bucket: 'media', Name: 'a.mp4', Version: 3 } } }, 'Video.S3Object.Version: must be a string'],
    ['JobTag', { Video: video, JobTag: 5 }, 'JobTag: must be a string'],
    ['NotificationChannel.SNSTopicArn', { Video: video, NotificationChannel: { SNSTopicArn: 7, RoleArn: 'arn:aws:iam::123456789012:role/R' } }, 'NotificationChannel.SNSTopicArn: must be a string'],
    ['Settings.GeneralLabels', { Video: video, Settings: { GeneralLabels: [] } }, 'Settings.GeneralLabels: must be an object'],
    ['MinConfidence', { Video: video, MinConfidence: Number.POSITIVE_INFINITY }, 'MinConfidence: must be a number'],
    ['MinConfidence', { Video: video, MinConfidence: true }, 'MinConfidence: must be a number'],
    ['Features', { Video: video, Features: [''] }, 'Features[0]: must be one of GENERAL_LABELS'],
  ])('StartLabelDetection refuses a bad %s with InvalidParameterException naming it', async (_field, request, message) => {
    const error = await rejectionOf(client.startLabelDetection(request as unknown as StartLabelDetectionRequest));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe(message);
  });

  it.each([
    ['MaxResults', { MaxResults: Number.POSITIVE_INFINITY }, 'MaxResults: must be an integer'],
    ['MaxResults', { MaxResults: null, SortBy: '' }, 'SortBy: must be one of NAME, TIMESTAMP'],
    ['AggregateBy', { AggregateBy: '' }, 'AggregateBy: must be one of TIMESTAMPS, SEGMENTS'],
    ['NextToken', { NextToken: {} }, 'NextToken: must be a string'],
  ])('GetLabelDetection refuses a bad %s with InvalidParameterException naming it', async (_field, request, message) => {
    const error = await rejectionOf(client.getLabelDetection({ JobId, ...request } as unknown as GetLabelDetectionRequest));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe(message);
  });

  it('GetLabelDetection refuses a JobId with a NUL byte or a path in it', async () => {
    for (const badId of ['a\0b', '../jobs/x', 'C:\\jobs']) {
      const error = await rejectionOf(client.getLabelDetection({ JobId: badId }));
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toMatch(/^JobId: must match the pattern/);
    }
  });

  it.each([
    ['a word', 'garbage', /malformed/],
    ['two dots', 'a.b.c', /malformed/],
    ['a 255-character string of the right shape', `${'A'.repeat(200)}.${'B'.repeat(54)}`, /altered or was issued by another server/],
    ['a payload without its signature', `${Buffer.from(JSON.stringify({ j: 'x', o: 1 })).toString('base64url')}.`, /malformed/],
  ])('GetLabelDetection refuses a forged NextToken (%s) with InvalidPaginationTokenException', async (_case, NextToken, message) => {
    const error = await rejectionOf(client.getLabelDetection({ JobId, NextToken }));
    expect(error).toBeInstanceOf(InvalidPaginationTokenException);
    expect(error.message).toMatch(message);
  });

  it('GetLabelDetection refuses a NextToken another server (another token secret) issued, even for a job id it knows', async () => {
    const { NextToken } = await foreign.getLabelDetection({ JobId: foreignJobId, MaxResults: 1 });
    expect(NextToken).toEqual(expect.any(String));
    for (const askedJobId of [JobId, foreignJobId]) {
      const error = await rejectionOf(client.getLabelDetection({ JobId: askedJobId, MaxResults: 1, NextToken }));
      // The foreign job id is unknown here: the missing job is reported before the token is read.
      expect(error.name).toBe(askedJobId === JobId ? 'InvalidPaginationTokenException' : 'ResourceNotFoundException');
    }
  });

  it.each([
    ['a NUL byte in the key', 'a.mp4\0.txt', /the key leaves the bucket directory/],
    ['the bucket directory itself', '.', /the key leads outside the bucket directory/],
    ['a trailing slash on a directory', 'clips/', /not a file|no such object/],
    ['a chain of symlinks whose last link leaves the bucket', 'clips/inside.mp4', /the key leads outside the bucket directory/],
    ['a symlink loop', 'loop-a.mp4', /no such object/],
    ['a backslash path, which is a file name on POSIX', '..\\outside.mp4', /no such object/],
  ])('StartLabelDetection refuses %s with InvalidS3ObjectException naming the object', async (_case, Name, message) => {
    const error = await rejectionOf(client.startLabelDetection({ Video: { S3Object: { Bucket: 'media', Name } } }));
    expect(error).toBeInstanceOf(InvalidS3ObjectException);
    expect(error.message).toContain(`s3://media/${Name}`);
    expect(error.message).toMatch(message);
  });

  it('StartLabelDetection refuses bucket names that look like paths', async () => {
    for (const Bucket of ['...', '..media', 'media.']) {
      const error = await rejectionOf(client.startLabelDetection({ Video: { S3Object: { Bucket, Name: 'a.mp4' } } }));
      expect(error).toBeInstanceOf(InvalidS3ObjectException);
      expect(error.message).toBe(`s3://${Bucket}/a.mp4: bucket ${Bucket} is not configured`);
    }
  });
});
