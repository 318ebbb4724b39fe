/**
 * Detection quality against hand-made ground truth, tracker vs raw per-frame detections, from one
 * analysis per video. Run from the project root: `node --import tsx bench/quality/run.ts`.
 * Prints the table and writes bench/results/quality-<date>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createDetectorPool, type DetectorPool } from '../../src/detect/index.js';
import { DEFAULT_MIN_CONFIDENCE, toDetectLabelsResponse } from '../../src/detect-labels.js';
import { analyzeVideo } from '../../src/pipeline.js';
import { loadTaxonomy, labelInfoForClass } from '../../src/taxonomy/index.js';
import type { FrameDetections, VideoAnalysis } from '../../src/types.js';
import { loadAllGroundTruth, truthOnTimeline, type GroundTruth } from './ground-truth.js';
import { scoreLabel, type Interval, type LabelScores, type LabelView } from './metrics.js';
import { anySightings, labelSegments, labelSightings, rawSegments, rawSightings, toLabelView, type SeenLabel } from './predictions.js';
import { recordingDetector } from './recording.js';

const SAMPLE_FPS = 2;
const mediaDirectory = new URL('../../media/', import.meta.url);
const resultsDirectory = new URL('../results/', import.meta.url);

type View = 'tracker' | 'raw';

interface LabelResult {
  label: string;
  view: View;
  scores: LabelScores;
  /** What was scored, kept so that a surprising score can be traced to its timestamps. */
  predicted: LabelView;
  truth: LabelView;
}

interface RawClassSummary {
  className: string;
  /** Frames with at least one detection of the class, whatever its confidence. */
  framesDetected: number;
  framesAtMinConfidence: number;
  maxConfidence: number;
  /** Where the class reached MinConfidence, to set against the ground truth's intervals. */
  timestampsAtMinConfidenceMs: number[];
}

interface VideoResult {
  video: string;
  analysedFrames: number;
  analysedTimestampsMs: number[];
  analysisSeconds: number;
  labels: LabelResult[];
  rawClasses: RawClassSummary[];
}


function summariseRawClasses(frames: readonly FrameDetections[]): RawClassSummary[] {
  const byClass = new Map<string, RawClassSummary>();
  for (const frame of frames) {
    const bestPerClass = new Map<string, number>();
    for (const detection of frame.detections) {
      bestPerClass.set(detection.className, Math.max(bestPerClass.get(detection.className) ?? 0, detection.confidence));
    }
    for (const [className, confidence] of bestPerClass) {
      const summary = byClass.get(className) ?? {
        className,
        framesDetected: 0,
        framesAtMinConfidence: 0,
        maxConfidence: 0,
        timestampsAtMinConfidenceMs: [],
      };
      summary.framesDetected += 1;
      if (confidence >= DEFAULT_MIN_CONFIDENCE) {
        summary.framesAtMinConfidence += 1;
        summary.timestampsAtMinConfidenceMs.push(Math.round(frame.timestampMs));
      }
      summary.maxConfidence = Math.max(summary.maxConfidence, confidence);
      byClass.set(className, summary);
    }
  }
  return [...byClass.values()].sort((a, b) => b.framesDetected - a.framesDetected);
}

/**
 * Clips where nothing but one labelled kind of object ever appears, so that "the model reports
 * anything" can be scored against that label's truth too, whatever the model calls it. In
 * car-detection.mp4 the lot is empty asphalt between the cars' passes (media/README.md):
 * this separates what the tracker does to presence and segments from the model's naming of cars
 * seen from above.
 */
const ONLY_OBJECTS_IN_VIEW: Record<string, string> = { 'car-detection.mp4': 'Car' };

function scoreVideo(groundTruth: GroundTruth, analysis: VideoAnalysis, frames: readonly FrameDetections[]): LabelResult[] {
  const taxonomy = loadTaxonomy();
  const labelNameOfClass = (className: string) => labelInfoForClass(taxonomy, className).name;
  const timeline = analysis.analysedTimestampsMs.map(Math.round);
  const durationMs = analysis.videoMetadata.DurationMillis ?? groundTruth.durationMs;
  const readOptions = { minConfidence: DEFAULT_MIN_CONFIDENCE };
  const byTimestamps = toDetectLabelsResponse(analysis, { ...readOptions, aggregateBy: 'TIMESTAMPS' });
  const bySegments = toDetectLabelsResponse(analysis, { ...readOptions, aggregateBy: 'SEGMENTS' });
  const segmentsOf = (seen: SeenLabel[]) => rawSegments(seen, analysis.sampleIntervalMs, durationMs);
  const scored = (label: string, truthLabel: string, trackedSeen: SeenLabel[], trackedSegments: Interval[], rawSeen: SeenLabel[]): LabelResult[] => {
    const truth = truthOnTimeline(groundTruth, truthLabel, timeline);
    const tracked = toLabelView(timeline, trackedSeen, trackedSegments);
    const raw = toLabelView(timeline, rawSeen, segmentsOf(rawSeen));
    return [
      { label, view: 'tracker', scores: scoreLabel(tracked, truth), predicted: tracked, truth },
      { label, view: 'raw', scores: scoreLabel(raw, truth), predicted: raw, truth },
    ];
  };
  const perLabel = Object.keys(groundTruth.labels).flatMap((label) =>
    scored(label, label, labelSightings(byTimestamps, label), labelSegments(bySegments, label), rawSightings(frames, (className) => labelNameOfClass(className) === label, DEFAULT_MIN_CONFIDENCE)),
  );
  const onlyLabel = ONLY_OBJECTS_IN_VIEW[groundTruth.video];
  if (!onlyLabel) return perLabel;
  const anything = anySightings(byTimestamps);
  return [...perLabel, ...scored(`any label vs ${onlyLabel}`, onlyLabel, anything, segmentsOf(anything), rawSightings(frames, () => true, DEFAULT_MIN_CONFIDENCE))];
}

