/**
 * Label quality against the hand-made ground truth of every clip in media/, held out by
 * construction: each clip is scored with a calibration fitted on the other clips only
 * (leave-one-clip-out), for each pipeline variant, in three views (raw model scores, calibrated
 * per-frame confidences, the final answer).
 *
 *   node --import tsx bench/quality/run.ts              # the held-out table; JSON into bench/results/
 *     --record     re-run the model on every clip first (otherwise the cached recording is replayed)
 *     --pipeline   also run the real pipeline on every clip and check it answers as the replay does
 *     --write      store the all-clips fit (the shipped calibration) in models/<model>/manifest.json (QUALITY_MODEL, default centernet: bench/quality/model.ts)
 *
 * The model runs once per clip (record.ts); everything after it is replayed with the pipeline's own
 * functions (replay.ts), so a variant costs a replay, not a model run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDetectorPool } from '../../src/detect/index.js';
import { DEFAULT_MODEL } from '../../src/detect/manifest.js';
import { labelDetectionResponse } from '../../src/response/index.js';
import { analyzeVideo } from '../../src/pipeline.js';
import { loadTaxonomy } from '../../src/taxonomy/index.js';
import { DEFAULT_TRACKER_OPTIONS } from '../../src/track/index.js';
import { loadAllGroundTruth } from './ground-truth.js';
import { evaluateHeldOut, MIN_CONFIDENCE, VIEWS, type LabelledClip, type VariantScores } from './heldout.js';
import { makeRecording } from './record.js';
import { QUALITY_MODEL, qualityPool } from './model.js';
import { readRecording } from './recording-format.js';
import { comparedVariants, fitClassCalibration, fitShipped, OTHER_TILING, SHIPPED_TILING, shippedDefaultPathVariant, shippedVariant, todayVariant, triedVariants, withoutSecondLookVariant, type ClassCalibrationFit, type ShippedFit } from './variants.js';
import { PEOPLE_STAGE_LABELS } from '../../src/people/index.js';

const { values: flags } = parseArgs({ options: { record: { type: 'boolean', default: false }, pipeline: { type: 'boolean', default: false }, write: { type: 'boolean', default: false } }, strict: true });
const MODEL = QUALITY_MODEL;
const mediaDirectory = new URL('../../media/', import.meta.url);
const resultsDirectory = new URL('../results/', import.meta.url);
const manifestFile = new URL(`../../models/${MODEL}/manifest.json`, import.meta.url);

const figure = (value: number): string => (Number.isNaN(value) ? ' n/a' : value.toFixed(2));
const pair = (precision: number, recall: number): string => `${figure(precision)}/${figure(recall)}`;

function printVariantTable(all: readonly VariantScores[]): void {
  console.log(`\nheld-out, pooled over the clips, MinConfidence ${MIN_CONFIDENCE} (label P/R: reported names, parents included, true / reported; required labels found / required)`);
  const header = ['variant', ...VIEWS.map((view) => `labels ${view}`), 'objects final', 'Person final', 'false/reported names', 'views/frame'];
  const rows = all.map((scores) => {
    const final = scores.perView.final;
    return [
      scores.variant,
      ...VIEWS.map((view) => pair(scores.perView[view].labels.precision, scores.perView[view].labels.recall)),
      pair(final.objects.precision, final.objects.recall),
      pair(final.person.precision, final.person.recall),
      `${final.labels.falseLabels.length}/${final.labels.reported.length}`,
      scores.viewsPerFrame.toFixed(2),
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '));
}

function printClips(before: VariantScores, after: VariantScores): void {
  console.log(`\nper clip, final answer: ${before.variant}  ->  ${after.variant}`);
  after.perView.final.clips.forEach((clip, index) => {
    const old = before.perView.final.clips[index]!;
    const names = (list: string[]) => list.join(', ') || '-';
    console.log(`  ${clip.video}`);
    console.log(`    labels P/R ${pair(old.labels.precision, old.labels.recall)} -> ${pair(clip.labels.precision, clip.labels.recall)}; objects ${pair(old.objects.precision, old.objects.recall)} -> ${pair(clip.objects.precision, clip.objects.recall)}${clip.person ? `; Person recall ${figure(old.person!.recall)} -> ${figure(clip.person.recall)}` : ''}`);
    console.log(`    reported: ${names(clip.labels.reported)}; false: ${names(old.labels.falseLabels)} -> ${names(clip.labels.falseLabels)}; missed: ${names(old.labels.missedLabels)} -> ${names(clip.labels.missedLabels)}`);
    for (const [label, scores] of Object.entries(clip.perLabel ?? {})) {
      console.log(`    ${label}: presence IoU ${figure(scores.iou)}, P/R ${pair(scores.precision, scores.recall)}, segments ${scores.predictedSegments}/${scores.trueSegments}, count accuracy ${figure(scores.countAccuracy)}`);
    }
  });
}

/**
 * The default path (work avoidance on) against every frame analysed, both shipped and held out,
 * clip by clip: what is inferred, and whether the answer changed.
 */
