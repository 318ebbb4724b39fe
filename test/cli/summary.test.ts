import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { summaryLines } from '../../src/cli/summary.js';
import { media } from '../media.js';
import { makeFramesClip } from '../reliability/media.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

describe('summaryLines', () => {
  const bySegments = {
    VideoMetadata: { DurationMillis: 12_000 },
    Labels: [
      { Label: { Name: 'Person' }, StartTimestampMillis: 0, EndTimestampMillis: 2500 },
      { Label: { Name: 'Bottle' }, StartTimestampMillis: 0, EndTimestampMillis: 12_000 },
      { Label: { Name: 'Person' }, StartTimestampMillis: 6000, EndTimestampMillis: 7000 },
    ],
  };
  const byTimestamps = {
    Labels: [
      { Timestamp: 0, Label: { Name: 'Bottle', Instances: [{}, {}, {}] } },
      { Timestamp: 0, Label: { Name: 'Person', Instances: [{}] } },
      { Timestamp: 500, Label: { Name: 'Bottle', Instances: [{}, {}] } },
    ],
  };

  it('lists each label with its segments and the most instances at once, then the backend and speed', () => {
    expect(summaryLines(bySegments, byTimestamps, { backend: 'wasm', framesPerSecond: 1.5 })).toEqual([
      'summary: 2 labels in 12.0 s of video; backend wasm, 1.50 frames/s',
      '  Bottle  0.0-12.0 s  (up to 3 at once)',
      '  Person  0.0-2.5, 6.0-7.0 s  (up to 1 at once)',
    ]);
  });

  it('says so when nothing was found, and counts segments beyond the first four', () => {
    expect(summaryLines({ VideoMetadata: { DurationMillis: 1000 }, Labels: [] }, { Labels: [] }, { backend: 'wasm', framesPerSecond: 2 })).toEqual([
      'summary: no label in 1.0 s of video; backend wasm, 2.00 frames/s',
    ]);
    const many = { Labels: Array.from({ length: 6 }, (_, index) => ({ Label: { Name: 'Vehicle' }, StartTimestampMillis: index * 1000, EndTimestampMillis: index * 1000 + 500 })) };
    expect(summaryLines(many, { Labels: [] }, { backend: 'webgpu', framesPerSecond: 9 })[1]).toBe('  Vehicle  0.0-0.5, 1.0-1.5, 2.0-2.5, 3.0-3.5 and 2 more s');
  });
});

describe('detect on a terminal', () => {
  it('ends with the summary on a terminal, and not with --quiet', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'eld-summary-'));
    try {
      const clip = await makeFramesClip(media.bottle, path.join(directory, 'bottle-2s.mp4'), 60);
      const out = path.join(directory, 'result.json');
      // `script` gives the command a pseudo-terminal; what the command writes there comes back on stdout.
      const onTerminal = (extra: string) => execa('script', ['-qec', `node ${cli} detect ${clip} --tiling off --workers 2 --out ${out} ${extra}`, '/dev/null'], { reject: false, timeout: 180_000 });
      const shown = await onTerminal('');
      expect(shown.exitCode).toBe(0);
      const text = String(shown.stdout);
      expect(text).toMatch(/summary: 1 label in 2\.0 s of video; backend wasm, [0-9.]+ frames\/s/);
      expect(text).toMatch(/ {2}Bottle {2}0\.0-2\.0 s {2}\(up to 3 at once\)/);
      expect(JSON.parse(await readFile(out, 'utf8')).JobStatus).toBe('SUCCEEDED');
      const quiet = await onTerminal('--quiet');
      expect(quiet.exitCode).toBe(0);
      expect(String(quiet.stdout)).not.toMatch(/summary:/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