async function analyseVideo(groundTruth: GroundTruth, pool: DetectorPool): Promise<VideoResult> {
  const recorded = new Map<number, FrameDetections>();
  const started = performance.now();
  const analysis = await analyzeVideo(fileURLToPath(new URL(groundTruth.video, mediaDirectory)), {
    fps: SAMPLE_FPS,
    detector: recordingDetector(pool, recorded),
  });
  const analysisSeconds = (performance.now() - started) / 1000;
  const frames = analysis.analysedTimestampsMs.map((timestampMs) => recorded.get(timestampMs) ?? { timestampMs, detections: [] });
  return {
    video: groundTruth.video,
    analysedFrames: frames.length,
    analysedTimestampsMs: analysis.analysedTimestampsMs,
    analysisSeconds,
    labels: scoreVideo(groundTruth, analysis, frames),
    rawClasses: summariseRawClasses(frames),
  };
}

const percent = (value: number): string => (Number.isNaN(value) ? 'n/a' : `${(value * 100).toFixed(0)}%`);
const milliseconds = (value: number): string => value.toFixed(0);

function printScores(results: readonly VideoResult[]): void {
  const header = ['video', 'label', 'view', 'IoU', 'prec', 'recall', 'segs p/t', 'seg err', 'bound mean/max ms', 'count acc', 'count acc present'];
  const rows = results.flatMap((result) =>
    result.labels.map(({ label, view, scores }) => [
      result.video,
      label,
      view,
      percent(scores.iou),
      percent(scores.precision),
      percent(scores.recall),
      `${scores.predictedSegments}/${scores.trueSegments}`,
      String(scores.segmentCountError),
      scores.boundary.matchedSegments === 0 ? 'n/a' : `${milliseconds(scores.boundary.meanMs)}/${milliseconds(scores.boundary.maxMs)}`,
      percent(scores.countAccuracy),
      percent(scores.countAccuracyWhenPresent),
    ]),
  );
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

function printRawClasses(results: readonly VideoResult[]): void {
  console.log(`\nraw detections per class (frames with any detection / frames at confidence >= ${DEFAULT_MIN_CONFIDENCE} / max confidence)`);
  for (const result of results) {
    const classes = result.rawClasses
      .slice(0, 8)
      .map((summary) => `${summary.className} ${summary.framesDetected}/${summary.framesAtMinConfidence}/${summary.maxConfidence.toFixed(0)}`);
    console.log(`  ${result.video} (${result.analysedFrames} frames): ${classes.join(', ') || 'nothing'}`);
  }
}

async function main(): Promise<void> {
  const groundTruths = loadAllGroundTruth();
  const pool = await createDetectorPool({ workers: availableParallelism() });
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version };
  const model = { name: pool.manifest.name, labelModelVersion: pool.manifest.labelModelVersion };
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}`);
  console.log(`backend: ${pool.backend.backend} (${pool.backend.provider}); model: ${model.name} (${model.labelModelVersion}); workers: ${pool.workers}`);
  console.log(`sampling ${SAMPLE_FPS} fps, MinConfidence ${DEFAULT_MIN_CONFIDENCE}; raw = per-frame detections >= ${DEFAULT_MIN_CONFIDENCE}, no tracker\n`);
  const results: VideoResult[] = [];
  try {
    for (const groundTruth of groundTruths) {
      const result = await analyseVideo(groundTruth, pool);
      console.log(`analysed ${result.video}: ${result.analysedFrames} frames in ${result.analysisSeconds.toFixed(1)} s`);
      results.push(result);
    }
  } finally {
    await pool.destroy();
  }
  console.log('');
  printScores(results);
  printRawClasses(results);
  const date = new Date().toISOString().slice(0, 10);
  mkdirSync(resultsDirectory, { recursive: true });
  const output = new URL(`quality-${date}.json`, resultsDirectory);
  const report = { date: new Date().toISOString(), machine, backend: pool.backend, model, sampleFps: SAMPLE_FPS, minConfidence: DEFAULT_MIN_CONFIDENCE, results };
  writeFileSync(output, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten ${fileURLToPath(output)}`);
}

await main();
