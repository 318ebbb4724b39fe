/** The job lifecycle of LabelDetectionClient, with the analysis pipeline replaced by a controllable stand-in. */
import {
  DetectLabelsCommand,
  GetLabelDetectionCommand,
  StartLabelDetectionCommand,
  type StartLabelDetectionRequest,
} from '@aws-sdk/client-rekognition';
import { once } from 'node:events';
import { appendFile, rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LabelDetectionClient, type JobEnded, type LabelDetectionClientOptions } from '../../src/client.js';
import {
  IdempotentParameterMismatchException,
  InvalidPaginationTokenException,
  InvalidParameterException,
  InvalidS3ObjectException,
  LimitExceededException,
  ResourceNotFoundException,
  invalidS3Object,
} from '../../src/errors.js';
import type { AnalyzeVideo } from '../../src/jobs/video-analyzer.js';
import type { VideoAnalysis } from '../../src/types.js';
import { bottleAnalysis, deferred, makeBucket } from './fixtures.js';

const videoA = { S3Object: { Bucket: 'media', Name: 'a.mp4' } };
const videoB = { S3Object: { Bucket: 'media', Name: 'b.mp4' } };
const videoC = { S3Object: { Bucket: 'media', Name: 'c.mp4' } };
const channel = {
  SNSTopicArn: 'arn:aws:sns:us-east-1:123456789012:label-jobs',
  RoleArn: 'arn:aws:iam::123456789012:role/RekognitionPublish',
};

/** An analysis stand-in whose calls wait until the test settles them. */
function controllableAnalysis() {
  const calls: { videoPath: string; signal?: AbortSignal; settle: ReturnType<typeof deferred<VideoAnalysis>> }[] = [];
  const analyzeVideo = vi.fn<AnalyzeVideo>((videoPath, options) => {
    const settle = deferred<VideoAnalysis>();
    calls.push({ videoPath, signal: options.signal, settle });
    if (options.signal?.aborted) settle.reject(options.signal.reason);
    options.signal?.addEventListener('abort', () => settle.reject(options.signal?.reason));
    return settle.promise;
  });
  return { analyzeVideo, calls };
}

