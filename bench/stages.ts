/**
 * Micro-benchmarks (benchmark.js) of the pure stages that run per frame on the main thread, so a
 * regression in one of them shows here before it shows end to end:
 *   planner   FramePlanner decisions for one sampled frame (offer + detections back)
 *   tracker   one ObjectTracker update with 5 objects
 *   nms       class-wise NMS of 100 raw detections (one view)
 *   decode    CenterNet output rows (100 x 6) to detections, calibration and NMS included
 *   response  a GetLabelDetection page from a 2-minute analysis (TIMESTAMPS and SEGMENTS)
 *
 *   npm run bench:stages      # ops/s with the margin of error; JSON into bench/results/
 */
import Benchmark from 'benchmark';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { decodeCenterNet } from '../src/detect/decode.js';
import { classNamesFor, loadModelManifest } from '../src/detect/manifest.js';
import { suppressOverlaps } from '../src/detect/nms.js';
import { changedFraction } from '../src/picture.js';
import { labelTimelinesOf } from '../src/pipeline.js';
import { buildGetLabelDetectionResponse } from '../src/response/index.js';
import { FramePlanner, resolveScheduleOptions, type Decision } from '../src/schedule/index.js';
import { agreementOf, ObjectTracker } from '../src/track/index.js';
import type { Detection, FrameDetections, VideoAnalysis } from '../src/types.js';

const manifest = loadModelManifest('centernet');
const random = (() => {
  let state = 20261201;
  return () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
})();
const classes = ['person', 'bottle', 'car', 'chair', 'cup'];
const detection = (index: number, jitter = 0.01): Detection => ({
  className: classes[index % classes.length]!,
  score: 0.3 + random() * 0.6,
  confidence: 30 + random() * 60,
  box: { left: (index % 5) * 0.18 + random() * jitter, top: 0.3 + random() * jitter, width: 0.1, height: 0.3 },
});

// planner: a frame a sample, the picture changing a little, detections handed back at once.
const schedule = resolveScheduleOptions({});
const agree = agreementOf();
let planner = new FramePlanner(schedule, agree, changedFraction);
let frameIndex = 0;
const signature = new Float32Array(256);
const planOneFrame = () => {
  signature[frameIndex % 256] = (signature[frameIndex % 256]! + 9) % 256;
  const apply = (decisions: readonly Decision[]) => {
    for (const decision of decisions) if ('infer' in decision) apply(planner.detected(decision.index, [detection(0), detection(1)]));
  };
  apply(planner.offer({ index: frameIndex, timestampMs: frameIndex * 500, signature }));
  frameIndex += 1;
  if (frameIndex === 10_000) [planner, frameIndex] = [new FramePlanner(schedule, agree, changedFraction), 0];
};

// tracker: five objects moving slowly.
const tracker = new ObjectTracker();
let trackerTime = 0;
const trackOneFrame = () => {
  trackerTime += 500;
  tracker.update({ timestampMs: trackerTime, detections: Array.from({ length: 5 }, (_, index) => detection(index)) });
};

// nms and decode: 100 rows as the model emits them.
const raw = Array.from({ length: 100 }, (_, index) => detection(index, 0.05));
const rows = new Float32Array(raw.flatMap((d, index) => [d.box.left * 512, d.box.top * 512, (d.box.left + d.box.width) * 512, (d.box.top + d.box.height) * 512, d.score, index % 80]));
const context = { ...manifest, classNames: classNamesFor(manifest), calibration: manifest.calibration.tiles };

// response: 2 minutes at 2 frames/s with 3 tracked objects.
const frames: FrameDetections[] = Array.from({ length: 240 }, (_, index) => ({ timestampMs: index * 500, detections: [0, 1, 2].map((object) => ({ ...detection(object, 0.005), confidence: 80 })) }));
const analysis: VideoAnalysis = { videoMetadata: { DurationMillis: 120_000, FrameWidth: 640, FrameHeight: 360 }, labelModelVersion: manifest.labelModelVersion, sampleIntervalMs: 500, analysedTimestampsMs: frames.map((frame) => frame.timestampMs), labels: labelTimelinesOf(frames) };
const page = (aggregateBy: 'TIMESTAMPS' | 'SEGMENTS') => () =>
  buildGetLabelDetectionResponse({ job: { JobId: 'bench', JobStatus: 'SUCCEEDED', minConfidence: 50 }, analysis, request: { AggregateBy: aggregateBy, MaxResults: 1000 }, tokenSecret: 'secret' });

const suite = new Benchmark.Suite('stages');
const results: Array<{ name: string; opsPerSecond: number; marginPercent: number; samples: number }> = [];
suite
  .add('planner: one sampled frame', planOneFrame)
  .add('tracker: one frame, 5 objects', trackOneFrame)
  .add('nms: 100 detections', () => suppressOverlaps(raw, manifest.nmsIouThreshold))
  .add('decode: 100 CenterNet rows', () => decodeCenterNet(rows, 512, 512, context))
  .add('response: page of 240 timestamps x 3 objects (TIMESTAMPS)', page('TIMESTAMPS'))
  .add('response: same, SEGMENTS', page('SEGMENTS'))
  .on('cycle', (event: Benchmark.Event) => {
    const bench = event.target as unknown as Benchmark & { stats: Benchmark.Stats };
    results.push({ name: String(bench.name), opsPerSecond: bench.hz ?? 0, marginPercent: bench.stats.rme, samples: bench.stats.sample.length });
    console.log(`  ${String(event.target)}`);
  });

console.log(`machine: ${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} cores, node ${process.version}; main thread, no model`);
suite.run();
const directory = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(directory, { recursive: true });
const file = `${directory}stages-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.json`;
writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine: { cpu: cpus()[0]?.model, cores: availableParallelism(), node: process.version }, results }, null, 2)}\n`);
console.log(`written ${file}`);