function printDefaultPath(clips: readonly LabelledClip[], everyFrame: VariantScores, defaultPath: VariantScores): Array<Record<string, unknown>> {
  console.log(`\n${defaultPath.variant} vs ${everyFrame.variant} (held out):`);
  const rows = clips.map(({ clip }, index) => {
    const fit = fitShipped(clips.filter((other) => other.clip !== clip));
    const replayed = shippedDefaultPathVariant.replay(clip, fit);
    const inferred = replayed.inferred ?? clip.frames.length;
    const views = replayed.views ?? inferred;
    const [full, avoided] = [everyFrame.perView.final.clips[index]!, defaultPath.perView.final.clips[index]!];
    const sameLabels = full.labels.reported.join() === avoided.labels.reported.join();
    const row = { video: clip.video, frames: clip.frames.length, inferred, views, sameLabels, everyFrame: { labels: full.labels.reported, objects: full.objects, person: full.person }, defaultPath: { labels: avoided.labels.reported, objects: avoided.objects, person: avoided.person } };
    console.log(
      `  ${clip.video.padEnd(34)} inferred ${String(inferred).padStart(3)}/${String(clip.frames.length).padEnd(3)} labels ${sameLabels ? 'same' : `${full.labels.reported.join(', ') || '-'} -> ${avoided.labels.reported.join(', ') || '-'}`}; objects ${pair(full.objects.precision, full.objects.recall)} -> ${pair(avoided.objects.precision, avoided.objects.recall)}${full.person ? `; Person ${pair(full.person.precision, full.person.recall)} -> ${pair(avoided.person!.precision, avoided.person!.recall)}` : ''}`,
    );
    return row;
  });
  const frames = rows.reduce((sum, row) => sum + row.frames, 0);
  const inferred = rows.reduce((sum, row) => sum + row.inferred, 0);
  const [full, avoided] = [everyFrame.perView.final, defaultPath.perView.final];
  const views = rows.reduce((sum, row) => sum + row.views, 0);
  console.log(`  all clips: ${inferred}/${frames} frames inferred (${((100 * inferred) / frames).toFixed(0)} %), ${(views / frames).toFixed(2)} views per sampled frame (every frame: 3 for 16:9); objects ${pair(full.objects.precision, full.objects.recall)} -> ${pair(avoided.objects.precision, avoided.objects.recall)}; Person ${pair(full.person.precision, full.person.recall)} -> ${pair(avoided.person.precision, avoided.person.recall)}; labels ${pair(full.labels.precision, full.labels.recall)} -> ${pair(avoided.labels.precision, avoided.labels.recall)}`);
  return rows;
}

/**
 * How much the held-out labels hang on the fit: the held-out table again without each clip in turn
 * (eight clips, each scored by a fit on the seven others), for the shipped default path. Prints each
 * table's label precision and recall, their spread, and for every returned object label name in
 * how many of the eight tables that include its clip it is returned. Parents are left out of the
 * per-name list (they follow their child).
 */
