/**
 * The WebGPU backend, for real: the CenterNet graph on Dawn, on whatever adapter this machine has
 * (in CI, Mesa's software Vulkan, lavapipe: slow, but the same WebGPU code path a GPU takes).
 * It must see what wasm sees on real frames, and a forced backend that cannot start must say so.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelDetectionClient } from '../../src/client.js';
import { createDetectorPool, type DetectorPool } from '../../src/detect/index.js';
import { sampleFrames } from '../../src/frames/index.js';
import { iou } from '../../src/geometry.js';
import { cropAround } from '../../src/detect/second-look.js';
import { analysisViews } from '../../src/detect/views.js';
import type { Box, Detection, SampledFrame } from '../../src/types.js';
import { media, yolov5sWeights } from '../media.js';
import { makeFramesClip } from '../reliability/media.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Whether Dawn finds any adapter here, asked in a child process so this one never loads Dawn. */
const adapterProbe = await execa(process.execPath, ['-e', "import('webgpu').then(async ({ create, globals }) => { Object.assign(globalThis, globals); const a = await create([]).requestAdapter(); console.log(a ? 'adapter' : 'none'); })"], {
  reject: false,
  env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' },
});
const haveAdapter = String(adapterProbe.stdout).trim() === 'adapter';
if (!haveAdapter) console.log('WebGPU inference tests skipped: no WebGPU adapter (install libvulkan1 and a Vulkan driver; see .ci/run)');

/** How many of `reference`'s detections `other` holds too: same class, box IoU >= 0.9, score within 0.02. */
function agreement(reference: Detection[], other: Detection[]): number {
  const unpaired = [...other];
  let matched = 0;
  for (const detection of reference) {
    const partner = unpaired.findIndex((candidate) => candidate.className === detection.className && iou(candidate.box, detection.box) >= 0.9 && Math.abs(candidate.score - detection.score) <= 0.02);
    if (partner < 0) continue;
    matched += 1;
    unpaired.splice(partner, 1);
  }
  return matched;
}

/** A frame of its own: the pool transfers a frame's pixels to its worker, so each call gets a copy. */
const copy = (frame: SampledFrame): SampledFrame => ({ ...frame, pixels: frame.pixels.slice() });

describe('forced backends that cannot start', () => {
  it('fails detect in one line naming the backend and why', async () => {
    const run = await execa('node', [cli, 'detect', media.bolt, '--backend', 'tensorflow'], { reject: false, timeout: 120_000 });
    expect(run.exitCode).toBe(1);
    expect(String(run.stderr).trim().split('\n').at(-1)).toMatch(/^edge-label-detection: InvalidParameterException: backend tensorflow: cannot start: @tensorflow\/tfjs-node-gpu is not installed; @tensorflow\/tfjs-node is not installed$/);
    const unknown = await execa('node', [cli, 'detect', media.bolt], { reject: false, env: { EDGE_LABEL_DETECTION_BACKEND: 'cuda' } });
    expect(String(unknown.stderr)).toMatch(/InvalidParameterException: EDGE_LABEL_DETECTION_BACKEND must be one of tensorflow, webgpu, wasm, cpu, got "cuda"/);
  });

  it('fails webgpu without an adapter naming the reason', async () => {
    // No Vulkan driver at all: Dawn finds nothing.
    const run = await execa('node', [cli, 'detect', media.bolt], { reject: false, timeout: 120_000, env: { EDGE_LABEL_DETECTION_BACKEND: 'webgpu', VK_ICD_FILENAMES: '/nonexistent.json', VK_DRIVER_FILES: '/nonexistent.json' } });
    expect(run.exitCode).toBe(1);
    expect(String(run.stderr).trim().split('\n').at(-1)).toMatch(/^edge-label-detection: InvalidParameterException: backend webgpu: cannot start: no WebGPU adapter/);
  });

  it('ends a job FAILED, saying why, instead of leaving it IN_PROGRESS', async () => {
    const client = new LabelDetectionClient({ buckets: { media: media.directory }, analyze: { backend: 'tensorflow', workers: 1 } });
    try {
      const { JobId } = await client.startLabelDetection({ Video: { S3Object: { Bucket: 'media', Name: 'bolt-multi-size-detection.mp4' } } });
      let job = await client.getLabelDetection({ JobId: JobId! });
      for (let tries = 0; job.JobStatus === 'IN_PROGRESS' && tries < 600; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = await client.getLabelDetection({ JobId: JobId! });
      }
      expect(job.JobStatus).toBe('FAILED');
      expect(job.StatusMessage).toMatch(/backend tensorflow: cannot start/);
    } finally {
      await client.destroy();
    }
  });
});

