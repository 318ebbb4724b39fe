/**
 * The package as a user installs it from a tarball, not from a checkout: `npm pack`, then `npm
 * install <tarball>` in an empty project with npm's default install-script policy, then the CLI.
 * The tarball must hold what the CLI needs (the built code, model manifests, the taxonomy) and no
 * test media.
 */
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { media } from '../media.js';
import { makeFramesClip } from '../reliability/media.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('installed from the npm tarball', () => {
  let directory: string;
  let tarball: string;
  let project: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'eld-tarball-'));
    // npm test has just built dist/; packing without scripts packs that build.
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', directory], { cwd: root });
    tarball = path.join(directory, (JSON.parse(String(packed.stdout)) as Array<{ filename: string }>)[0]!.filename);
    project = path.join(directory, 'project');
    await mkdir(project);
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'a-user-project', version: '1.0.0', private: true }));
  }, 300_000);
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('holds the built CLI, the model manifests and the taxonomy, and no test media, tests or benchmarks', async () => {
    const files = String((await execa('tar', ['-tzf', tarball])).stdout).split('\n');
    for (const needed of ['package/dist/cli.js', 'package/dist/index.js', 'package/dist/detect/worker.js', 'package/models/centernet/manifest.json', 'package/models/taxonomy.json', 'package/models/coco-classes.json']) {
      expect(files).toContain(needed);
    }
    expect(files.filter((file) => /^package\/(media|test|bench|src)\//.test(file) || /\.(mp4|gif)$/.test(file))).toEqual([]);
  });

  it('installs into an empty project with npm defaults, and its CLI analyses a video', async () => {
    // Dependencies come from the npm cache that installing this repository filled, when they are there.
    await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: project, timeout: 600_000 });
    const clip = await makeFramesClip(media.bottle, path.join(directory, 'bottle-2s.mp4'), 60);
    const detected = await execa('npx', ['--no-install', 'edge-label-detection', 'detect', clip, '--tiling', 'off', '--workers', '2', '--quiet'], { cwd: project, reject: false, timeout: 300_000 });
    expect(detected.stderr).toBe('');
    expect(detected.exitCode).toBe(0);
    const response = JSON.parse(String(detected.stdout));
    expect(response.JobStatus).toBe('SUCCEEDED');
    expect(response.Labels.map((label: { Label: { Name: string } }) => label.Label.Name)).toContain('Bottle');
  }, 900_000);
});
