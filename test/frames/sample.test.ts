import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { sampleFrames } from '../../src/frames/index.js';
import { presentationTimeMs, sampleFilter } from '../../src/frames/sample.js';
import type { SampledFrame } from '../../src/types.js';
import { media } from '../media.js';

async function collect(frames: AsyncIterable<SampledFrame>): Promise<SampledFrame[]> {
  const all: SampledFrame[] = [];
  for await (const frame of frames) all.push(frame);
  return all;
}

describe('sampleFrames on real media', () => {
  it('samples bottle-detection.mp4 at 2 frames/s with the stream presentation times', async () => {
    const frames = await collect(sampleFrames(media.bottle, { width: 64, height: 48, fps: 2 }));
    // 39.855 s at 2 frames/s: one frame in each of the 80 half-second slots.
    expect(frames).toHaveLength(80);
    expect(frames[0]?.timestampMs).toBe(0);
    const frameDurationMs = 1000 / 29.83;
    frames.forEach((frame, index) => {
      expect(frame.index).toBe(index);
      expect(frame.pixels.length).toBe(64 * 48 * 3);
      // The first frame at or after each slot start: never early, at most one frame late.
      expect(frame.timestampMs).toBeGreaterThanOrEqual(index * 500);
      expect(frame.timestampMs).toBeLessThanOrEqual(index * 500 + frameDurationMs + 1);
    });
  });

  it('decodes every frame with fps "all"', async () => {
    const frames = await collect(sampleFrames(media.car, { width: 32, height: 32, fps: 'all' }));
    // 30.16 s at 12.5 frames/s.
    expect(frames.length).toBeGreaterThanOrEqual(376);
    expect(frames.length).toBeLessThanOrEqual(378);
    expect(frames[1]!.timestampMs - frames[0]!.timestampMs).toBe(80);
  });

  it('produces real pictures: the frames of bottle-detection.mp4 are not blank', async () => {
    const [first] = await collect(sampleFrames(media.bottle, { width: 32, height: 32, fps: 0.1 }));
    const values = new Set(first!.pixels);
    expect(values.size).toBeGreaterThan(50);
  });

  it('stops ffmpeg when the consumer stops early', async () => {
    let taken = 0;
    for await (const _frame of sampleFrames(media.car, { width: 32, height: 32, fps: 'all' })) {
      taken += 1;
      if (taken === 3) break;
    }
    const children = await execa('ps', ['-o', 'comm=', '--ppid', String(process.pid)], { reject: false });
    expect(String(children.stdout)).not.toMatch(/ffmpeg/);
  });
});

describe('sampling helpers', () => {
  it('reads presentation times from showinfo lines and ignores other lines', () => {
    expect(presentationTimeMs('[Parsed_showinfo_2 @ 0x1] n:  12 pts:  68736 pts_time:6.0002  pos: 1 fmt:rgb24')).toBe(6000);
    expect(presentationTimeMs('[Parsed_showinfo_2 @ 0x1] config in time_base: 1/11456')).toBeUndefined();
    expect(presentationTimeMs('Stream #0:0: Video: h264')).toBeUndefined();
  });

  it('selects by time slots, or keeps every frame', () => {
    expect(sampleFilter('all')).toBe('');
    expect(sampleFilter(2)).toContain('floor(t*2)');
  });
});
