/**
 * One hour of video through the default CLI path, as a user runs it: `edge-label-detection detect
 * hour.mp4` with default settings. The input is built from the test clips by stream copy (the
 * concat demuxer, no re-encoding; nothing is committed): the four 480x270, 15 frames/s clips of
 * media/ (a conveyor belt of fruit, a meeting room, a shop aisle, an empty surface), repeated.
 *
 *   npm run bench:hour                  # 60 and 10 minutes, default path; 5 minutes with work avoidance off
 *   npm run bench:hour -- --minutes 20  # a shorter long run (and its 10-minute comparison)
 *   npm run bench:hour -- --minutes 10 --skip-every-frame   # one 10-minute run and the breakdown
 *
 * Prints the machine, backend, wall time, real-time factor (wall / video duration), inferences per
 * sampled frame, peak RSS at 10 vs 60 minutes of input, the progress bar's ETA error at 25/50/75 %,
 * the same run's real-time factor with work avoidance off (every frame, tiled: the default
 * before), and where the default path's time per sampled frame goes (decode alone, model alone
 * times the inferences it asked for, the rest). JSON into bench/results/.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { createDetectorPool } from '../src/detect/index.js';
import { loadModelManifest } from '../src/detect/manifest.js';
import { analysisFrameSize, analysisViews, DEFAULT_TILING } from '../src/detect/views.js';
import { DEFAULT_SAMPLE_FPS, probeVideo, resolveBinary } from '../src/frames/index.js';
import { decodeOnly, firstFrame, modelOnly } from './stage-rates.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = join(root, 'bench', '.cache', 'hour');
const resultsDirectory = join(root, 'bench', 'results');
const cli = join(root, 'dist', 'cli.js');
const CLIPS = ['fruit-and-vegetable-detection.mp4', 'classroom.mp4', 'store-aisle-detection.mp4', 'bolt-multi-size-detection.mp4'];

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '60' }, 'skip-every-frame': { type: 'boolean', default: false } } });
const longMinutes = Number(values.minutes);

/** `minutes` of video from the clips, by stream copy; made once and kept in the cache. */
async function concatenated(minutes: number): Promise<string> {
  mkdirSync(cache, { recursive: true });
  const output = join(cache, `clips-${minutes}min.mp4`);
  if (existsSync(output)) return output;
  const list = join(cache, 'clips.txt');
  // One pass of the four clips is 16.7 s; enough passes to cover the longest input.
  const passes = Math.ceil((minutes * 60) / 16.6) + 1;
  writeFileSync(list, Array.from({ length: passes }, () => CLIPS.map((clip) => `file '${join(root, 'media', clip)}'`).join('\n')).join('\n'));
  await execa(resolveBinary('ffmpeg').path, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', '-t', String(minutes * 60), output]);
  return output;
}

interface ProgressEvent {
  time: string;
  framesDone: number;
  framesTotal: number;
  framesInferred?: number;
  etaSeconds: number | null;
}

interface Run {
  minutes: number;
  everyFrame: boolean;
  wallSeconds: number;
  realTimeFactor: number;
  sampledFrames: number;
  inferredFrames: number;
  peakRssMiB: number;
  /** At 25, 50 and 75 % of the frames: the ETA shown then, the time it really took from there, and the error. */
  eta: Array<{ atPercent: number; shownSeconds: number; actualSeconds: number; errorPercent: number }>;
  /** Sampled frames per second in each tenth of the run (a drift shows as a falling rate). */
  framesPerSecondByTenth: number[];
}

/** Runs the CLI on `input`, reading its JSON log and sampling its peak RSS (VmHWM) until it exits. */
async function detect(input: string, minutes: number, everyFrame: boolean): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [cli, 'detect', input, '--json-logs', '--out', join(cache, 'result.json'), ...(everyFrame ? ['--analyze-every-frame'] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  let peakKiB = 0;
  const sampler = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (match) peakKiB = Math.max(peakKiB, Number(match[1]));
    } catch {
      // The process has just exited.
    }
  }, 500);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`detect exited ${code}:\n${log.slice(-2000)}`);
  const ended = Date.now();
  const events = log.trim().split('\n').map((line) => JSON.parse(line) as { event: string } & Partial<ProgressEvent>);
  const progress = events.filter((event): event is { event: string } & ProgressEvent => event.event === 'progress');
  const last = progress.at(-1)!;
  const eta = [25, 50, 75].map((atPercent) => {
    const at = progress.find((event) => event.framesDone / event.framesTotal >= atPercent / 100)!;
    const shownSeconds = at.etaSeconds ?? Number.NaN;
    const actualSeconds = (ended - Date.parse(at.time)) / 1000;
    return { atPercent, shownSeconds, actualSeconds, errorPercent: (100 * (shownSeconds - actualSeconds)) / actualSeconds };
  });
  const reachedAt = (fraction: number) => (fraction === 0 ? started : Date.parse(progress.find((event) => event.framesDone / event.framesTotal >= fraction)!.time));
  const framesPerSecondByTenth = Array.from({ length: 10 }, (_, tenth) => (last.framesDone / 10) / ((reachedAt((tenth + 1) / 10) - reachedAt(tenth / 10)) / 1000));
  const wallSeconds = (ended - started) / 1000;
  return { minutes, everyFrame, wallSeconds, realTimeFactor: wallSeconds / (minutes * 60), sampledFrames: last.framesDone, inferredFrames: last.framesInferred ?? last.framesDone, peakRssMiB: peakKiB / 1024, eta, framesPerSecondByTenth };
}

