/**
 * Pipeline benchmark: every figure comes from this one run, on the same input, and is printed as a
 * ratio beside the limit it is judged against. Run with `npm run bench` (builds first).
 *
 *   decode-only      ffmpeg -> the pipeline's frame reader, no model
 *   model-only       the same frame in a loop through 1 worker, and through N workers at once
 *   end-to-end       analyzeVideo with 1..N workers (pool started beforehand)
 *   naive baseline   ffmpeg writes JPEG files; each is decoded and detected in turn on the main thread
 *   memory           peak RSS of end-to-end runs on a 1x and a 10x longer input (child processes)
 *   work avoidance   inferences and label presence with and without similar-frame skipping and
 *                    adaptive sampling
 *
 * Every stage uses the default tiling (EDGE_LABEL_DETECTION_TILING overrides it; tiles: one inference per view),
 * the naive baseline included, so that ratios compare pipelines doing the same model work.
 */
import { execa } from 'execa';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { selectBackend } from '../src/detect/backend.js';
import { createDetectorPool, defaultWorkerCount, type DetectorPool } from '../src/detect/index.js';
import { loadModelManifest } from '../src/detect/manifest.js';
import { loadDetector } from '../src/detect/models.js';
import { probeVideo, resolveBinary, sampleFrames } from '../src/frames/index.js';
import { analysisFrameSize, analysisViews } from '../src/detect/views.js';
import { environmentSettings } from '../src/config.js';
import { DEFAULT_TILING } from '../src/detect/views.js';
import { analyzeVideo, type AnalyzeOptions } from '../src/pipeline.js';
import type { Box, VideoAnalysis } from '../src/types.js';
import { decodeOnly, firstFrame, modelOnly, secondsSince } from './stage-rates.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const media = join(root, 'media');
const cacheDirectory = join(root, 'bench', '.cache');
const resultsDirectory = join(root, 'bench', 'results');
const FPS = 2;
const ffmpeg = resolveBinary('ffmpeg').path;

const seconds = secondsSince;

/** Bottle + car clips, scaled to one size and joined: a ~70 s input long enough to time. */
async function concatenatedInput(): Promise<string> {
  const output = join(cacheDirectory, 'long-1x.mp4');
  await mkdir(cacheDirectory, { recursive: true });
  await execa(ffmpeg, [
    '-y', '-v', 'error',
    '-i', join(media, 'bottle-detection.mp4'),
    '-i', join(media, 'car-detection.mp4'),
    '-filter_complex', '[0:v]scale=640:360,setsar=1,fps=30[a];[1:v]scale=640:360,setsar=1,fps=30[b];[a][b]concat=n=2:v=1:a=0[v]',
    '-map', '[v]', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', output,
  ]);
  return output;
}

