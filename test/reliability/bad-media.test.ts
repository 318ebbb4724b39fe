/**
 * Bad media through the job API with the real pipeline: every file ends its job FAILED with a
 * StatusMessage naming the problem (or is refused at StartLabelDetection when the first bytes
 * already tell), and the same client goes on to analyse a good video.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelDetectionClient, type JobProgress } from '../../src/client.js';
import { InvalidS3ObjectException, VideoTooLargeException } from '../../src/errors.js';
import { ffmpegComplaint } from '../../src/frames/sample.js';
import { checkVideoLimits, VIDEO_LIMITS } from '../../src/frames/index.js';
import { rejectionOf, untilEnded } from './jobs.js';
import { makeAudioOnly, makeClip, makeDeclaredFrameSize, makeRandomBehindMp4Header, seededRandom, truncatedCopy } from './media.js';

const metadata = (FrameWidth: number, FrameHeight: number, DurationMillis = 1000, Codec = 'h264') => ({
  Codec,
  DurationMillis,
  Format: 'MP4',
  FrameRate: 10,
  FrameWidth,
  FrameHeight,
});

describe('checkVideoLimits', () => {
  it('accepts the largest H.264 frame (8192x4352) and Rekognition\'s 6 hours exactly', () => {
    expect(() => checkVideoLimits('v.mp4', metadata(8192, 4352, 6 * 3600 * 1000))).not.toThrow();
    expect(() => checkVideoLimits('v.mp4', metadata(4352, 8192))).not.toThrow();
  });

  it.each([
    ['a side above 8192', 8208, 16, /frame size 8208x16 is larger/],
    ['more pixels than 8192x4352', 8192, 4368, /frame size 8192x4368 is larger/],
    ['a declared 16384x16384', 16384, 16384, /frame size 16384x16384 is larger/],
  ])('refuses %s with VideoTooLargeException naming the file', (_case, width, height, message) => {
    const attempt = () => checkVideoLimits('/videos/big.mp4', metadata(width, height));
    expect(attempt).toThrow(VideoTooLargeException);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow('/videos/big.mp4');
  });

  it('refuses a video longer than 6 hours with VideoTooLargeException', () => {
    const attempt = () => checkVideoLimits('long.mp4', metadata(640, 360, VIDEO_LIMITS.maxDurationMs + 1));
    expect(attempt).toThrow(VideoTooLargeException);
    expect(attempt).toThrow(/more than the maximum of 21600000 ms/);
  });

  it('refuses a codec outside the accepted ones with InvalidS3ObjectException, and any codec passes without a list', () => {
    const attempt = () => checkVideoLimits('clip.mp4', metadata(640, 360, 1000, 'hevc'), ['h264']);
    expect(attempt).toThrow(InvalidS3ObjectException);
    expect(attempt).toThrow('clip.mp4: unsupported codec hevc (accepted: h264)');
    expect(() => checkVideoLimits('clip.mp4', metadata(640, 360, 1000, 'hevc'))).not.toThrow();
  });
});

describe('ffmpegComplaint', () => {
  it.each([
    ['[h264 @ 0x2244f880] non-existing PPS 0 referenced', 'h264: non-existing PPS 0 referenced'],
    ['[mov,mp4,m4a,3gp,3g2,mj2 @ 0x90edd80] stream 0, offset 0x156a: partial file', 'mov,mp4,m4a,3gp,3g2,mj2: stream 0, offset 0x156a: partial file'],
    ['Error while decoding stream #0:0: Invalid data found when processing input', 'Error while decoding stream #0:0: Invalid data found when processing input'],
    ['/videos/a.mp4: No such file or directory', '/videos/a.mp4: No such file or directory'],
  ])('reads %j as a complaint', (line, complaint) => {
    expect(ffmpegComplaint(line, '/videos/a.mp4')).toBe(complaint);
  });

  it.each([
    'Conversion failed!',
    'Error marking filters as finished',
    'Cannot determine format of input stream 0:0 after EOF',
    'Stream mapping:',
    "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/videos/a.mp4':",
    '[Parsed_showinfo_2 @ 0x1] config in time_base: 1/11456',
  ])('does not take %j for one: it names no problem', (line) => {
    expect(ffmpegComplaint(line, '/videos/a.mp4')).toBeUndefined();
  });
});

describe('bad media through LabelDetectionClient (real pipeline, 1 fps, 1 worker)', () => {
  let directory: string;
  let client: LabelDetectionClient;
  let permissive: LabelDetectionClient;
  const video = (Name: string) => ({ S3Object: { Bucket: 'media', Name } });

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'reliability-media-'));
    const at = (name: string) => path.join(directory, name);
    const clip = await makeClip(at('clip.mp4'), 2);
    await Promise.all([
      writeFile(at('zero.mp4'), ''),
      writeFile(at('random.mp4'), Buffer.from(Array.from({ length: 4096 }, seededRandom(7)).map((x) => Math.floor(x * 256)))),
      makeRandomBehindMp4Header(at('random-behind-header.mp4'), 4096, seededRandom(11)),
      ...[10, 50, 90].map((percent) => truncatedCopy(clip, at(`cut-${percent}.mp4`), percent)),
      makeAudioOnly(at('tone.m4a')),
      makeDeclaredFrameSize(directory, 15_360),
      makeClip(at('hevc.mp4'), 2, 'libx265'),
      makeClip(at('six-seconds.mp4'), 6),
    ]);
    client = new LabelDetectionClient({ buckets: { media: directory }, analyze: { fps: 1, workers: 1 } });
    permissive = new LabelDetectionClient({ buckets: { media: directory }, analyze: { fps: 1, workers: 1 }, allowAnyVideoFormat: true });
  });

  afterAll(async () => {
    await Promise.all([client?.destroy(), permissive?.destroy()]);
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const failedJob = async (on: LabelDetectionClient, name: string) => {
    const { JobId = '' } = await on.startLabelDetection({ Video: video(name) });
    const ended = await untilEnded(on, JobId);
    expect(ended.JobStatus).toBe('FAILED');
    expect(ended.Labels).toEqual([]);
    // The caller named an S3 object; the server's own file paths never appear.
    expect(ended.StatusMessage).toMatch(new RegExp(`^s3://media/${name.replace('.', '\\.')}: `));
    expect(ended.StatusMessage).not.toContain(directory);
    return ended.StatusMessage ?? '';
  };

  it.each([
    ['a zero-byte file', 'zero.mp4'],
    ['random bytes named .mp4', 'random.mp4'],
  ])('refuses %s at StartLabelDetection: its first bytes are no MP4, MOV or AVI', async (_case, name) => {
    const error = await rejectionOf(client.startLabelDetection({ Video: video(name) }));
    expect(error).toBeInstanceOf(InvalidS3ObjectException);
    expect(error.message).toBe(`s3://media/${name}: not an MP4, MOV or AVI video (allowAnyVideoFormat accepts other formats)`);
  });

  it.each([
    ['a zero-byte file, when any format is allowed', 'zero.mp4', /zero\.mp4: not a readable video \(.*Invalid data found/],
    ['random bytes, when any format is allowed', 'random.mp4', /random\.mp4: not a readable video \(.*Invalid data found/],
  ])('fails %s', async (_case, name, message) => {
    expect(await failedJob(permissive, name)).toMatch(message);
  });

  it('fails random bytes behind a valid MP4 header, which passes the start check', async () => {
    expect(await failedJob(client, 'random-behind-header.mp4')).toMatch(/random-behind-header\.mp4: not a readable video/);
  });

  it.each([10, 50, 90])('fails an MP4 cut at %i%% as truncated, even when the frames before the cut decode', async (percent) => {
    expect(await failedJob(client, `cut-${percent}.mp4`)).toMatch(
      new RegExp(`cut-${percent}\\.mp4: the file is shorter than its index says, truncated or damaged \\(mov,mp4,m4a,3gp,3g2,mj2: stream 0, offset 0x[0-9a-f]+: partial file\\)`),
    );
  });

  it('fails an audio-only file: no video stream', async () => {
    expect(await failedJob(client, 'tone.m4a')).toMatch(/tone\.m4a: the file has no video stream/);
  });

  it('fails a declared 15360x15360 frame size before decoding it (decoding it takes ffmpeg ~2.5 GB and ~20 s here)', async () => {
    const started = Date.now();
    expect(await failedJob(client, 'declared-15360x15360.mp4')).toMatch(/declared-15360x15360\.mp4: frame size 15360x15360 is larger than the maximum/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fails HEVC, which Rekognition does not analyse, and analyses it when any format is allowed', async () => {
    expect(await failedJob(client, 'hevc.mp4')).toMatch(/hevc\.mp4: unsupported codec hevc \(accepted: h264\)/);
    const { JobId = '' } = await permissive.startLabelDetection({ Video: video('hevc.mp4') });
    const ended = await untilEnded(permissive, JobId);
    expect(ended).toMatchObject({ JobStatus: 'SUCCEEDED', VideoMetadata: { Codec: 'hevc', FrameWidth: 320, FrameHeight: 180 } });
  });

  it('fails a job whose file is deleted while it waits in the queue: no such object', async () => {
    await copyFile(path.join(directory, 'six-seconds.mp4'), path.join(directory, 'doomed.mp4'));
    const running = await client.startLabelDetection({ Video: video('six-seconds.mp4') });
    const queued = await client.startLabelDetection({ Video: video('doomed.mp4') });
    await rm(path.join(directory, 'doomed.mp4'));
    expect((await untilEnded(client, running.JobId ?? '')).JobStatus).toBe('SUCCEEDED');
    const ended = await untilEnded(client, queued.JobId ?? '');
    expect(ended.JobStatus).toBe('FAILED');
    expect(ended.StatusMessage).toBe('s3://media/doomed.mp4: no such object, or it cannot be read');
  });

  it('finishes a job whose file is deleted while ffmpeg reads it: the open file stays readable, as an object Rekognition already read', async () => {
    await copyFile(path.join(directory, 'six-seconds.mp4'), path.join(directory, 'vanishing.mp4'));
    const { JobId = '' } = await client.startLabelDetection({ Video: video('vanishing.mp4') });
    await new Promise<void>((resolve) => {
      const onProgress = (progress: JobProgress) => {
        if (progress.JobId !== JobId) return;
        client.off('progress', onProgress);
        resolve();
      };
      client.on('progress', onProgress);
    });
    await rm(path.join(directory, 'vanishing.mp4'));
    const ended = await untilEnded(client, JobId);
    expect(ended.JobStatus).toBe('SUCCEEDED');
    expect(ended.VideoMetadata?.DurationMillis).toBeGreaterThan(5_000);
  });

  it('keeps serving: after all of the above, a good clip is analysed', async () => {
    const { JobId = '' } = await client.startLabelDetection({ Video: video('clip.mp4') });
    const result = await untilEnded(client, JobId);
    expect(result.JobStatus).toBe('SUCCEEDED');
    expect(result.Labels?.some((label) => label.Label?.Name === 'Bottle')).toBe(true);
  });
});
