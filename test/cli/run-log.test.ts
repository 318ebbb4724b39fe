import { describe, expect, it } from 'vitest';
import { createRunLog, textLogLine } from '../../src/cli/run-log.js';
import { progressLine } from '../../src/cli/progress.js';

const fakeStderr = () => {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (chunk: string) => lines.push(chunk) !== 0 } as unknown as NodeJS.WriteStream;
  return { stream, lines };
};

describe('createRunLog json', () => {
  it('writes one JSON object per line, progress at most once a second plus the last frame', () => {
    const { stream, lines } = fakeStderr();
    let nowMs = 0;
    const log = createRunLog('json', stream, () => new Date(nowMs));
    log.emit({ event: 'start', video: 'v.mp4', fps: 2, model: 'centernet', workers: null, analysis: 'analysis: 2 frames/s' });
    for (const framesDone of [1, 2, 3, 4]) {
      nowMs = framesDone * 400;
      log.progress({ framesDone, framesTotal: 4 }, nowMs);
    }
    log.emit({ event: 'done', frames: 4, seconds: 1.6, framesPerSecond: 2.5, labels: 1 });
    const events = lines.map((line) => {
      expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
      return JSON.parse(line) as Record<string, unknown>;
    });
    // 400 ms: first progress; 800 and 1200 ms are within a second of it; 1600 ms is the last frame.
    expect(events.map((event) => [event.event, event.framesDone])).toEqual([
      ['start', undefined],
      ['progress', 1],
      ['progress', 4],
      ['done', undefined],
    ]);
    expect(events[1]).toMatchObject({ time: '1970-01-01T00:00:00.400Z', framesTotal: 4, framesPerSecond: 2.5, etaSeconds: 1.2 });
    expect(events[2]).toMatchObject({ etaSeconds: 0 });
  });

  it('reports an error as an event with its Rekognition name and exit code', () => {
    const { stream, lines } = fakeStderr();
    const log = createRunLog('json', stream);
    const error = Object.assign(new Error('video.mp4: no such file\nstack'), { name: 'InvalidS3ObjectException' });
    log.error(error, 1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'error', name: 'InvalidS3ObjectException', message: 'video.mp4: no such file', exitCode: 1 });
  });

  it('writes nothing when quiet', () => {
    const { stream, lines } = fakeStderr();
    const log = createRunLog('quiet', stream);
    log.emit({ event: 'start', video: 'v.mp4', fps: 'all', model: 'centernet', workers: 2, analysis: 'analysis: every frame' });
    log.progress({ framesDone: 1, framesTotal: 2 }, 1000);
    log.error(new Error('x'), 1);
    expect(lines).toEqual([]);
  });
});

describe('text lines', () => {
  it('says when an annotated video has boxes only', () => {
    expect(textLogLine({ event: 'annotated', path: 'o.mp4', boxes: 3, labelsDrawn: false })).toMatch(/o\.mp4 \(3 boxes; no font found/);
  });

  it('shows frames, frames/s and the ETA in the progress bar', () => {
    // 10 of 40 frames in 5 s: 2 frames/s, 30 frames left = 15 s.
    expect(progressLine({ framesDone: 10, framesTotal: 40 }, 5000, 8)).toBe('[##------] 10/40 frames  2.0 frames/s  ETA 15s');
  });
});