/** The same input repeated `times` times without re-encoding. */
async function repeatedInput(input: string, times: number): Promise<string> {
  const list = join(cacheDirectory, `repeat-${times}.txt`);
  const output = join(cacheDirectory, `long-${times}x.mp4`);
  await writeFile(list, Array.from({ length: times }, () => `file '${input}'`).join('\n'));
  await execa(ffmpeg, ['-y', '-v', 'error', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', output]);
  return output;
}

async function endToEnd(input: string, options: AnalyzeOptions): Promise<{ frames: number; seconds: number; inferred: number; analysis: VideoAnalysis }> {
  let frames = 0;
  let inferred = 0;
  const startedAt = process.hrtime.bigint();
  const analysis = await analyzeVideo(input, {
    fps: FPS,
    // Throughput is measured per sampled frame: every frame to the model unless a row asks for work avoidance.
    analyzeEveryFrame: true,
    ...options,
    onProgress: (progress) => {
      frames = progress.framesDone;
      inferred = progress.framesInferred ?? progress.framesDone;
    },
  });
  return { frames, seconds: seconds(startedAt), inferred, analysis };
}

/** What most users would write first: JPEG files on disk, decoded and detected one by one in the main thread. */
async function naiveBaseline(input: string, width: number, height: number, views: readonly Box[]): Promise<{ frames: number; seconds: number }> {
  const manifest = loadModelManifest('centernet');
  await selectBackend();
  const detector = await loadDetector(manifest);
  const directory = await mkdtemp(join(tmpdir(), 'eld-naive-'));
  try {
    const startedAt = process.hrtime.bigint();
    await execa(ffmpeg, ['-v', 'error', '-i', input, '-vf', `fps=${FPS}`, '-q:v', '3', join(directory, 'frame-%06d.jpg')]);
    const files = (await readdir(directory)).sort();
    for (const file of files) {
      const image = jpeg.decode(await readFile(join(directory, file)), { useTArray: true, formatAsRGBA: false });
      const resized = tf.tidy(() =>
        tf.image.resizeBilinear(tf.tensor3d(image.data, [image.height, image.width, 3], 'int32'), [height, width]).round().toInt(),
      );
      const pixels = new Uint8Array(await resized.data());
      resized.dispose();
      await detector.detect(pixels, width, height, views);
    }
    return { frames: files.length, seconds: seconds(startedAt) };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Peak RSS of a whole end-to-end run, measured in a fresh process so runs do not share a heap. */
async function peakRssMiB(input: string, fps: number): Promise<{ peakRssMiB: number; frames: number }> {
  const script = `
    import { analyzeVideo } from ${JSON.stringify(join(root, 'dist', 'pipeline.js'))};
    const analysis = await analyzeVideo(process.argv[1], { fps: ${fps}, analyzeEveryFrame: true });
    console.log(JSON.stringify({ peakRssMiB: process.resourceUsage().maxRSS / 1024, frames: analysis.analysedTimestampsMs.length }));
  `;
  const { stdout } = await execa('node', ['--input-type=module', '-e', script, input]);
  return JSON.parse(String(stdout).trim().split('\n').at(-1) ?? '{}') as { peakRssMiB: number; frames: number };
}

/** Temporal IoU of each label's presence (MinConfidence 50) between two analyses of one video. */
function presenceIou(reference: VideoAnalysis, candidate: VideoAnalysis): number {
  const present = (analysis: VideoAnalysis) =>
    new Set(analysis.labels.flatMap((label) => label.occurrences.filter((o) => o.confidence >= 50).map((o) => `${label.label.name}@${o.timestampMs}`)));
  const a = present(reference);
  const b = present(candidate);
  const union = new Set([...a, ...b]).size;
  return union === 0 ? 1 : [...a].filter((key) => b.has(key)).length / union;
}

const table = (rows: Array<[string, string, string]>) => {
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')).join('\n');
};

async function main(): Promise<void> {
  const cpuCount = cpus().length;
  const maxWorkers = defaultWorkerCount();
  const manifest = loadModelManifest('centernet');

  const input = await concatenatedInput();
  const input10x = await repeatedInput(input, 10);
  const probed = await probeVideo(input);
  const tiling = environmentSettings().tiling ?? DEFAULT_TILING;
  const { width, height } = analysisFrameSize(probed.metadata.FrameWidth, probed.metadata.FrameHeight, manifest.input, tiling);
  const views = analysisViews(width, height, tiling);

  const pools = new Map<number, DetectorPool>();
  for (let workers = 1; workers <= maxWorkers; workers += 1) pools.set(workers, await createDetectorPool({ workers }));
  const onePool = pools.get(1)!;
  const backend = onePool.backend;

  const decode = await decodeOnly(input, FPS, width, height);
  const decodeFps = decode.frames / decode.seconds;
  const sample = await firstFrame(input, FPS, width, height);
  const modelFpsPerWorker = await modelOnly(onePool, sample, views, 20);
  const modelFpsAllWorkers = await modelOnly(pools.get(maxWorkers)!, sample, views, 20 * maxWorkers);

  const endToEndRuns: Array<{ workers: number; fps: number; frames: number }> = [];
  for (const [workers, pool] of pools) {
    const run = await endToEnd(input, { detector: pool });
    endToEndRuns.push({ workers, fps: run.frames / run.seconds, frames: run.frames });
  }
  const best = endToEndRuns.at(-1)!;
  const single = endToEndRuns[0]!;

  const skipping: Array<{ video: string; mode: string; frames: number; inferredFull: number; inferredSkipping: number; presenceIou: number }> = [];
  const avoidanceModes: Array<[string, AnalyzeOptions]> = [
    ['similar frames', { analyzeEveryFrame: false, skipSimilarFrames: true, adaptiveSampling: false }],
    ['similar frames + adaptive sampling (the default)', { analyzeEveryFrame: false }],
  ];
  for (const video of ['bottle-detection.mp4', 'car-detection.mp4']) {
    const full = await endToEnd(join(media, video), { detector: pools.get(maxWorkers)! });
    for (const [mode, avoidance] of avoidanceModes) {
      const skipped = await endToEnd(join(media, video), { detector: pools.get(maxWorkers)!, ...avoidance });
      skipping.push({ video, mode, frames: full.frames, inferredFull: full.inferred, inferredSkipping: skipped.inferred, presenceIou: presenceIou(full.analysis, skipped.analysis) });
    }
  }
  for (const pool of pools.values()) await pool.destroy();

  const naive = await naiveBaseline(input, width, height, views);
  const naiveFps = naive.frames / naive.seconds;

  const rss1x = await peakRssMiB(input, 0.5);
  const rss10x = await peakRssMiB(input10x, 0.5);

  const limit = Math.min(decodeFps, modelFpsAllWorkers);
  const results = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cpuCount, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    backend,
    model: { name: manifest.name, version: manifest.labelModelVersion, input: `${manifest.input.width}x${manifest.input.height}` },
    tiling: { mode: tiling, frame: `${width}x${height}`, views: views.length },
    input: { path: input, durationMs: probed.metadata.DurationMillis, size: `${probed.metadata.FrameWidth}x${probed.metadata.FrameHeight}`, sampleFps: FPS },
    decodeOnlyFps: decodeFps,
    modelOnlyFpsPerWorker: modelFpsPerWorker,
    modelOnlyFpsAllWorkers: { workers: maxWorkers, fps: modelFpsAllWorkers },
    endToEnd: endToEndRuns,
    naiveBaselineFps: naiveFps,
    peakRss: { input1x: rss1x, input10x: rss10x, ratio: rss10x.peakRssMiB / rss1x.peakRssMiB },
    workAvoidance: skipping,
    ratios: {
      endToEndVsLimit: best.fps / limit,
      workersScaling: best.fps / single.fps,
      endToEndVsNaive: best.fps / naiveFps,
      rss10xVs1x: rss10x.peakRssMiB / rss1x.peakRssMiB,
    },
  };

  console.log(`machine: ${results.machine.cpu}, ${cpuCount} CPUs, ${results.machine.memoryGiB} GiB, node ${process.version}`);
  console.log(`backend: ${backend.backend} (${backend.provider}); model: ${manifest.name} ${manifest.labelModelVersion}, input ${manifest.input.width}x${manifest.input.height}`);
  console.log(`tiling: ${tiling}: frames decoded at ${width}x${height}, ${views.length} view(s) = inferences per analysed frame`);
  console.log(`input: ${input} (${(probed.metadata.DurationMillis / 1000).toFixed(1)} s, ${results.input.size}), sampled at ${FPS} frames/s`);
  console.log('');
  console.log(
    table([
      ['measure', 'frames/s', 'note'],
      ['decode-only', decodeFps.toFixed(2), `${decode.frames} frames, ffmpeg -> frame reader, no model`],
      ['model-only, 1 worker', modelFpsPerWorker.toFixed(2), `same frame x20 through one worker (${views.length} inferences each)`],
      [`model-only, ${maxWorkers} workers`, modelFpsAllWorkers.toFixed(2), `same frame x${20 * maxWorkers}, all workers busy (${(modelFpsAllWorkers / modelFpsPerWorker).toFixed(2)} x 1 worker)`],
      ...endToEndRuns.map(({ workers, fps, frames }): [string, string, string] => [`end-to-end, ${workers} worker(s)`, fps.toFixed(2), `${frames} frames`]),
      ['naive baseline', naiveFps.toFixed(2), `${naive.frames} JPEGs, sequential, main thread`],
    ]),
  );
  console.log('');
  console.log(
    table([
      ['ratio', 'value', 'target'],
      [`end-to-end (${maxWorkers} workers) / min(decode, model-only with ${maxWorkers} workers)`, results.ratios.endToEndVsLimit.toFixed(3), '>= 0.9'],
      [`  (against ${maxWorkers} x the 1-worker model-only rate, perfect scaling assumed)`, (best.fps / Math.min(decodeFps, maxWorkers * modelFpsPerWorker)).toFixed(3), 'info'],
      [`${maxWorkers} workers / 1 worker`, results.ratios.workersScaling.toFixed(3), '>= 1.7 (2 cores)'],
      ['end-to-end / naive baseline', results.ratios.endToEndVsNaive.toFixed(3), '>= 2'],
      [`peak RSS 10x input / 1x input (${rss10x.peakRssMiB.toFixed(0)} / ${rss1x.peakRssMiB.toFixed(0)} MiB)`, results.ratios.rss10xVs1x.toFixed(3), '<= 1.15'],
      ...skipping.map(({ video, mode, frames, inferredFull, inferredSkipping, presenceIou: iou }): [string, string, string] => [
        `${mode} on ${video}: analysed frames ${inferredFull} -> ${inferredSkipping} of ${frames}; presence IoU ${iou.toFixed(3)}`,
        (inferredFull / Math.max(1, inferredSkipping)).toFixed(3),
        '>= 2x fewer, IoU >= 0.95',
      ]),
    ]),
  );
  await mkdir(resultsDirectory, { recursive: true });
  const file = join(resultsDirectory, `pipeline-${results.date.slice(0, 19).replace(/[:T]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten: ${file}`);
}

await main();
