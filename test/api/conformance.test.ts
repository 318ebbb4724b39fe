/**
 * Conformance of the public API with Rekognition's StartLabelDetection / GetLabelDetection, driven
 * only through LabelDetectionClient, with the real pipeline on real videos. Each video is analysed
 * once (beforeAll) and its job read many ways.
 */
import {
  GetLabelDetectionCommand,
  StartLabelDetectionCommand,
  type GetLabelDetectionRequest,
  type GetLabelDetectionResponse,
  type LabelDetection,
  type StartLabelDetectionRequest,
} from '@aws-sdk/client-rekognition';
import { media } from '../media.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelDetectionClient, type LabelDetectionCompletionMessage } from '../../src/client.js';
import {
  IdempotentParameterMismatchException,
  InvalidPaginationTokenException,
  InvalidParameterException,
  InvalidS3ObjectException,
  LimitExceededException,
  ResourceNotFoundException,
} from '../../src/errors.js';

const mediaDir = media.directory;
const bottleVideo = { S3Object: { Bucket: 'media', Name: 'bottle-detection.mp4' } };
const channel = {
  SNSTopicArn: 'arn:aws:sns:us-east-1:123456789012:label-jobs',
  RoleArn: 'arn:aws:iam::123456789012:role/RekognitionPublish',
};
const bottleRequest: StartLabelDetectionRequest = {
  Video: bottleVideo,
  ClientRequestToken: 'conformance-bottle',
  JobTag: 'conformance',
  NotificationChannel: channel,
};