interface Breakdown {
  views: number;
  decodeFps: number;
  modelFps: number;
  perSampledFrameMs: { wall: number; decode: number; model: number; rest: number; target: number };
}

/**
 * Where the time of `run` went, per sampled frame: decoding on its own, the model on its own (all
 * workers) times the share of frames it inferred, and the rest (tracking, scheduling, what the two
 * cost each other on shared cores), against what the 10-minutes-an-hour target allows.
 */
async function breakdownOf(input: string, run: Run): Promise<Breakdown> {
  const manifest = loadModelManifest('centernet');
  const probed = await probeVideo(input);
  const { width, height } = analysisFrameSize(probed.metadata.FrameWidth, probed.metadata.FrameHeight, manifest.input, DEFAULT_TILING);
  const views = analysisViews(width, height, DEFAULT_TILING);
  const decode = await decodeOnly(input, DEFAULT_SAMPLE_FPS, width, height);
  const pool = await createDetectorPool({});
  let modelFps: number;
  try {
    modelFps = await modelOnly(pool, await firstFrame(input, DEFAULT_SAMPLE_FPS, width, height), views, 20 * pool.workers);
  } finally {
    await pool.destroy();
  }
  const wall = (1000 * run.wallSeconds) / run.sampledFrames;
  const decodeMs = (1000 * decode.seconds) / decode.frames;
  const model = (1000 * (run.inferredFrames / run.sampledFrames)) / modelFps;
  return {
    views: views.length,
    decodeFps: decode.frames / decode.seconds,
    modelFps,
    perSampledFrameMs: { wall, decode: decodeMs, model, rest: wall - decodeMs - model, target: 1000 / (6 * DEFAULT_SAMPLE_FPS) },
  };
}

const describe = (run: Run) =>
  `${String(run.minutes).padStart(3)} min, ${run.everyFrame ? 'every frame  ' : 'default path '}: ${run.wallSeconds.toFixed(0).padStart(5)} s wall, real-time factor ${run.realTimeFactor.toFixed(3)}, ` +
  `${run.inferredFrames}/${run.sampledFrames} frames inferred (${(run.inferredFrames / run.sampledFrames).toFixed(2)} per sampled frame), peak RSS ${run.peakRssMiB.toFixed(0)} MiB; ` +
  `frames/s by tenth ${run.framesPerSecondByTenth.map((rate) => rate.toFixed(2)).join(' ')}; ETA error ${run.eta.map((point) => `${point.atPercent} %: ${point.errorPercent >= 0 ? '+' : ''}${point.errorPercent.toFixed(0)} % (${point.shownSeconds.toFixed(0)} s shown, ${point.actualSeconds.toFixed(0)} s taken)`).join('; ')}`;

async function main(): Promise<void> {
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  const doctor = JSON.parse(String((await execa(process.execPath, [cli, 'doctor', '--json'], { reject: false })).stdout || '{}')) as { facts?: { backend?: unknown } };
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}`);
  console.log(`backend: ${JSON.stringify(doctor.facts?.backend ?? 'see doctor')}; model: centernet (default), tiled, 2 frames/s`);
  console.log(`input: ${CLIPS.join(', ')}, repeated by stream copy`);
  const runs: Run[] = [];
  for (const minutes of new Set([10, longMinutes])) {
    const run = await detect(await concatenated(minutes), minutes, false);
    runs.push(run);
    console.log(describe(run));
  }
  if (!values['skip-every-frame']) {
    const run = await detect(await concatenated(5), 5, true);
    runs.push(run);
    console.log(describe(run));
  }
  const ten = runs[0]!;
  const long = runs.find((run) => run.minutes === longMinutes && !run.everyFrame)!;
  const every = runs.find((run) => run.everyFrame);
  const breakdown = await breakdownOf(await concatenated(10), ten);
  const perFrame = breakdown.perSampledFrameMs;
  console.log(
    `10 min, default path, per sampled frame: ${perFrame.wall.toFixed(0)} ms wall = decode ${perFrame.decode.toFixed(0)} ms (alone: ${breakdown.decodeFps.toFixed(1)} frames/s) + ` +
      `model ${perFrame.model.toFixed(0)} ms (${(ten.inferredFrames / ten.sampledFrames).toFixed(2)} inferred x ${breakdown.views} views; alone: ${breakdown.modelFps.toFixed(2)} frames/s with all workers) + ` +
      `rest ${perFrame.rest.toFixed(0)} ms; the target allows ${perFrame.target.toFixed(0)} ms`,
  );
  const summary = {
    realTimeFactor: long.realTimeFactor,
    meetsTenMinutesPerHour: long.realTimeFactor <= 1 / 6,
    peakRssLongVsTen: long.peakRssMiB / ten.peakRssMiB,
    ...(every ? { speedUpOverEveryFrame: every.realTimeFactor / long.realTimeFactor } : {}),
  };
  console.log(`\nreal-time factor ${summary.realTimeFactor.toFixed(3)} (target <= 0.167: ${summary.meetsTenMinutesPerHour ? 'met' : 'not met'}); peak RSS ${longMinutes} min / 10 min ${summary.peakRssLongVsTen.toFixed(3)} (target <= 1.15)${every ? `; default path ${summary.speedUpOverEveryFrame!.toFixed(2)}x faster than every frame tiled` : ''}`);
  mkdirSync(resultsDirectory, { recursive: true });
  const file = join(resultsDirectory, `hour-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, backend: doctor.facts?.backend, clips: CLIPS, runs, breakdown, summary }, null, 2)}\n`);
  console.log(`written ${file}`);
}

await main();
