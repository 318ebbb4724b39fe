import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { media } from '../media.js';

// The built command, as a user runs it (npm test builds first).
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const run = (args: string[]) => execa('node', [cli, ...args], { reject: false, timeout: 180_000 });

describe('edge-label-detection detect', () => {
  it('prints a GetLabelDetection response for a real video and exits 0', async () => {
    const result = await run(['detect', media.bottle, '--fps', '1', '--workers', '2', '--aggregate-by', 'SEGMENTS']);
    expect(result.exitCode).toBe(0);
    const response = JSON.parse(String(result.stdout));
    expect(response.JobStatus).toBe('SUCCEEDED');
    expect(response.Labels.some((label: { Label: { Name: string } }) => label.Label.Name === 'Bottle')).toBe(true);
    expect(String(result.stderr)).toMatch(/backend: (wasm|tensorflow)/);
  });

  it('fails in one line naming the file when it does not exist', async () => {
    const result = await run(['detect', '/no/such/video.mp4']);
    expect(result.exitCode).toBe(1);
    const lines = String(result.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/InvalidS3ObjectException: .*\/no\/such\/video\.mp4/);
  });

  it('refuses an out-of-range --min-confidence with InvalidParameterException', async () => {
    const result = await run(['detect', media.bottle, '--min-confidence', '150']);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(/InvalidParameterException: MinConfidence/);
  });

  it('refuses an unknown --tiling, and EDGE_LABEL_DETECTION_TILING, naming them, before loading a model', async () => {
    const flag = await run(['detect', media.bottle, '--tiling', 'grid']);
    expect(flag.exitCode).toBe(1);
    expect(String(flag.stderr)).toMatch(/InvalidParameterException: --tiling: must be one of off, tiles, got "grid"/);
    const environment = await execa('node', [cli, 'detect', media.bottle, '--fps', '1'], {
      reject: false,
      timeout: 180_000,
      env: { EDGE_LABEL_DETECTION_TILING: 'grid' },
    });
    expect(environment.exitCode).toBe(1);
    expect(String(environment.stderr)).toMatch(/InvalidParameterException: EDGE_LABEL_DETECTION_TILING must be one of off, tiles/);
  });

  it('exits 2 with usage for an unknown command', async () => {
    const result = await run(['frobnicate']);
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toMatch(/unknown command "frobnicate"/);
  });
});
