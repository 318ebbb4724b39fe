/** Work avoidance is on by default in every entry point, and one flag turns it off. */
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeOptionsFrom, describeAnalysis } from '../../src/cli/flags.js';
import { describeConfig, parseServeArgs } from '../../src/cli/serve-command.js';
import { parseWorkerArgs } from '../../src/cli/worker-command.js';
import { InvalidParameterException } from '../../src/errors.js';
import { media } from '../media.js';
import { makeFramesClip } from '../reliability/media.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const queue = ['--queue', 'redis://127.0.0.1:6379'];

describe('the --analyze-every-frame switch', () => {
  it('is off by default in detect, serve and worker, and turns work avoidance off when given', () => {
    expect(analyzeOptionsFrom({}, {}).analyzeEveryFrame).toBeUndefined();
    expect(analyzeOptionsFrom({ 'analyze-every-frame': true }, {}).analyzeEveryFrame).toBe(true);
    const serve = parseServeArgs([], {});
    const worker = parseWorkerArgs(queue, {});
    if (serve === 'help' || worker === 'help') throw new Error('unexpected help');
    expect(serve.analyze.analyzeEveryFrame).toBeUndefined();
    expect(worker.worker.analyze?.analyzeEveryFrame).toBeUndefined();
    const serveOff = parseServeArgs(['--analyze-every-frame'], {});
    const workerOff = parseWorkerArgs([...queue, '--analyze-every-frame'], {});
    if (serveOff === 'help' || workerOff === 'help') throw new Error('unexpected help');
    expect(serveOff.analyze.analyzeEveryFrame).toBe(true);
    expect(workerOff.worker.analyze?.analyzeEveryFrame).toBe(true);
  });

  it('says what is on at start-up', () => {
    expect(describeAnalysis({})).toBe(
      'analysis: 2 frames/s, tiling tiles, work avoidance on (similar frames reuse detections; anchors every 4 sampled frames, bisected where they disagree; --analyze-every-frame turns it off), people looked at (pose, face, hands)',
    );
    expect(describeAnalysis({ analyzeEveryFrame: true, tiling: 'off', fps: 1, lookAtPeople: false })).toBe('analysis: 1 frames/s, tiling off, every sampled frame analysed, objects only (--objects-only)');
    // No --tiling: the environment's, else the model's own (yolov5s looks at the whole frame, then again at what it reports).
    expect(analyzeOptionsFrom({}, {}).tiling).toBeUndefined();
    expect(analyzeOptionsFrom({}, { EDGE_LABEL_DETECTION_TILING: 'off' }).tiling).toBe('off');
    expect(describeAnalysis({ model: 'yolov5s' })).toMatch(/^analysis: 2 frames\/s, tiling off, /);
    expect(describeAnalysis({ model: 'yolov5s', tiling: 'tiles' })).toMatch(/^analysis: 2 frames\/s, tiling tiles, /);
    const serve = parseServeArgs([], {});
    if (serve === 'help') throw new Error('unexpected help');
    expect(describeConfig(serve, 'http://127.0.0.1:1')).toContain(describeAnalysis(serve.analyze));
  });

  it('refuses a value for the switch with InvalidParameterException naming the flag', () => {
    for (const parse of [() => parseServeArgs(['--analyze-every-frame=yes'], {}), () => parseWorkerArgs([...queue, '--analyze-every-frame=yes'], {})]) {
      expect(parse).toThrow(InvalidParameterException);
      expect(parse).toThrow(/--analyze-every-frame/);
    }
  });

  it('detect infers fewer frames than it samples by default, and every one with the switch', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'eld-avoid-flag-'));
    try {
      const clip = await makeFramesClip(media.bottle, path.join(directory, 'bottle-4s.mp4'), 120);
      const inferred = async (extra: string[]) => {
        const run = await execa('node', [cli, 'detect', clip, '--tiling', 'off', '--workers', '2', '--json-logs', '--out', path.join(directory, 'out.json'), ...extra], { reject: false, timeout: 180_000 });
        expect(run.exitCode, String(run.stderr)).toBe(0);
        const events = String(run.stderr).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
        const last = events.filter((event) => event.event === 'progress').at(-1)!;
        return { done: last.framesDone, inferred: last.framesInferred, start: events[0] };
      };
      const byDefault = await inferred([]);
      expect(byDefault.start).toMatchObject({ event: 'start', analysis: expect.stringMatching(/work avoidance on/) });
      expect(byDefault.inferred as number).toBeLessThan(byDefault.done as number);
      const everyFrame = await inferred(['--analyze-every-frame']);
      expect(everyFrame.inferred).toBe(everyFrame.done);
      expect(everyFrame.done).toBe(byDefault.done);
      const bad = await execa('node', [cli, 'detect', clip, '--analyze-every-frame=no'], { reject: false });
      expect(bad.exitCode).toBe(1);
      expect(String(bad.stderr)).toMatch(/InvalidParameterException: Option '--analyze-every-frame' does not take an argument/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