function printFitSpread(clips: readonly LabelledClip[], taxonomy: ReturnType<typeof loadTaxonomy>) {
  console.log('\nheld out without each clip in turn (8 clips, each scored by a fit on 7; shipped default path):');
  const tables = clips.map((left) => {
    const scores = evaluateHeldOut(shippedDefaultPathVariant, clips.filter((clip) => clip !== left), taxonomy);
    const { labels } = scores.perView.final;
    console.log(`  without ${left.clip.video.padEnd(34)} labels ${pair(labels.precision, labels.recall)}, false names ${labels.falseLabels.length}/${labels.reported.length}`);
    return { without: left.clip.video, precision: labels.precision, recall: labels.recall, clips: scores.perView.final.clips };
  });
  const spread = (values: number[]) => ({ mean: values.reduce((sum, value) => sum + value, 0) / values.length, least: Math.min(...values), most: Math.max(...values) });
  const precision = spread(tables.map((table) => table.precision));
  const recall = spread(tables.map((table) => table.recall));
  console.log(`  label precision mean ${figure(precision.mean)} (${figure(precision.least)}-${figure(precision.most)}), recall mean ${figure(recall.mean)} (${figure(recall.least)}-${figure(recall.most)})`);
  const returned = new Map<string, number>();
  for (const table of tables) {
    for (const clip of table.clips) {
      const parents = new Set(clip.labels.reported.flatMap((name) => taxonomy.labels.get(name)?.parents ?? []));
      for (const name of clip.labels.reported.filter((reported) => !parents.has(reported))) {
        const key = `${clip.video}: ${name}${clip.labels.falseLabels.includes(name) ? ' (false)' : ''}`;
        returned.set(key, (returned.get(key) ?? 0) + 1);
      }
    }
  }
  const perName = Object.fromEntries([...returned].sort(([a], [b]) => a.localeCompare(b)));
  console.log(`  returned in how many of the 8 tables with its clip: ${Object.entries(perName).map(([key, count]) => `${key} ${count}/8`).join('; ')}`);
  return { tables: tables.map(({ without, precision: p, recall: r }) => ({ without, precision: p, recall: r })), precision, recall, returnedOf8: perName };
}

/** The real pipeline on every clip with the shipped settings, against the replay of the same calibration. */
async function checkPipeline(clips: readonly LabelledClip[], shipped: ShippedFit): Promise<Array<{ video: string; same: boolean; pipeline: string[]; replay: string[] }>> {
  const detector = await createDetectorPool({ workers: availableParallelism(), ...qualityPool });
  try {
    const checks = [];
    for (const { clip } of clips) {
      const analysis = await analyzeVideo(fileURLToPath(new URL(clip.video, mediaDirectory)), { detector, tiling: SHIPPED_TILING, fps: 2, analyzeEveryFrame: true });
      // Object labels: the recording holds no poses, so the people stage's labels are compared by people.ts.
      const namesOf = (labels: typeof analysis) =>
        [...new Set((labelDetectionResponse(labels, { minConfidence: MIN_CONFIDENCE }).Labels ?? []).map((label) => label.Label?.Name ?? ''))].filter((name) => !PEOPLE_STAGE_LABELS.includes(name)).sort();
      const pipeline = namesOf(analysis);
      const replay = namesOf(shippedVariant.replay(clip, shipped).analysis);
      checks.push({ video: clip.video, same: pipeline.join() === replay.join(), pipeline, replay });
      console.log(`  ${clip.video}: pipeline ${pipeline.join(', ') || '-'}${pipeline.join() === replay.join() ? ' (= replay)' : `; replay ${replay.join(', ') || '-'}`}`);
    }
    return checks;
  } finally {
    await detector.destroy();
  }
}