describe('LabelDetectionClient job lifecycle', () => {
  let root: string;
  let bucketDir: string;
  const clients: LabelDetectionClient[] = [];
  const newClient = (options: LabelDetectionClientOptions): LabelDetectionClient => {
    const client = new LabelDetectionClient({ buckets: { media: bucketDir }, ...options });
    clients.push(client);
    return client;
  };
  const ended = (client: LabelDetectionClient): Promise<JobEnded> => once(client, 'jobEnded').then(([job]) => job as JobEnded);

  beforeEach(async () => {
    ({ root, bucketDir } = await makeBucket());
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.destroy()));
    await rm(root, { recursive: true, force: true });
  });

  it('answers a 64-hex JobId at once, is IN_PROGRESS while analysing, then SUCCEEDED with the labels', async () => {
    const { analyzeVideo, calls } = controllableAnalysis();
    const client = newClient({ analyzeVideo, analyze: { fps: 1 } });
    const { JobId } = await client.startLabelDetection({ Video: videoA, JobTag: 'tag-1' });
    expect(JobId).toMatch(/^[0-9a-f]{64}$/);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(analyzeVideo.mock.calls[0]?.[1]).toMatchObject({ fps: 1 });

    const during = await client.getLabelDetection({ JobId: JobId as string });
    expect(during).toMatchObject({ JobId, JobStatus: 'IN_PROGRESS', JobTag: 'tag-1', Video: videoA, Labels: [] });

    const end = ended(client);
    calls[0]?.settle.resolve(bottleAnalysis);
    await end;
    const after = await client.getLabelDetection({ JobId: JobId as string, SortBy: 'NAME' });
    expect(after.JobStatus).toBe('SUCCEEDED');
    expect(after.StatusMessage).toBeUndefined();
    expect(after.VideoMetadata).toEqual(bottleAnalysis.videoMetadata);
    expect(after.LabelModelVersion).toBe('test-1');
    expect(after.Labels?.map((label) => [label.Timestamp, label.Label?.Name])).toEqual([
      [0, 'Beverage'],
      [500, 'Beverage'],
      [0, 'Bottle'],
      [500, 'Bottle'],
    ]);
  });

  it('hands the analysis the real path of the object', async () => {
    const analyzeVideo = vi.fn<AnalyzeVideo>(async () => bottleAnalysis);
    const client = newClient({ analyzeVideo });
    const end = ended(client);
    await client.startLabelDetection({ Video: videoB });
    await end;
    expect(analyzeVideo).toHaveBeenCalledWith(expect.stringMatching(/\/bucket\/b\.mp4$/), expect.anything());
  });

  it.each([
    ['a Rekognition error', invalidS3Object('a.mp4: decoding stopped at 3 ms'), 'a.mp4: decoding stopped at 3 ms'],
    ['a programming error', new TypeError('cannot read x of undefined'), 'cannot read x of undefined'],
    ['a thrown non-error', 'worker crashed', 'worker crashed'],
  ])('ends FAILED with the message of %s', async (_kind, failure, message) => {
    const client = newClient({ analyzeVideo: async () => Promise.reject(failure) });
    const end = ended(client);
    const { JobId } = await client.startLabelDetection({ Video: videoA });
    expect(await end).toMatchObject({ JobId, Status: 'FAILED', StatusMessage: message });
    expect(await client.getLabelDetection({ JobId: JobId as string })).toMatchObject({
      JobStatus: 'FAILED',
      StatusMessage: message,
      Labels: [],
    });
  });

  it('emits progress with the JobId', async () => {
    const client = newClient({
      analyzeVideo: async (_path, { onProgress }) => {
        onProgress?.({ framesDone: 1, framesTotal: 2 });
        onProgress?.({ framesDone: 2, framesTotal: 2 });
        return bottleAnalysis;
      },
    });
    const progress: unknown[] = [];
    client.on('progress', (event) => progress.push(event));
    const end = ended(client);
    const { JobId } = await client.startLabelDetection({ Video: videoA });
    await end;
    expect(progress).toEqual([
      { JobId, framesDone: 1, framesTotal: 2 },
      { JobId, framesDone: 2, framesTotal: 2 },
    ]);
  });

  it('publishes the SNS completion message only for jobs with a NotificationChannel', async () => {
    const client = newClient({ analyzeVideo: async () => bottleAnalysis });
    const completed = vi.fn();
    client.on('completed', completed);

    const quietEnd = ended(client);
    await client.startLabelDetection({ Video: videoA });
    await quietEnd;
    expect(completed).not.toHaveBeenCalled();

    const before = Date.now();
    const notified = once(client, 'completed');
    const { JobId } = await client.startLabelDetection({ Video: videoA, NotificationChannel: channel, JobTag: 'nightly' });
    const [message, notifiedChannel] = await notified;
    expect(message).toEqual({
      JobId,
      Status: 'SUCCEEDED',
      API: 'StartLabelDetection',
      JobTag: 'nightly',
      Timestamp: expect.any(Number),
      Video: { S3ObjectName: 'a.mp4', S3Bucket: 'media' },
    });
    expect(message.Timestamp).toBeGreaterThanOrEqual(before);
    expect(message.Timestamp).toBeLessThanOrEqual(Date.now());
    expect(notifiedChannel).toEqual(channel);
  });

  describe('ClientRequestToken', () => {
    const request: StartLabelDetectionRequest = { Video: videoA, ClientRequestToken: 'once', MinConfidence: 70, NotificationChannel: channel };

    it('returns the same job for the same parameters, without analysing or notifying again', async () => {
      const analyzeVideo = vi.fn<AnalyzeVideo>(async () => bottleAnalysis);
      const client = newClient({ analyzeVideo });
      const completed = vi.fn();
      client.on('completed', completed);
      const end = ended(client);
      const first = await client.startLabelDetection(request);
      await end;
      const again = await client.startLabelDetection({ ...request, NotificationChannel: { ...channel } });
      expect(again.JobId).toBe(first.JobId);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(analyzeVideo).toHaveBeenCalledTimes(1);
      expect(completed).toHaveBeenCalledTimes(1);
    });

    it('refuses the token with different parameters', async () => {
      const client = newClient({ analyzeVideo: controllableAnalysis().analyzeVideo });
      await client.startLabelDetection(request);
      await expect(client.startLabelDetection({ ...request, MinConfidence: 71 })).rejects.toThrow(IdempotentParameterMismatchException);
      await expect(client.startLabelDetection({ ...request, Video: videoB })).rejects.toThrow(IdempotentParameterMismatchException);
    });

    it('starts exactly one job for 20 concurrent identical starts', async () => {
      const { analyzeVideo, calls } = controllableAnalysis();
      const client = newClient({ analyzeVideo, maxConcurrentJobs: 20 });
      const responses = await Promise.all(Array.from({ length: 20 }, () => client.startLabelDetection({ ...request })));
      expect(new Set(responses.map((response) => response.JobId)).size).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(calls).toHaveLength(1);
    });

    it('keeps tokens apart: another token starts another job', async () => {
      const client = newClient({ analyzeVideo: controllableAnalysis().analyzeVideo });
      const first = await client.startLabelDetection(request);
      const second = await client.startLabelDetection({ ...request, ClientRequestToken: 'twice' });
      expect(second.JobId).not.toBe(first.JobId);
    });
  });

  it.each([
    ['1 by default', undefined, 1],
    ['maxConcurrentJobs', 2, 2],
  ])('runs %s analyses at once and queues the rest', async (_case, maxConcurrentJobs, running) => {
    const { analyzeVideo, calls } = controllableAnalysis();
    const client = newClient({ analyzeVideo, maxConcurrentJobs });
    for (const Video of [videoA, videoB, videoC]) await client.startLabelDetection({ Video });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toHaveLength(running);
    calls[0]?.settle.resolve(bottleAnalysis);
    await vi.waitFor(() => expect(calls).toHaveLength(running + 1));
  });

  it('answers LimitExceededException beyond maxOpenJobs waiting or running jobs, and accepts again once one ends', async () => {
    const { analyzeVideo, calls } = controllableAnalysis();
    const client = newClient({ analyzeVideo, maxOpenJobs: 2 });
    await client.startLabelDetection({ Video: videoA });
    await client.startLabelDetection({ Video: videoA });
    await expect(client.startLabelDetection({ Video: videoA })).rejects.toThrow(LimitExceededException);
    const end = ended(client);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]?.settle.resolve(bottleAnalysis);
    await end;
    await expect(client.startLabelDetection({ Video: videoA })).resolves.toHaveProperty('JobId');
  });

  it('defaults to 20 open jobs, as Rekognition', async () => {
    const client = newClient({ analyzeVideo: controllableAnalysis().analyzeVideo });
    for (let i = 0; i < 20; i += 1) await client.startLabelDetection({ Video: videoA });
    await expect(client.startLabelDetection({ Video: videoA })).rejects.toThrow(LimitExceededException);
  });

  it('refuses bad requests before creating a job', async () => {
    const analyzeVideo = vi.fn<AnalyzeVideo>(async () => bottleAnalysis);
    const client = newClient({ analyzeVideo });
    await expect(client.startLabelDetection({ Video: { S3Object: { Bucket: 'media', Name: 'missing.mp4' } } })).rejects.toThrow(
      InvalidS3ObjectException,
    );
    await expect(client.startLabelDetection({ Video: videoA, MinConfidence: 101 })).rejects.toThrow(InvalidParameterException);
    await expect(client.getLabelDetection({ JobId: 'f'.repeat(64) })).rejects.toThrow(ResourceNotFoundException);
    await expect(client.getLabelDetection({ JobId: 'not a job id' })).rejects.toThrow(InvalidParameterException);
    expect(analyzeVideo).not.toHaveBeenCalled();
  });

  it('destroy stops the running job and ends queued ones FAILED, then refuses new jobs', async () => {
    const { analyzeVideo, calls } = controllableAnalysis();
    const client = newClient({ analyzeVideo });
    const endedJobs: JobEnded[] = [];
    client.on('jobEnded', (job) => endedJobs.push(job));
    const running = await client.startLabelDetection({ Video: videoA });
    const queued = await client.startLabelDetection({ Video: videoB });
    await vi.waitFor(() => expect(calls).toHaveLength(1));

    await client.destroy();
    expect(calls[0]?.signal?.aborted).toBe(true);
    expect(calls).toHaveLength(1);
    expect(endedJobs.map((job) => [job.JobId, job.Status])).toEqual(
      expect.arrayContaining([
        [running.JobId, 'FAILED'],
        [queued.JobId, 'FAILED'],
      ]),
    );
    expect(endedJobs).toHaveLength(2);
    for (const { JobId } of [running, queued]) {
      const job = await client.getLabelDetection({ JobId: JobId as string });
      expect(job.JobStatus).toBe('FAILED');
      expect(job.StatusMessage).toMatch(/LabelDetectionClient was destroyed/);
    }
    await expect(client.startLabelDetection({ Video: videoA })).rejects.toThrow(/destroyed/);
  });

  describe('reusing analyses', () => {
    it('analyses an unchanged video once for jobs with other settings, each job reading its own settings', async () => {
      const analyzeVideo = vi.fn<AnalyzeVideo>(async () => bottleAnalysis);
      const client = newClient({ analyzeVideo });
      const firstEnd = ended(client);
      const all = await client.startLabelDetection({ Video: videoA });
      await firstEnd;
      const secondEnd = ended(client);
      const onlyBeverage = await client.startLabelDetection({
        Video: videoA,
        Settings: { GeneralLabels: { LabelInclusionFilters: ['Beverage'] } },
      });
      expect(await secondEnd).toMatchObject({ JobId: onlyBeverage.JobId, Status: 'SUCCEEDED' });
      expect(analyzeVideo).toHaveBeenCalledTimes(1);
      const names = async (JobId?: string) =>
        (await client.getLabelDetection({ JobId: JobId as string })).Labels?.map((label) => label.Label?.Name);
      expect(await names(all.JobId)).toEqual(['Beverage', 'Bottle', 'Beverage', 'Bottle']);
      expect(await names(onlyBeverage.JobId)).toEqual(['Beverage', 'Beverage']);
    });

    it('analyses again once the file changed, and never keeps a failure', async () => {
      let outcome: 'fail' | 'succeed' = 'fail';
      const analyzeVideo = vi.fn<AnalyzeVideo>(async () => (outcome === 'fail' ? Promise.reject(new Error('decoder crashed')) : bottleAnalysis));
      const client = newClient({ analyzeVideo });
      const runToEnd = async () => {
        const end = ended(client);
        await client.startLabelDetection({ Video: videoA });
        return (await end).Status;
      };
      expect(await runToEnd()).toBe('FAILED');
      outcome = 'succeed';
      expect(await runToEnd()).toBe('SUCCEEDED');
      expect(await runToEnd()).toBe('SUCCEEDED');
      expect(analyzeVideo).toHaveBeenCalledTimes(2);
      await appendFile(`${bucketDir}/a.mp4`, 'more bytes');
      expect(await runToEnd()).toBe('SUCCEEDED');
      expect(analyzeVideo).toHaveBeenCalledTimes(3);
    });
  });

  describe('send', () => {
    it('takes the SDK commands unchanged', async () => {
      const client = newClient({ analyzeVideo: async () => bottleAnalysis });
      const end = ended(client);
      const started = await client.send(new StartLabelDetectionCommand({ Video: videoA }));
      expect(started.JobId).toMatch(/^[0-9a-f]{64}$/);
      expect(started.$metadata.httpStatusCode).toBe(200);
      await end;
      const result = await client.send(new GetLabelDetectionCommand({ JobId: started.JobId, MaxResults: 1 }));
      expect(result.JobStatus).toBe('SUCCEEDED');
      expect(result.Labels).toHaveLength(1);
      expect(result.NextToken).toEqual(expect.any(String));
    });

    it('refuses other commands by name', async () => {
      const client = newClient({});
      const other = new DetectLabelsCommand({ Image: { Bytes: new Uint8Array() } });
      await expect(client.send(other as unknown as GetLabelDetectionCommand)).rejects.toThrow(/not DetectLabelsCommand/);
    });
  });

  describe('with a dataDir', () => {
    it('serves results and NextTokens after a restart, and fails jobs the restart interrupted', async () => {
      const dataDir = `${root}/data`;
      const first = newClient({ dataDir, analyzeVideo: async () => bottleAnalysis });
      const end = ended(first);
      const { JobId: doneJobId } = await first.startLabelDetection({ Video: videoA, ClientRequestToken: 'persisted' });
      await end;
      const firstPage = await first.getLabelDetection({ JobId: doneJobId as string, MaxResults: 1 });
      await first.destroy();

      const dying = newClient({ dataDir, analyzeVideo: controllableAnalysis().analyzeVideo });
      const { JobId: interruptedJobId } = await dying.startLabelDetection({ Video: videoB });

      const second = newClient({ dataDir, analyzeVideo: async () => bottleAnalysis });
      const secondPage = await second.getLabelDetection({ JobId: doneJobId as string, MaxResults: 1, NextToken: firstPage.NextToken });
      expect(secondPage.JobStatus).toBe('SUCCEEDED');
      expect(secondPage.Labels).toHaveLength(1);
      expect(secondPage.Labels?.[0]).not.toEqual(firstPage.Labels?.[0]);
      expect(await second.startLabelDetection({ Video: videoA, ClientRequestToken: 'persisted' })).toEqual({ JobId: doneJobId });
      const interrupted = await second.getLabelDetection({ JobId: interruptedJobId as string });
      expect(interrupted.JobStatus).toBe('FAILED');
      expect(interrupted.StatusMessage).toMatch(/interrupted by a restart/);
    });
  });

  it('signs NextTokens with the tokenSecret option when given, over the one kept in the dataDir', async () => {
    const dataDir = `${root}/data`;
    const first = newClient({ dataDir, tokenSecret: 'secret-one', analyzeVideo: async () => bottleAnalysis });
    const end = ended(first);
    const { JobId } = await first.startLabelDetection({ Video: videoA });
    await end;
    const { NextToken } = await first.getLabelDetection({ JobId: JobId as string, MaxResults: 1 });
    await first.destroy();

    const sameSecret = newClient({ dataDir, tokenSecret: 'secret-one' });
    await expect(sameSecret.getLabelDetection({ JobId: JobId as string, NextToken })).resolves.toHaveProperty('JobStatus', 'SUCCEEDED');
    const otherSecret = newClient({ dataDir, tokenSecret: 'secret-two' });
    await expect(otherSecret.getLabelDetection({ JobId: JobId as string, NextToken })).rejects.toThrow(InvalidPaginationTokenException);
    const persistedSecret = newClient({ dataDir });
    await expect(persistedSecret.getLabelDetection({ JobId: JobId as string, NextToken })).rejects.toThrow(InvalidPaginationTokenException);
  });
});
