/**
 * Fits a model's score calibration on the hand-labelled clips and prints, in one run,
 * per-timestamp precision and recall of visible objects at MinConfidence 30/50/70/90:
 *   before  raw score x 100, every frame on its own (no calibration, no tracker)
 *   after   calibrated scores + tracker temporal confidence, with the calibration fitted on all clips
 *           (the one shipped in the manifest: in-sample, so optimistic) ...
 *   held-out ... and fitted WITHOUT the clip being scored (leave-one-clip-out: pessimistic here,
 *           since one clip holds most of the right detections).
 *
 *   node --import tsx bench/quality/calibrate.ts           # print
 *   node --import tsx bench/quality/calibrate.ts --write   # also store the all-clips fit in the manifest
 *   ... --tiling off                                         # fit the whole-frame-only calibration instead
 *   ... --model coco-ssd --model-path DIR|URL                # another model (default: centernet); --write
 *                                                            # stores its fit in models/<model>/manifest.json
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { calibrateScore, createDetectorPool, DEFAULT_MODEL, loadModelManifest, type DetectorPool } from '../../src/detect/index.js';
import { toTiling, type Tiling } from '../../src/detect/views.js';
import { analyzeVideo, DEFAULT_TILING } from '../../src/pipeline.js';
import { labelInfoForClass, loadTaxonomy } from '../../src/taxonomy/index.js';
import { trackObjects } from '../../src/track/index.js';
import type { FrameDetections } from '../../src/types.js';
import { fitCalibration, labelDetections, objectPrecisionRecall, type PrecisionRecall, type TruthByLabel } from './calibration.js';
import { loadAllGroundTruth, truthOnTimeline, type GroundTruth } from './ground-truth.js';
import { recordingDetector } from './recording.js';

const SAMPLE_FPS = 2;
const MIN_CONFIDENCES = [30, 50, 70, 90];
const mediaDirectory = new URL('../../media/', import.meta.url);
const resultsDirectory = new URL('../results/', import.meta.url);
/** The value after `flag` on the command line, if the flag is given. */
const argumentOf = (flag: string): string | undefined => {
  const at = process.argv.indexOf(flag);
  return at > 0 ? (process.argv[at + 1] ?? '') : undefined;
};
const tilingArgument = argumentOf('--tiling');
const tiling: Tiling = tilingArgument === undefined ? DEFAULT_TILING : toTiling(tilingArgument, '--tiling');
const model = loadModelManifest(argumentOf('--model') ?? DEFAULT_MODEL).name;
const modelPath = argumentOf('--model-path');
const manifestFile = new URL(`../../models/${model}/manifest.json`, import.meta.url);

/** Visible in a clip but not counted by its ground truth, so neither right nor wrong. */
const UNCOUNTED_LABELS: Record<string, string[]> = {
  // The bottles stand on a white table that fills the bottom of every frame.
  'bottle-detection.mp4': ['Dining Table'],
};

interface Clip {
  video: string;
  frames: FrameDetections[];
  truth: TruthByLabel;
  ignored: Set<string>;
}

const taxonomy = loadTaxonomy();
const labelOfClass = (className: string) => labelInfoForClass(taxonomy, className).name;

async function recordClip(groundTruth: GroundTruth, pool: DetectorPool): Promise<Clip> {
  const recorded = new Map<number, FrameDetections>();
  const analysis = await analyzeVideo(fileURLToPath(new URL(groundTruth.video, mediaDirectory)), {
    fps: SAMPLE_FPS,
    tiling,
    detector: recordingDetector(pool, recorded),
  });
  const timeline = analysis.analysedTimestampsMs;
  const frames = timeline.map((timestampMs) => recorded.get(timestampMs) ?? { timestampMs, detections: [] });
  const truth = new Map(Object.keys(groundTruth.labels).map((label) => [label, truthOnTimeline(groundTruth, label, timeline.map(Math.round))]));
  return { video: groundTruth.video, frames, truth, ignored: new Set(UNCOUNTED_LABELS[groundTruth.video] ?? []) };
}

function countsPerTimestamp(objects: Array<Array<{ className: string; confidence: number }>>, minConfidence: number): Array<Map<string, number>> {
  return objects.map((frameObjects) => {
    const counts = new Map<string, number>();
    for (const { className, confidence } of frameObjects) {
      if (confidence >= minConfidence) counts.set(labelOfClass(className), (counts.get(labelOfClass(className)) ?? 0) + 1);
    }
    return counts;
  });
}

function scoreBefore(clip: Clip, minConfidence: number): PrecisionRecall {
  const raw = clip.frames.map((frame) => frame.detections.map((d) => ({ className: d.className, confidence: d.score * 100 })));
  return objectPrecisionRecall(countsPerTimestamp(raw, minConfidence), clip.truth, clip.ignored);
}

function trackedCounts(clip: Clip, points: Array<[number, number]>, minConfidence: number): Array<Map<string, number>> {
  const recalibrated = clip.frames.map((frame) => ({
    ...frame,
    detections: frame.detections.map((d) => ({ ...d, confidence: calibrateScore(points, d.score) })),
  }));
  return countsPerTimestamp(trackObjects(recalibrated).map((frame) => frame.objects), minConfidence);
}

