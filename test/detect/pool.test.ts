import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetectorPool, type DetectorPool } from '../../src/detect/index.js';
import { InvalidParameterException } from '../../src/errors.js';
import { sampleFrames } from '../../src/frames/index.js';
import type { Detection, SampledFrame } from '../../src/types.js';
import { existsSync } from 'node:fs';
import { analysisFrameSize } from '../../src/detect/views.js';
import { cropAround } from '../../src/detect/second-look.js';
import { iou } from '../../src/geometry.js';
import { isUrl } from '../../src/detect/weights.js';
import { cocoSsdWeights, media, yolov5sWeights } from '../media.js';

async function frameAt(videoPath: string, seconds: number, width: number, height: number): Promise<SampledFrame> {
  for await (const frame of sampleFrames(videoPath, { width, height, fps: 1 })) {
    if (frame.timestampMs >= seconds * 1000) return frame;
  }
  throw new Error(`no frame at ${seconds} s`);
}

describe('CenterNet detector pool (default model, offline)', () => {
  let pool: DetectorPool;
  beforeAll(async () => {
    pool = await createDetectorPool({ workers: 2 });
  });
  afterAll(() => pool?.destroy());

  it('says which backend runs; without tfjs-node installed that is wasm', () => {
    expect(['wasm', 'tensorflow']).toContain(pool.backend.backend);
    expect(pool.backend.reason.length).toBeGreaterThan(0);
    expect(pool.manifest.name).toBe('centernet');
  });

  it('finds the three bottles standing side by side at 5 s in bottle-detection.mp4', async () => {
    const frame = await frameAt(media.bottle, 5, pool.manifest.input.width, pool.manifest.input.height);
    const { detections } = await pool.detect(frame);
    const bottles = detections.filter((d: Detection) => d.className === 'bottle' && d.score >= 0.25);
    expect(bottles).toHaveLength(3);
    for (const { box } of bottles) {
      for (const value of [box.left, box.top, box.left + box.width, box.top + box.height]) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
      // Upright bottles: taller than wide in the 16:9 frame.
      expect(box.height * 360).toBeGreaterThan(box.width * 640);
    }
    // One on the left third, one in the middle, one on the right third of the table.
    const centres = bottles.map(({ box }) => box.left + box.width / 2).sort((a, b) => a - b);
    expect(centres[0]).toBeLessThan(1 / 3);
    expect(centres[1]).toBeGreaterThan(1 / 3);
    expect(centres[1]).toBeLessThan(2 / 3);
    expect(centres[2]).toBeGreaterThan(2 / 3);
  });

  it('transfers the frame to the worker instead of copying it, and gets the buffer back for reuse', async () => {
    const frame = await frameAt(media.bottle, 1, pool.manifest.input.width, pool.manifest.input.height);
    const firstByte = frame.pixels[0];
    const { pixels } = await pool.detect(frame);
    expect(frame.pixels.byteLength).toBe(0);
    expect(pixels?.byteLength).toBe(512 * 512 * 3);
    expect(pixels?.[0]).toBe(firstByte);
  });
});

describe('model selection', () => {
  it('refuses an unknown model with InvalidParameterException', async () => {
    await expect(createDetectorPool({ model: 'nope', workers: 1 })).rejects.toThrow(InvalidParameterException);
  });

  it('explains that coco-ssd needs its weights when none are given', async () => {
    const error = await createDetectorPool({ model: 'coco-ssd', workers: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toMatch(/modelPath/);
  });

  it('explains that yolov5s needs its weights when none are given, and where to get them', async () => {
    const error = await createDetectorPool({ model: 'yolov5s', workers: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toMatch(/modelPath/);
    expect((error as Error).message).toMatch(/fetch-yolov5s\.sh/);
  });

  it.skipIf(!isUrl(cocoSsdWeights) && !existsSync(`${cocoSsdWeights}/model.json`))(
    'coco-ssd finds the bottles too (its weights: bash bench/fetch-coco-ssd.sh, or EDGE_LABEL_DETECTION_COCO_SSD_WEIGHTS; skipped without them)',
    async () => {
      const pool = await createDetectorPool({ model: 'coco-ssd', modelPath: cocoSsdWeights, workers: 1 });
      try {
        const frame = await frameAt(media.bottle, 5, pool.manifest.input.width, pool.manifest.input.height);
        const bottles = (await pool.detect(frame)).detections.filter((d) => d.className === 'bottle');
        expect(bottles.length).toBeGreaterThanOrEqual(2);
      } finally {
        await pool.destroy();
      }
    },
  );
});

// YOLOv5s: not shipped (Ultralytics' weights, GPL/AGPL); bench/fetch-yolov5s.sh fetches them (.ci/run does).
describe.skipIf(!existsSync(`${yolov5sWeights}/model.json`))('YOLOv5s detector pool (its weights: bash bench/fetch-yolov5s.sh; skipped without them)', () => {
  let pool: DetectorPool;
  beforeAll(async () => {
    pool = await createDetectorPool({ model: 'yolov5s', modelPath: yolov5sWeights, workers: 1 });
  });
  afterAll(() => pool?.destroy());

  it('takes 16:9 frames letterboxed, at their own aspect ratio, and finds the three bottles at 5 s in bottle-detection.mp4 where they stand', async () => {
    const size = analysisFrameSize(640, 360, pool.manifest.input, 'off');
    expect(size).toEqual({ width: 640, height: 360 });
    const frame = await frameAt(media.bottle, 5, size.width, size.height);
    const { detections } = await pool.detect(frame);
    const bottles = detections.filter((d: Detection) => d.className === 'bottle' && d.score >= 0.5);
    expect(bottles).toHaveLength(3);
    for (const { box } of bottles) {
      // Upright bottles standing on the table in the lower part of the frame, taller than wide.
      expect(box.height * 360).toBeGreaterThan(box.width * 640);
      expect(box.top + box.height).toBeGreaterThan(0.5);
      expect(box.top + box.height).toBeLessThanOrEqual(1);
    }
    const centres = bottles.map(({ box }) => box.left + box.width / 2).sort((a, b) => a - b);
    expect(centres[0]).toBeLessThan(1 / 3);
    expect(centres[1]).toBeGreaterThan(1 / 3);
    expect(centres[1]).toBeLessThan(2 / 3);
    expect(centres[2]).toBeGreaterThan(2 / 3);
  });

  it('looks again at one bottle on a crop around it (second-look.ts, at 320 x 320) and sees it there, on the same box', async () => {
    const frame = await frameAt(media.bottle, 5, 1138, 640);
    const { detections } = await pool.detect({ ...frame, pixels: frame.pixels.slice() });
    const bottle = detections.filter((d: Detection) => d.className === 'bottle').sort((a, b) => a.box.left - b.box.left)[1]!;
    const look = await pool.lookAgain(frame, cropAround(bottle.box, 1138, 640));
    const again = look.detections.filter((d: Detection) => d.className === 'bottle' && iou(d.box, bottle.box) >= 0.5);
    expect(again).toHaveLength(1);
    expect(again[0]!.score).toBeGreaterThan(0.5);
  });
});
