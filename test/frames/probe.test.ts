import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidS3ObjectException } from '../../src/errors.js';
import { probeVideo, toProbedVideo } from '../../src/frames/index.js';
import { frameRateOf, measuredFrameRate } from '../../src/frames/probe.js';
import { media } from '../media.js';
import { makeHalfFilledAvi } from '../reliability/media.js';

describe('probeVideo on real media', () => {
  it('reads bottle-detection.mp4 as the media notes describe it: 640x360, ~39.9 s, h264, ~30 fps', async () => {
    const { metadata } = await probeVideo(media.bottle);
    expect(metadata.FrameWidth).toBe(640);
    expect(metadata.FrameHeight).toBe(360);
    expect(metadata.Codec).toBe('h264');
    expect(Math.abs(metadata.DurationMillis - 39_900)).toBeLessThanOrEqual(100);
    expect(metadata.FrameRate).toBeGreaterThan(29);
    expect(metadata.FrameRate).toBeLessThan(31);
    expect(metadata.ColorRange).toBe('LIMITED');
    expect(metadata.Format).toBe('MP4');
  });

  it('reads car-detection.mp4: 768x432, 30.2 s, 12.5 fps, video stream only', async () => {
    const { metadata } = await probeVideo(media.car);
    expect([metadata.FrameWidth, metadata.FrameHeight]).toEqual([768, 432]);
    expect(Math.abs(metadata.DurationMillis - 30_200)).toBeLessThanOrEqual(100);
    expect(metadata.FrameRate).toBeCloseTo(12.5, 5);
  });

  it('gives an AVI that declares 50 frames/s for its 25 the frame rate of its frames', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'eld-avi-'));
    try {
      const { metadata } = await probeVideo(await makeHalfFilledAvi(path.join(directory, 'half-filled.avi'), 4));
      expect(metadata.Format).toBe('AVI');
      expect(metadata.FrameRate).toBeCloseTo(25, 1);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('names the file when it does not exist', async () => {
    const error = await probeVideo('/nonexistent/clip.mp4').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidS3ObjectException);
    expect((error as Error).message).toContain('/nonexistent/clip.mp4');
  });
});

describe('frame rate', () => {
  const packets = (times: number[], size = '100') => times.map((time) => ({ pts_time: String(time), size }));
  const everyFrame = (fps: number, frames: number) => Array.from({ length: frames }, (_, index) => index / fps);

  it('measures frames per second from the pictures\' presentation times, skipping empty packets and repeats', () => {
    expect(measuredFrameRate(packets(everyFrame(25, 50)))).toBeCloseTo(25, 9);
    expect(measuredFrameRate([...packets(everyFrame(25, 50)), ...packets([0.02, 0.06], '0'), ...packets([0, 0.04])])).toBeCloseTo(25, 9);
    expect(measuredFrameRate(packets([0, 0.04]))).toBeUndefined();
    expect(measuredFrameRate(undefined)).toBeUndefined();
  });

  it('keeps the declared rate while it agrees with the frames, else takes the measured one', () => {
    const stream = (avg: string, r = avg) => ({ avg_frame_rate: avg, r_frame_rate: r });
    expect(frameRateOf(stream('30000/1001'), packets(everyFrame(29.97, 100)))).toBe(30000 / 1001);
    expect(frameRateOf(stream('50/1', '25/1'), packets(everyFrame(25, 100)))).toBeCloseTo(25, 9);
    expect(frameRateOf(stream('50/1'), packets(everyFrame(25, 100)))).toBeCloseTo(25, 9);
    expect(frameRateOf(stream('12/1'), packets([0]))).toBe(12);
    expect(frameRateOf(stream('0/0', '25/1'), undefined)).toBe(25);
  });
});

describe('toProbedVideo', () => {
  const stream = { codec_type: 'video', codec_name: 'h264', width: 1280, height: 720, avg_frame_rate: '24000/1001', duration: '5.005' };

  it('converts ffprobe fields to VideoMetadata', () => {
    const { metadata } = toProbedVideo({ streams: [stream], format: { format_long_name: 'QuickTime / MOV', format_name: 'mov,mp4,m4a', tags: { major_brand: 'qt  ' } } }, 'a.mp4');
    expect(metadata).toEqual({
      Codec: 'h264',
      DurationMillis: 5005,
      Format: 'MOV',
      FrameRate: 24000 / 1001,
      FrameHeight: 720,
      FrameWidth: 1280,
      ColorRange: 'LIMITED',
    });
  });

  it('names containers as Rekognition does: MP4, MOV, AVI; others by their long name', () => {
    const format = (f: object) => toProbedVideo({ streams: [stream], format: f }, 'a').metadata.Format;
    expect(format({ format_name: 'mov,mp4,m4a,3gp,3g2,mj2', tags: { major_brand: 'isom' } })).toBe('MP4');
    expect(format({ format_name: 'mov,mp4,m4a,3gp,3g2,mj2', tags: { major_brand: 'qt  ' } })).toBe('MOV');
    expect(format({ format_name: 'avi', format_long_name: 'AVI (Audio Video Interleaved)' })).toBe('AVI');
    expect(format({ format_name: 'gif', format_long_name: 'CompuServe Graphics Interchange Format (GIF)' })).toBe('CompuServe Graphics Interchange Format (GIF)');
  });

  it('reports FULL range for pc-range streams and for full-range pixel formats', () => {
    const full = (extra: object) => toProbedVideo({ streams: [{ ...stream, ...extra }] }, 'a.mp4').metadata.ColorRange;
    expect(full({ color_range: 'pc' })).toBe('FULL');
    expect(full({ pix_fmt: 'yuvj420p' })).toBe('FULL');
    expect(full({ pix_fmt: 'bgra' })).toBe('FULL');
    expect(full({ pix_fmt: 'yuv420p' })).toBe('LIMITED');
  });

  it('refuses a file without a video stream, naming it', () => {
    expect(() => toProbedVideo({ streams: [{ codec_type: 'audio', codec_name: 'aac' }] }, 'song.m4a')).toThrow(/song\.m4a: the file has no video stream/);
  });

  it('falls back to the container duration when the stream has none', () => {
    const { duration: _ignored, ...withoutDuration } = stream;
    const { metadata } = toProbedVideo({ streams: [withoutDuration], format: { duration: '2.5' } }, 'a.mkv');
    expect(metadata.DurationMillis).toBe(2500);
  });
});
