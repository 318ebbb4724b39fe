import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const doctor = (args: string[], env: Record<string, string> = {}) => execa('node', [cli, 'doctor', ...args], { reject: false, timeout: 120_000, env });

describe('edge-label-detection doctor', () => {
  it('exits 0 when the default model loads on this machine, naming backend, ffmpeg and models', async () => {
    const result = await doctor([]);
    expect(result.exitCode, String(result.stdout)).toBe(0);
    const text = String(result.stdout);
    expect(text).toMatch(/backend +(wasm|tensorflow|cpu) via @tensorflow\//);
    expect(text).toMatch(/^\[ok\] {3}ffmpeg /m);
    expect(text).toMatch(/^\[ok\] {3}model centernet +loads on /m);
    expect(text).toMatch(/^Ready: centernet runs on /m);
  }, 120_000);

  it('exits 1 for coco-ssd without weights, printing the command that fixes it', async () => {
    const result = await doctor(['--model', 'coco-ssd']);
    expect(result.exitCode).toBe(1);
    expect(String(result.stdout)).toMatch(/^\[FAIL\] model coco-ssd /m);
    expect(String(result.stdout)).toMatch(/fix: edge-label-detection doctor --model coco-ssd --model-path /);
  }, 120_000);

  it('exits 1 when FFMPEG_PATH points at a missing file, and says so in --json', async () => {
    const result = await doctor(['--json'], { FFMPEG_PATH: '/no/such/ffmpeg' });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(String(result.stdout)) as { usable: boolean; checks: Array<{ area: string; status: string; fix?: string }> };
    expect(report.usable).toBe(false);
    expect(report.checks.find((check) => check.area === 'ffmpeg')).toMatchObject({ status: 'fail', fix: expect.stringContaining('unset FFMPEG_PATH') });
  }, 120_000);
});
