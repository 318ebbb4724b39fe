/**
 * Stopping a long run: Ctrl-C on the CLI and an AbortSignal in the library must stop ffmpeg and the
 * detector workers promptly and leave no process behind. Each test analyses the video through its
 * own uniquely named link, so any process still naming that path is a leftover of this test.
 */
import { execa } from 'execa';
import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../src/pipeline.js';
import { media } from '../media.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

async function uniqueVideoLink(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'edge-label-detection-abort-'));
  const link = join(directory, `abort-${process.pid}-${Date.now()}.mp4`);
  await symlink(media.car, link);
  return link;
}

/** Command lines of every process that names the path (ffmpeg gets it as its input). */
async function processesNaming(path: string): Promise<string[]> {
  const { stdout } = await execa('ps', ['-eo', 'pid,args']);
  return String(stdout)
    .split('\n')
    .filter((line) => line.includes(path));
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('stopping a long run', () => {
  it('Ctrl-C on "detect --fps all" exits 130 within seconds and leaves no ffmpeg or worker behind', async () => {
    const video = await uniqueVideoLink();
    const child = execa('node', [cli, 'detect', video, '--fps', 'all', '--workers', '2', '--json-logs'], { reject: false });
    const events: Array<Record<string, unknown>> = [];
    const firstProgress = new Promise<void>((resolve) => {
      createInterface({ input: child.stderr! }).on('line', (line) => {
        events.push(JSON.parse(line) as Record<string, unknown>);
        if (events.at(-1)?.event === 'progress') resolve();
      });
    });
    // Frames are flowing, so ffmpeg is decoding and the workers are busy.
    await Promise.race([firstProgress, child]);
    expect((await processesNaming(video)).some((line) => line.includes('ffmpeg'))).toBe(true);

    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const result = await child;
    const secondsToExit = (Date.now() - interruptedAt) / 1000;
    expect(result.exitCode, `signal ${result.signal}; stderr: ${events.map((event) => JSON.stringify(event)).join('\n')}`).toBe(130);
    expect(secondsToExit).toBeLessThan(5);
    expect(events.at(-1)).toMatchObject({ event: 'error', exitCode: 130 });
    expect(isAlive(child.pid!)).toBe(false);
    expect(await processesNaming(video)).toEqual([]);
  }, 120_000);

  it('analyzeVideo rejects promptly once its signal is aborted, and stops its ffmpeg', async () => {
    const video = await uniqueVideoLink();
    const controller = new AbortController();
    let abortedAt = 0;
    let ffmpegWhileRunning: string[] | undefined;
    const analysis = analyzeVideo(video, {
      fps: 'all',
      workers: 1,
      signal: controller.signal,
      onProgress: () => {
        if (ffmpegWhileRunning) return;
        ffmpegWhileRunning = [];
        // Frames are flowing, so ffmpeg is mid-video: see it, then abort.
        void processesNaming(video).then((lines) => {
          ffmpegWhileRunning = lines;
          abortedAt = Date.now();
          controller.abort(new Error('stop requested by the test'));
        });
      },
    });
    await expect(analysis).rejects.toThrow('stop requested by the test');
    expect(Date.now() - abortedAt).toBeLessThan(3000);
    expect(ffmpegWhileRunning?.some((line) => line.includes('ffmpeg'))).toBe(true);
    expect(await processesNaming(video)).toEqual([]);
  }, 120_000);
});