describe.skipIf(!haveAdapter)('the webgpu backend on this machine\'s adapter', () => {
  let webgpu: DetectorPool;
  let wasm: DetectorPool;
  let frames: SampledFrame[];

  beforeAll(async () => {
    // Whole frames at the model's input size, 10 s apart: three real pictures of the bottles.
    frames = [];
    for await (const frame of sampleFrames(media.bottle, { fps: 0.1, width: 512, height: 512 })) if (frames.length < 3) frames.push(frame);
    [webgpu, wasm] = await Promise.all([createDetectorPool({ workers: 1, backend: 'webgpu' }), createDetectorPool({ workers: 1, backend: 'wasm' })]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([webgpu?.destroy(), wasm?.destroy()]);
  });

  /** Of wasm's detections on `frames`, how many WebGPU found too (`agreement`). */
  async function agreementOnFrames(frames: SampledFrame[], views?: Box[]): Promise<{ matched: number; total: number }> {
    let matched = 0;
    let total = 0;
    for (const frame of frames) {
      const [onGpu, onCpu] = [(await webgpu.detect(copy(frame), views)).detections, (await wasm.detect(copy(frame), views)).detections];
      total += onCpu.length;
      matched += agreement(onCpu, onGpu);
    }
    return { matched, total };
  }

  it('names the adapter and reports the first run (shader compilation)', () => {
    expect(webgpu.backend).toMatchObject({ backend: 'webgpu', provider: '@tensorflow/tfjs-backend-webgpu' });
    expect(webgpu.backend.adapter?.vendor).toBeTruthy();
    expect(webgpu.backend.firstRunMs).toBeGreaterThan(0);
  });

  it('finds the same detections as wasm on real frames: box IoU >= 0.9 and score within 0.02 for >= 95 %', async () => {
    const { matched, total } = await agreementOnFrames(frames);
    expect(total).toBeGreaterThanOrEqual(6);
    expect(matched / total).toBeGreaterThanOrEqual(0.95);
  }, 300_000);

  it('sends a tiled frame\'s three views as one batch and still finds what wasm finds view by view', async () => {
    expect(webgpu.backend.viewsBatched).toBe(true);
    const wide: SampledFrame[] = [];
    for await (const frame of sampleFrames(media.bottle, { fps: 0.1, width: 910, height: 512 })) if (wide.length < 2) wide.push(frame);
    const views = analysisViews(910, 512, 'tiles');
    expect(views).toHaveLength(3);
    const { matched, total } = await agreementOnFrames(wide, views);
    expect(total).toBeGreaterThanOrEqual(4);
    expect(matched / total).toBeGreaterThanOrEqual(0.95);
  }, 300_000);

  it('runs detect on a 3 s cut with EDGE_LABEL_DETECTION_BACKEND=webgpu and answers correctly', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'eld-webgpu-'));
    try {
      const clip = await makeFramesClip(media.bottle, path.join(directory, 'bottle-3s.mp4'), 90);
      const run = await execa('node', [cli, 'detect', clip, '--tiling', 'off', '--workers', '1'], { reject: false, timeout: 600_000, env: { EDGE_LABEL_DETECTION_BACKEND: 'webgpu' } });
      expect(run.exitCode, String(run.stderr)).toBe(0);
      expect(String(run.stderr)).toMatch(/backend: webgpu \(@tensorflow\/tfjs-backend-webgpu; forced by EDGE_LABEL_DETECTION_BACKEND or --backend; adapter /);
      const response = JSON.parse(String(run.stdout));
      expect(response.JobStatus).toBe('SUCCEEDED');
      expect(response.Labels.map((label: { Label: { Name: string } }) => label.Label.Name)).toContain('Bottle');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 600_000);
});

// The opt-in YOLOv5s rewrites its graph for each input size it is given (detect/yolo-graph.ts):
// the whole 16:9 frame at 640 x 384 and second-look crops at 320 x 320. Those resized graphs must
// run on WebGPU as they do on wasm. Its weights are not shipped: bench/fetch-yolov5s.sh (.ci/run).
describe.skipIf(!haveAdapter || !existsSync(`${yolov5sWeights}/model.json`))('YOLOv5s\'s resized graphs on this machine\'s WebGPU adapter', () => {
  let webgpu: DetectorPool;
  let wasm: DetectorPool;
  beforeAll(async () => {
    const options = { model: 'yolov5s', modelPath: yolov5sWeights, workers: 1 } as const;
    [webgpu, wasm] = await Promise.all([createDetectorPool({ ...options, backend: 'webgpu' }), createDetectorPool({ ...options, backend: 'wasm' })]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([webgpu?.destroy(), wasm?.destroy()]);
  });

  it('sees what wasm sees on whole 640 x 360 frames and on a 320 x 320 crop around a bottle', async () => {
    const frames: SampledFrame[] = [];
    for await (const frame of sampleFrames(media.bottle, { fps: 0.2, width: 640, height: 360 })) if (frames.length < 2) frames.push(frame);
    for (const frame of frames) {
      const [onGpu, onCpu] = [(await webgpu.detect(copy(frame))).detections, (await wasm.detect(copy(frame))).detections];
      // The three bottles on the table, at least.
      expect(onCpu.filter((detection) => detection.className === 'bottle').length).toBeGreaterThanOrEqual(3);
      expect(agreement(onCpu, onGpu)).toBe(onCpu.length);
      const bottle = onCpu.find((detection) => detection.className === 'bottle')!;
      const crop = cropAround(bottle.box, frame.width, frame.height);
      const [lookOnGpu, lookOnCpu] = [(await webgpu.lookAgain(copy(frame), crop)).detections, (await wasm.lookAgain(copy(frame), crop)).detections];
      expect(lookOnCpu.some((detection) => detection.className === 'bottle' && iou(detection.box, bottle.box) >= 0.5)).toBe(true);
      expect(agreement(lookOnCpu, lookOnGpu)).toBe(lookOnCpu.length);
    }
  }, 300_000);
});
