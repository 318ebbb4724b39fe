/**
 * What the opt-in YOLOv5s detector costs against the default CenterNet, as the pipeline runs them
 * (detectVideo at the default settings: each model at its own default tiling, CenterNet tiled and
 * YOLOv5s whole frame with its second look, 2 frames/s, work avoidance on, people looks on), on
 * the clips the labels issue names: bottle-detection.mp4 and car-detection.mp4. Each clip runs
 * `--rounds` times per model (default 2), the order of the models swapped every round so that the
 * machine's drift falls on both alike; printed per round: wall time, frames inferred and views looked
 * at (second looks included: each is one view of a crop), and the ratio yolov5s / centernet. Wall time on a shared 2-core machine moves by tens of per
 * cent between rounds; read the ratio, not the seconds.
 *
 *   bash bench/fetch-yolov5s.sh && node --import tsx bench/detector-cost.ts     # JSON into bench/results/
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDetectorPool, type DetectorPool } from '../src/detect/index.js';
import { DEFAULT_TILING } from '../src/detect/views.js';
import { detectVideo } from '../src/pipeline.js';
import { YOLOV5S_WEIGHTS } from './quality/model.js';

const CLIPS = ['bottle-detection.mp4', 'car-detection.mp4'];
const MODELS = ['centernet', 'yolov5s'] as const;
const mediaDirectory = new URL('../media/', import.meta.url);
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' } }, strict: true });
const rounds = Number(values.rounds);

interface Run {
  model: string;
  wallMs: number;
  framesInferred: number;
  views: number;
  sampledFrames: number;
}

/** The pool as the pipeline sees it, counting the views it is asked to look at. */
function countingViews(pool: DetectorPool, counter: { views: number }): DetectorPool {
  return {
    manifest: pool.manifest,
    workers: pool.workers,
    backend: pool.backend,
    detect: (frame, views, people) => {
      counter.views += views?.length ?? 1;
      return pool.detect(frame, views, people);
    },
    lookAgain: (frame, view) => {
      counter.views += 1;
      return pool.lookAgain(frame, view);
    },
    lookForHands: (frame) => pool.lookForHands(frame),
    destroy: () => pool.destroy(),
  };
}

async function runOnce(pool: DetectorPool, model: string, video: string): Promise<Run> {
  const counter = { views: 0 };
  let framesInferred = 0;
  const started = performance.now();
  const detected = await detectVideo(fileURLToPath(new URL(video, mediaDirectory)), { detector: countingViews(pool, counter), onProgress: (progress) => (framesInferred = progress.framesInferred ?? framesInferred) });
  return { model, wallMs: Math.round(performance.now() - started), framesInferred, views: counter.views, sampledFrames: detected.frames.length };
}

const pools = {
  centernet: await createDetectorPool({ workers: availableParallelism() }),
  yolov5s: await createDetectorPool({ model: 'yolov5s', modelPath: YOLOV5S_WEIGHTS, workers: availableParallelism() }),
};
const machine = `${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} cores, node ${process.version}`;
const tilingOf = (pool: DetectorPool) => `${pool.manifest.defaultTiling ?? DEFAULT_TILING}${pool.manifest.secondLook && (pool.manifest.defaultTiling ?? DEFAULT_TILING) === 'off' ? ' + second look' : ''}`;
console.log(`machine: ${machine}; backend ${pools.centernet.backend.backend}; models ${pools.centernet.manifest.labelModelVersion} (${tilingOf(pools.centernet)}) vs ${pools.yolov5s.manifest.labelModelVersion} (${tilingOf(pools.yolov5s)}); default settings`);
const results: Array<{ video: string; round: number; runs: Run[]; ratio: number }> = [];
try {
  for (const video of CLIPS) {
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? MODELS : [...MODELS].reverse();
      const runs: Run[] = [];
      for (const model of order) runs.push(await runOnce(pools[model], model, video));
      const [centernet, yolo] = MODELS.map((model) => runs.find((run) => run.model === model)!);
      const ratio = yolo!.wallMs / centernet!.wallMs;
      results.push({ video, round, runs, ratio });
      console.log(
        `  ${video} round ${round + 1}: ${runs.map((run) => `${run.model} ${(run.wallMs / 1000).toFixed(1)} s (${run.framesInferred}/${run.sampledFrames} frames, ${run.views} views)`).join(', ')}; yolov5s / centernet ${ratio.toFixed(2)}x`,
      );
    }
  }
} finally {
  await Promise.all(Object.values(pools).map((pool) => pool.destroy()));
}
for (const video of CLIPS) {
  const ratios = results.filter((result) => result.video === video).map((result) => result.ratio);
  console.log(`${video}: yolov5s / centernet wall time ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')} (mean ${(ratios.reduce((sum, ratio) => sum + ratio, 0) / ratios.length).toFixed(2)}x)`);
}
const resultsDirectory = new URL('results/', import.meta.url);
mkdirSync(resultsDirectory, { recursive: true });
const output = new URL(`detector-cost-${new Date().toISOString().slice(0, 10)}.json`, resultsDirectory);
writeFileSync(output, `${JSON.stringify({ date: new Date().toISOString(), machine, backend: pools.centernet.backend.backend, results }, null, 2)}\n`);
console.log(`written ${fileURLToPath(output)}`);
