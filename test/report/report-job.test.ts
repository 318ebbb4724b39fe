import { execa } from 'execa';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LabelDetectionClient } from '../../src/client.js';
import type { VideoAnalysis } from '../../src/types.js';
import { media } from '../media.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** A finished job whose analysis is made up: one bottle box at 1 s and 2 s of the real bottle video. */
async function storedJob(): Promise<{ dataDir: string; bucketDir: string; jobId: string }> {
  const root = await mkdtemp(join(tmpdir(), 'edge-label-detection-report-job-'));
  const dataDir = join(root, 'data');
  const bucketDir = join(root, 'bucket');
  await mkdir(bucketDir);
  await copyFile(media.bottle, join(bucketDir, 'bottle.mp4'));
  const analysis: VideoAnalysis = {
    videoMetadata: { Codec: 'h264', DurationMillis: 39_855, Format: 'MP4', FrameRate: 29.83, FrameWidth: 640, FrameHeight: 360, ColorRange: 'LIMITED' },
    labelModelVersion: 'stub-1',
    sampleIntervalMs: 1000,
    analysedTimestampsMs: [0, 1000, 2000, 3000],
    labels: [
      {
        label: { name: 'Bottle', parents: [], aliases: [], categories: ['Kitchen and Dining'] },
        occurrences: [1000, 2000].map((timestampMs) => ({ timestampMs, confidence: 90, instances: [{ box: { left: 0.4, top: 0.3, width: 0.1, height: 0.5 }, confidence: 90 }] })),
      },
    ],
  };
  const client = new LabelDetectionClient({ dataDir, buckets: { media: bucketDir }, analyzeVideo: async () => analysis });
  const ended = once(client, 'jobEnded');
  const { JobId } = await client.startLabelDetection({ Video: { S3Object: { Bucket: 'media', Name: 'bottle.mp4' } } });
  await ended;
  await client.destroy();
  return { dataDir, bucketDir, jobId: JobId! };
}

describe('edge-label-detection report <JobId>', () => {
  it('reads the job from the data directory and pictures its video found through --bucket', async () => {
    const { dataDir, bucketDir, jobId } = await storedJob();
    const out = join(dataDir, 'report.html');
    const run = await execa('node', [cli, 'report', jobId, '--data-dir', dataDir, '--bucket', `media=${bucketDir}`, '--frames', '2', '--out', out], { reject: false });
    expect(run.exitCode, String(run.stderr)).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('<title>bottle.mp4');
    // Two samples 1 s apart make one segment, 1.0 to 3.0 s of 39.855 s.
    expect([...html.matchAll(/class="segment" data-label="Bottle"/g)]).toHaveLength(1);
    expect([...html.matchAll(/<figure class="frame" data-timestamp="(\d+)"/g)].map((match) => match[1])).toEqual(['1000', '2000']);
    // Thumbnails are 480 wide, so 480x270 for this 16:9 video: the box (0.4, 0.3, 0.1, 0.5) lands at 192,81 48x135.
    const outlines = [...html.matchAll(/<rect class="outline" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((match) => match.slice(1).join(','));
    expect(outlines).toEqual(['192,81,48,135', '192,81,48,135']);
  }, 120_000);

  it('without the video, still writes the timeline and says how to get the frames', async () => {
    const { dataDir, jobId } = await storedJob();
    const out = join(dataDir, 'report.html');
    const run = await execa('node', [cli, 'report', jobId, '--data-dir', dataDir, '--out', out], { reject: false });
    expect(run.exitCode, String(run.stderr)).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('data-label="Bottle"');
    expect(html).toContain('pass --video (or --bucket for a job)');
  }, 120_000);

  it('fails naming the JobId that does not exist', async () => {
    const { dataDir } = await storedJob();
    const run = await execa('node', [cli, 'report', 'nosuchjob', '--data-dir', dataDir, '--out', join(dataDir, 'x.html')], { reject: false });
    expect(run.exitCode).toBe(1);
    expect(String(run.stderr)).toMatch(/ResourceNotFoundException: JobId nosuchjob/);
  }, 120_000);
});