async function main(): Promise<void> {
  const recording = (!flags.record && readRecording(MODEL)) || (await makeRecording());
  const truths = new Map(loadAllGroundTruth().map((truth) => [truth.video, truth]));
  const clips: LabelledClip[] = recording.clips.map((clip) => {
    const truth = truths.get(clip.video);
    if (!truth) throw new Error(`${clip.video}: recorded but has no ground truth`);
    return { clip, truth };
  });
  if (clips.length !== truths.size) throw new Error(`the recording has ${clips.length} clips, the ground truth ${truths.size}: record again (--record)`);
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version };
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}`);
  console.log(`model: ${recording.labelModelVersion}; recorded ${recording.date} on backend ${recording.backend}; ${recording.fps} frames/s, tiled; ${clips.length} clips`);

  const taxonomy = loadTaxonomy();
  const scores = [...comparedVariants, shippedDefaultPathVariant, ...(withoutSecondLookVariant ? [withoutSecondLookVariant] : []), ...triedVariants].map((variant) => evaluateHeldOut(variant as never, clips, taxonomy));
  printVariantTable(scores);
  printClips(scores[0]!, scores[comparedVariants.indexOf(shippedVariant)]!);
  console.log(`\n(${todayVariant.name}: its curve saw 4 of these clips, so its figures there are in-sample; every other row is held out)`);
  const defaultPath = printDefaultPath(clips, scores[comparedVariants.indexOf(shippedVariant)]!, scores[comparedVariants.length]!);
  const fitSpread = printFitSpread(clips, taxonomy);

  const shipped = fitShipped(clips);
  const otherFit = fitClassCalibration(clips, OTHER_TILING);
  const describe = (name: string, fit: { points: Array<[number, number]>; detections: number; right: number }) =>
    `  ${name}: ${fit.detections} detections, ${fit.right} right: ${fit.points.map(([score, confidence]) => `${score}->${confidence}`).join(' ')}`;
  console.log(`\nall-clips fit (the shipped calibration; ${SHIPPED_TILING === 'tiles' ? 'tiled' : 'whole frame'}):`);
  console.log(describe('other classes', shipped.fits.others));
  for (const [className, fit] of Object.entries(shipped.fits.classes)) console.log(describe(className, fit));
  console.log(`  repeated-look weight: ${shipped.repeatedLookWeight} (tracker default ${DEFAULT_TRACKER_OPTIONS.repeatedLookWeight}${shipped.repeatedLookWeight === DEFAULT_TRACKER_OPTIONS.repeatedLookWeight ? '' : ': set it in src/track/options.ts'})`);
  // What the shipped pipeline answers on these clips: the all-clips fit scored on the clips it saw.
  // Not a quality figure (in-sample), but what a user running the clips gets; how far it is from the
  // held-out row says how much the answer hangs on the fit.
  const inSample = evaluateHeldOut({ ...shippedDefaultPathVariant, fit: () => shipped }, clips, taxonomy, 'all');
  const inSampleFinal = inSample.perView.final;
  console.log(
    `\nthe shipped fit on the clips it was fitted on (in-sample, default path): labels ${pair(inSampleFinal.labels.precision, inSampleFinal.labels.recall)}, objects ${pair(inSampleFinal.objects.precision, inSampleFinal.objects.recall)}, Person ${pair(inSampleFinal.person.precision, inSampleFinal.person.recall)}; false: ${inSampleFinal.labels.falseLabels.join(', ') || '-'}; missed: ${inSampleFinal.labels.missedLabels.join(', ') || '-'}`,
  );

  if (flags.write) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const note = (tiling: string, fit: ClassCalibrationFit) =>
      `Isotonic fits (bench/quality/run.ts --write) of the fraction of right detections per raw score, person on its own curve, on the ${clips.length} hand-labelled clips of media/ at ${recording.fps} frames/s, ${tiling}: ${fit.fits.others.detections} detections of other classes (${fit.fits.others.right} right), ${Object.values(fit.fits.classes)[0]?.detections} of persons (${Object.values(fit.fits.classes)[0]?.right} right). Quality is reported held out (leave-one-clip-out) by the same script.`;
    const describeTiling = (tiling: string) => (tiling === 'tiles' ? 'tiled' : `whole frame only${manifest.secondLook ? ', after the second look' : ''}`);
    manifest.calibration[SHIPPED_TILING] = { method: 'piecewise-linear', ...shipped.calibration, note: note(describeTiling(SHIPPED_TILING), shipped) };
    manifest.calibration[OTHER_TILING] = { method: 'piecewise-linear', ...otherFit.calibration, note: note(describeTiling(OTHER_TILING), otherFit) };
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`\nwritten the all-clips fit to ${fileURLToPath(manifestFile)}`);
  }
  const pipelineChecks = flags.pipeline ? (console.log('\nthe real pipeline with the shipped calibration (in-sample) vs its replay:'), await checkPipeline(clips, shipped)) : undefined;

  mkdirSync(resultsDirectory, { recursive: true });
  const output = new URL(`quality-${new Date().toISOString().slice(0, 10)}${MODEL === DEFAULT_MODEL ? '' : `-${MODEL}`}.json`, resultsDirectory);
  const report = { date: new Date().toISOString(), machine, model: recording.labelModelVersion, recorded: { date: recording.date, backend: recording.backend, fps: recording.fps }, minConfidence: MIN_CONFIDENCE, heldOut: scores, defaultPath, shippedFit: shipped.fits, inSample, fitSpread, pipelineChecks };
  writeFileSync(output, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`written ${fileURLToPath(output)}`);
}

await main();