function scoreAfter(clip: Clip, points: Array<[number, number]>, minConfidence: number): PrecisionRecall {
  return objectPrecisionRecall(trackedCounts(clip, points, minConfidence), clip.truth, clip.ignored);
}

/** Recall of one labelled label alone, and what was predicted of labels nobody counted there. */
function labelBreakdown(clip: Clip, points: Array<[number, number]>, minConfidence: number): string {
  const counts = trackedCounts(clip, points, minConfidence);
  const perLabel = [...clip.truth.keys()].map((label) => {
    const only = counts.map((frame) => new Map([...frame].filter(([name]) => name === label)));
    const { recall } = objectPrecisionRecall(only, new Map([[label, clip.truth.get(label)!]]), clip.ignored);
    return `${label} recall ${percent(recall)}`;
  });
  const uncounted = new Map<string, number>();
  for (const frame of counts) {
    for (const [name, count] of frame) if (!clip.truth.has(name) && !clip.ignored.has(name)) uncounted.set(name, (uncounted.get(name) ?? 0) + count);
  }
  const wrong = [...uncounted].map(([name, count]) => `${name} x${count}`).join(', ') || 'none';
  return `${perLabel.join('; ')}; labels reported where none is: ${wrong}`;
}

const percent = (value: number) => (Number.isNaN(value) ? ' n/a' : `${(value * 100).toFixed(0).padStart(3)}%`);

async function main(): Promise<void> {
  const pool = await createDetectorPool({ workers: availableParallelism(), model, ...(modelPath ? { modelPath } : {}) });
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} cores, node ${process.version}`);
  console.log(`backend: ${pool.backend.backend} (${pool.backend.provider}); model: ${pool.manifest.name} (${pool.manifest.labelModelVersion}); sampling ${SAMPLE_FPS} frames/s; tiling ${tiling}`);
  const clips: Clip[] = [];
  try {
    for (const groundTruth of loadAllGroundTruth()) clips.push(await recordClip(groundTruth, pool));
  } finally {
    await pool.destroy();
  }
  const labelled = (from: Clip[]) => from.flatMap((clip) => labelDetections(clip.frames, clip.truth, labelOfClass, clip.ignored));
  const fitAll = fitCalibration(labelled(clips));
  console.log(`\nfit on all clips: ${fitAll.detections} detections, ${fitAll.right} right; points (raw score -> confidence):`);
  console.log(`  ${fitAll.points.map(([score, confidence]) => `${score}->${confidence}`).join('  ')}`);

  const rows: Array<Record<string, unknown>> = [];
  console.log('\nper-timestamp precision/recall of visible objects: before (raw x 100, no tracker) | after (all-clips fit + tracker) | held-out fit + tracker');
  console.log(`${'clip'.padEnd(34)}${MIN_CONFIDENCES.map((m) => `MinConfidence ${m}`.padEnd(36)).join('')}`);
  for (const clip of clips) {
    const heldOut = fitCalibration(labelled(clips.filter((other) => other !== clip)));
    const cells = MIN_CONFIDENCES.map((minConfidence) => {
      const before = scoreBefore(clip, minConfidence);
      const after = scoreAfter(clip, fitAll.points, minConfidence);
      const afterHeldOut = scoreAfter(clip, heldOut.points, minConfidence);
      rows.push({ video: clip.video, minConfidence, before, after, afterHeldOut, heldOutPoints: heldOut.points });
      const pair = ({ precision, recall }: PrecisionRecall) => `${percent(precision)}/${percent(recall)}`;
      return `${pair(before)} | ${pair(after)} | ${pair(afterHeldOut)}`.padEnd(34);
    });
    console.log(`${clip.video.padEnd(34)}${cells.map((cell) => `  ${cell}`).join('')}`);
  }
  console.log('\nper label, after (all-clips fit + tracker), MinConfidence 50:');
  for (const clip of clips) console.log(`  ${clip.video}: ${labelBreakdown(clip, fitAll.points, 50)}`);

  if (process.argv.includes('--write')) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.calibration[tiling] = {
      method: 'piecewise-linear',
      points: fitAll.points,
      note: `Isotonic fit (bench/quality/calibrate.ts --model ${model} --tiling ${tiling}) of the fraction of right detections per raw score on the ${clips.length} hand-labelled shared clips at ${SAMPLE_FPS} frames/s: ${fitAll.detections} detections, ${fitAll.right} right.`,
    };
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`\nwritten calibration to ${fileURLToPath(manifestFile)}`);
  }
  mkdirSync(resultsDirectory, { recursive: true });
  const output = new URL(`calibration-${model}-${tiling}-${new Date().toISOString().slice(0, 10)}.json`, resultsDirectory);
  writeFileSync(output, `${JSON.stringify({ date: new Date().toISOString(), model, tiling, fitAll, rows }, null, 2)}\n`);
  console.log(`written ${fileURLToPath(output)}`);
}

await main();