async function waitForJob(client: LabelDetectionClient, JobId: string): Promise<GetLabelDetectionResponse> {
  for (;;) {
    const response = await client.getLabelDetection({ JobId });
    if (response.JobStatus !== 'IN_PROGRESS') return response;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every page of one listing, following NextToken; checks the parts each page must carry. */
async function allPages(client: LabelDetectionClient, request: GetLabelDetectionRequest): Promise<GetLabelDetectionResponse[]> {
  const pages: GetLabelDetectionResponse[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.getLabelDetection({ ...request, NextToken });
    pages.push(page);
    NextToken = page.NextToken;
  } while (NextToken);
  return pages;
}

const listing = (pages: GetLabelDetectionResponse[]): LabelDetection[] => pages.flatMap((page) => page.Labels ?? []);
const nameOf = (detection: LabelDetection): string => detection.Label?.Name ?? '';
const inCodeUnitOrder = (a: string, b: string): boolean => a <= b;

describe('LabelDetectionClient conformance (real pipeline, bottle-detection.mp4 at 1 fps)', () => {
  let client: LabelDetectionClient;
  let JobId: string;
  let filteredJobId: string;
  let finished: GetLabelDetectionResponse;
  let completed: [LabelDetectionCompletionMessage, unknown][];
  let startedAt: number;

  beforeAll(async () => {
    client = new LabelDetectionClient({ buckets: { media: mediaDir }, analyze: { fps: 1 } });
    completed = [];
    client.on('completed', (message, notificationChannel) => completed.push([message, notificationChannel]));
    startedAt = Date.now();
    ({ JobId } = (await client.startLabelDetection(bottleRequest)) as { JobId: string });
    ({ JobId: filteredJobId } = (await client.send(
      new StartLabelDetectionCommand({
        Video: bottleVideo,
        MinConfidence: 70,
        Settings: { GeneralLabels: { LabelInclusionFilters: ['Bottle'] } },
      }),
    )) as { JobId: string });
    finished = await waitForJob(client, JobId);
    await waitForJob(client, filteredJobId);
  });

  afterAll(async () => {
    await client?.destroy();
  });

  describe('job lifecycle', () => {
    it('answers a Rekognition-style JobId and ends SUCCEEDED', () => {
      expect(JobId).toMatch(/^[0-9a-f]{64}$/);
      expect(finished.JobStatus).toBe('SUCCEEDED');
      expect(finished.StatusMessage).toBeUndefined();
    });

    it('echoes JobId, JobTag and Video', () => {
      expect(finished.JobId).toBe(JobId);
      expect(finished.JobTag).toBe('conformance');
      expect(finished.Video).toEqual(bottleVideo);
    });

    it('describes the video: 640x360 h264, about 39.9 s, ~30 fps', () => {
      const metadata = finished.VideoMetadata;
      expect(metadata).toMatchObject({ Codec: 'h264', FrameWidth: 640, FrameHeight: 360 });
      expect(metadata?.DurationMillis).toBeGreaterThan(39_000);
      expect(metadata?.DurationMillis).toBeLessThan(41_000);
      expect(metadata?.FrameRate).toBeGreaterThan(29);
      expect(metadata?.FrameRate).toBeLessThan(31);
      expect(finished.LabelModelVersion).toEqual(expect.any(String));
    });

    it('publishes the SNS completion message once, to the channel of the request', () => {
      expect(completed).toHaveLength(1);
      const [message, notificationChannel] = completed[0] as [LabelDetectionCompletionMessage, unknown];
      expect(message).toEqual({
        JobId,
        Status: 'SUCCEEDED',
        API: 'StartLabelDetection',
        JobTag: 'conformance',
        Timestamp: expect.any(Number),
        Video: { S3ObjectName: 'bottle-detection.mp4', S3Bucket: 'media' },
      });
      expect(message.Timestamp).toBeGreaterThan(startedAt);
      expect(notificationChannel).toEqual(channel);
    });

    it('returns the same JobId for a retry with the same ClientRequestToken and parameters, without a new notification', async () => {
      expect(await client.startLabelDetection({ ...bottleRequest })).toEqual({ JobId });
      expect(completed).toHaveLength(1);
    });

    it('works with the SDK command objects unchanged', async () => {
      const response = await client.send(new GetLabelDetectionCommand({ JobId, MaxResults: 3 }));
      expect(response.JobStatus).toBe('SUCCEEDED');
      expect(response.Labels).toHaveLength(3);
    });
  });

  describe('labels', () => {
    it('finds bottles through most of the video (1 to 3 bottles are always visible)', async () => {
      const labels = listing(await allPages(client, { JobId }));
      const secondsWithBottle = new Set(labels.filter((label) => nameOf(label) === 'Bottle').map((label) => label.Timestamp));
      const durationSeconds = (finished.VideoMetadata?.DurationMillis ?? 0) / 1000;
      expect(secondsWithBottle.size).toBeGreaterThanOrEqual(durationSeconds / 2);
    });

    it('TIMESTAMP sort (the default): by time, then by name', async () => {
      const labels = listing(await allPages(client, { JobId }));
      expect(labels.length).toBeGreaterThan(0);
      labels.slice(1).forEach((label, index) => {
        const previous = labels[index] as LabelDetection;
        expect(label.Timestamp).toBeGreaterThanOrEqual(previous.Timestamp ?? 0);
        if (label.Timestamp === previous.Timestamp) expect(inCodeUnitOrder(nameOf(previous), nameOf(label))).toBe(true);
      });
    });

    it('NAME sort: the same elements, grouped by label name in order', async () => {
      const byTime = listing(await allPages(client, { JobId }));
      const byName = listing(await allPages(client, { JobId, SortBy: 'NAME' }));
      expect(byName).toHaveLength(byTime.length);
      expect(new Set(byName.map((label) => JSON.stringify(label)))).toEqual(new Set(byTime.map((label) => JSON.stringify(label))));
      byName.slice(1).forEach((label, index) => {
        expect(inCodeUnitOrder(nameOf(byName[index] as LabelDetection), nameOf(label))).toBe(true);
      });
    });

    it('TIMESTAMPS aggregation: one element per label per timestamp, instances with normalised boxes', async () => {
      const labels = listing(await allPages(client, { JobId, AggregateBy: 'TIMESTAMPS' }));
      const keys = labels.map((label) => `${nameOf(label)}@${label.Timestamp}`);
      expect(new Set(keys).size).toBe(keys.length);
      const bottles = labels.filter((label) => nameOf(label) === 'Bottle');
      expect(bottles.every((label) => (label.Label?.Instances?.length ?? 0) > 0)).toBe(true);
      for (const instance of bottles.flatMap((label) => label.Label?.Instances ?? [])) {
        const box = instance.BoundingBox ?? {};
        for (const value of [box.Left, box.Top, box.Width, box.Height]) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
        expect((box.Left ?? 0) + (box.Width ?? 0)).toBeLessThanOrEqual(1 + 1e-6);
        expect(instance.Confidence).toBeGreaterThanOrEqual(50);
      }
      for (const label of labels) expect(label.StartTimestampMillis).toBeUndefined();
    });

    it('SEGMENTS aggregation: segments with start, end and duration, Timestamp = start, no instances', async () => {
      const byTimestamp = listing(await allPages(client, { JobId }));
      const segments = listing(await allPages(client, { JobId, AggregateBy: 'SEGMENTS' }));
      expect(segments.length).toBeGreaterThan(0);
      expect(segments.length).toBeLessThanOrEqual(byTimestamp.length);
      for (const segment of segments) {
        expect(segment.Timestamp).toBe(segment.StartTimestampMillis);
        expect(segment.DurationMillis).toBe((segment.EndTimestampMillis ?? 0) - (segment.StartTimestampMillis ?? 0));
        expect(segment.DurationMillis).toBeGreaterThan(0);
        expect(segment.Label?.Instances ?? []).toEqual([]);
      }
      const namesOf = (labels: LabelDetection[]) => new Set(labels.map(nameOf));
      expect(namesOf(segments)).toEqual(namesOf(byTimestamp));
    });

    it('applies LabelInclusionFilters and MinConfidence given at start', async () => {
      const filtered = listing(await allPages(client, { JobId: filteredJobId }));
      expect(filtered.length).toBeGreaterThan(0);
      expect(new Set(filtered.map(nameOf))).toEqual(new Set(['Bottle']));
      for (const label of filtered) expect(label.Label?.Confidence).toBeGreaterThanOrEqual(70);
      // Same video, same analysis: the filtered job lists exactly the unfiltered job's confident Bottle elements.
      const confidentBottles = listing(await allPages(client, { JobId })).filter(
        (label) => nameOf(label) === 'Bottle' && (label.Label?.Confidence ?? 0) >= 70,
      );
      const timesAndConfidences = (labels: LabelDetection[]) => labels.map((label) => [label.Timestamp, label.Label?.Confidence]);
      expect(timesAndConfidences(filtered)).toEqual(timesAndConfidences(confidentBottles));
    });
  });

  describe('pagination', () => {
    it.each([
      ['TIMESTAMP', 'TIMESTAMPS'],
      ['NAME', 'TIMESTAMPS'],
      ['TIMESTAMP', 'SEGMENTS'],
      ['NAME', 'SEGMENTS'],
    ] as const)('pages of 1, 7, 1000 and 5000 concatenate to the whole %s / %s listing', async (SortBy, AggregateBy) => {
      const whole = await client.getLabelDetection({ JobId, SortBy, AggregateBy });
      expect(whole.NextToken).toBeUndefined();
      for (const MaxResults of [1, 7, 1000, 5000]) {
        const pages = await allPages(client, { JobId, SortBy, AggregateBy, MaxResults });
        expect(listing(pages)).toEqual(whole.Labels);
        expect(pages).toHaveLength(Math.max(1, Math.ceil((whole.Labels?.length ?? 0) / Math.min(MaxResults, 1000))));
        for (const page of pages) {
          expect(page.Labels?.length).toBeLessThanOrEqual(MaxResults);
          expect(page.VideoMetadata).toEqual(whole.VideoMetadata);
          expect(page).toMatchObject({ JobId, JobStatus: 'SUCCEEDED', JobTag: 'conformance', GetRequestMetadata: { SortBy, AggregateBy } });
        }
      }
    });
  });

  describe('errors', () => {
    it.each([
      ['MinConfidence above 100', { Video: bottleVideo, MinConfidence: 101 }, /MinConfidence/],
      ['a bucket name too short', { Video: { S3Object: { Bucket: 'ab', Name: 'x.mp4' } } }, /Video\.S3Object\.Bucket/],
      ['an unknown feature', { Video: bottleVideo, Features: ['IMAGE_PROPERTIES'] }, /Features\[0\]/],
      ['a JobTag with spaces', { Video: bottleVideo, JobTag: 'two words' }, /JobTag/],
      ['an unknown field', { Video: bottleVideo, MaxLabels: 3 }, /MaxLabels/],
    ])('StartLabelDetection: InvalidParameterException for %s', async (_case, request, field) => {
      const attempt = client.startLabelDetection(request as StartLabelDetectionRequest);
      await expect(attempt).rejects.toThrow(InvalidParameterException);
      await expect(attempt).rejects.toThrow(field);
    });

    it.each([
      ['MaxResults 0', { MaxResults: 0 }, /MaxResults/],
      ['an unknown SortBy', { SortBy: 'CONFIDENCE' }, /SortBy/],
      ['an unknown AggregateBy', { AggregateBy: 'SCENES' }, /AggregateBy/],
    ])('GetLabelDetection: InvalidParameterException for %s', async (_case, request, field) => {
      const attempt = client.getLabelDetection({ JobId, ...request } as GetLabelDetectionRequest);
      await expect(attempt).rejects.toThrow(InvalidParameterException);
      await expect(attempt).rejects.toThrow(field);
    });

    it.each([
      ['a missing object', 'no-such-video.mp4', /no such object/],
      ['an unknown bucket', 'bottle-detection.mp4', /bucket elsewhere is not configured/],
      ['a key that leaves the bucket', '../main/package.json', /leaves the bucket/],
      ['a GIF (not a Rekognition format)', 'people-detection.gif', /not an MP4, MOV or AVI/],
    ])('StartLabelDetection: InvalidS3ObjectException for %s', async (name, key, message) => {
      const Bucket = name === 'an unknown bucket' ? 'elsewhere' : 'media';
      const attempt = client.startLabelDetection({ Video: { S3Object: { Bucket, Name: key } } });
      await expect(attempt).rejects.toThrow(InvalidS3ObjectException);
      await expect(attempt).rejects.toThrow(message);
    });

    it('GetLabelDetection: ResourceNotFoundException for an unknown JobId', async () => {
      await expect(client.getLabelDetection({ JobId: 'f'.repeat(64) })).rejects.toThrow(ResourceNotFoundException);
    });

    it('GetLabelDetection: InvalidPaginationTokenException for a tampered token, or one of another listing', async () => {
      const { NextToken } = await client.getLabelDetection({ JobId, MaxResults: 1 });
      expect(NextToken).toEqual(expect.any(String));
      const token = NextToken as string;
      const tampered = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
      await expect(client.getLabelDetection({ JobId, MaxResults: 1, NextToken: tampered })).rejects.toThrow(
        InvalidPaginationTokenException,
      );
      await expect(client.getLabelDetection({ JobId: filteredJobId, MaxResults: 1, NextToken: token })).rejects.toThrow(
        InvalidPaginationTokenException,
      );
      await expect(client.getLabelDetection({ JobId, MaxResults: 1, NextToken: token, SortBy: 'NAME' })).rejects.toThrow(
        InvalidPaginationTokenException,
      );
    });

    it('StartLabelDetection: IdempotentParameterMismatchException for a reused token with other parameters', async () => {
      await expect(client.startLabelDetection({ ...bottleRequest, JobTag: 'changed' })).rejects.toThrow(
        IdempotentParameterMismatchException,
      );
    });
  });
});

describe('LabelDetectionClient conformance (real pipeline, local extensions and limits)', () => {
  let client: LabelDetectionClient;

  beforeAll(() => {
    client = new LabelDetectionClient({ buckets: { media: mediaDir }, analyze: { fps: 1 }, allowAnyVideoFormat: true, maxOpenJobs: 1 });
  });
  afterAll(async () => {
    await client?.destroy();
  });

  it('answers LimitExceededException beyond maxOpenJobs, analyses a GIF when allowed, and fails an unreadable file', async () => {
    const gif = { S3Object: { Bucket: 'media', Name: 'person-bicycle-car-detection.gif' } };
    const { JobId } = (await client.startLabelDetection({ Video: gif })) as { JobId: string };
    await expect(client.startLabelDetection({ Video: gif })).rejects.toThrow(LimitExceededException);

    const result = await waitForJob(client, JobId);
    expect(result.JobStatus).toBe('SUCCEEDED');
    expect(result.VideoMetadata).toMatchObject({ FrameWidth: 480, FrameHeight: 270 });

    const notAVideo = (await client.startLabelDetection({ Video: { S3Object: { Bucket: 'media', Name: 'README.md' } } })) as {
      JobId: string;
    };
    const failed = await waitForJob(client, notAVideo.JobId);
    expect(failed.JobStatus).toBe('FAILED');
    expect(failed.StatusMessage).toMatch(/README\.md/);
    expect(failed.Labels).toEqual([]);
  });
});
