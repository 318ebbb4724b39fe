import { writeFile } from 'node:fs/promises';
import { annotateVideo } from '../annotate/annotate-video.js';
import { createDetectorPool, DEFAULT_MODEL } from '../detect/index.js';
import { checkMinConfidence, labelDetectionResponse, readOrder, type LabelReadOptions } from '../response/index.js';
import { invalidParameter } from '../errors.js';
import { probeVideo } from '../frames/index.js';
import { analysisOf, detectVideo, type DetectedVideo } from '../pipeline.js';
import { labelResultOf } from '../report/label-result.js';
import type { VideoAnalysis } from '../types.js';
import type { CommandContext } from './context.js';
import { exitCodeFor } from './failure.js';
import { analyzeOptionsFrom, ANALYSIS_FLAGS, describeAnalysis, flagDeclarations, flagHelp, parseNumberFlag, parseCommandLine } from './flags.js';
import { createRunLog, type RunLog } from './run-log.js';
import { summaryLines } from './summary.js';

export const detectUsage = `Usage: edge-label-detection detect <video> [options]

Detects labels in a local video and prints a GetLabelDetection response as JSON.

Options:
${flagHelp([
  ...ANALYSIS_FLAGS,
  ['--min-confidence <0..100>', 'drop labels and instances below this confidence (default 50)'],
  ['--aggregate-by <TIMESTAMPS|SEGMENTS>', '(default TIMESTAMPS)'],
  ['--sort-by <TIMESTAMP|NAME>', '(default TIMESTAMP)'],
  ['--out <file>', 'write the JSON to a file instead of stdout'],
  ['--annotate <file.mp4>', "also write the video with the label instances' boxes drawn"],
  ['--quiet', 'no progress, backend or summary lines on stderr (on a terminal, the run ends with a summary: labels, their segments, instances at once)'],
  ['--json-logs', 'stderr as one JSON object per line (start, backend, progress, done, error)'],
])}
`;



async function writeAnnotatedVideo(videoPath: string, outputPath: string, analysis: VideoAnalysis, readOptions: LabelReadOptions, log: RunLog, signal: AbortSignal): Promise<void> {
  const annotated = await annotateVideo(videoPath, outputPath, labelResultOf(analysis, readOptions), { signal });
  log.emit({ event: 'annotated', path: annotated.path, boxes: annotated.boxes, labelsDrawn: annotated.labelsDrawn });
}

const DETECT_OPTIONS = {
  ...flagDeclarations([...ANALYSIS_FLAGS, 'help']),
  'min-confidence': { type: 'string' },
  'aggregate-by': { type: 'string' },
  'sort-by': { type: 'string' },
  out: { type: 'string' },
  annotate: { type: 'string' },
  quiet: { type: 'boolean', default: false },
  'json-logs': { type: 'boolean', default: false },
} as const;

const parseDetectArgv = (argv: string[]) => parseCommandLine({ args: argv, allowPositionals: true, options: DETECT_OPTIONS });

type DetectArguments = ReturnType<typeof parseDetectArgv>;

export async function runDetectCommand(argv: string[], context: CommandContext): Promise<number> {
  const parsed = parseDetectArgv(argv);
  const { values } = parsed;
  if (values.help) {
    context.stdout.write(detectUsage);
    return 0;
  }
  const log = createRunLog(values['json-logs'] ? 'json' : values.quiet ? 'quiet' : 'text', context.stderr);
  try {
    return await detect(parsed, context, log);
  } catch (error) {
    // In JSON mode the failure is an event like any other, so a log reader sees one format only.
    if (!values['json-logs']) throw error;
    const exitCode = exitCodeFor(context.signal);
    log.error(error, exitCode);
    return exitCode;
  } finally {
    log.close();
  }
}

async function detect({ values, positionals }: DetectArguments, context: CommandContext, log: RunLog): Promise<number> {
  const [videoPath, ...extra] = positionals;
  if (!videoPath || extra.length > 0) throw invalidParameter('detect: give exactly one video file (see --help)');
  const readOptions: LabelReadOptions = {
    minConfidence: parseNumberFlag('--min-confidence', values['min-confidence']),
    sortBy: values['sort-by'] as LabelReadOptions['sortBy'],
    aggregateBy: values['aggregate-by'] as LabelReadOptions['aggregateBy'],
  };
  // The read options are checked before any model loads, so a typo fails at once.
  readOrder({ SortBy: readOptions.sortBy, AggregateBy: readOptions.aggregateBy });
  if (readOptions.minConfidence !== undefined) checkMinConfidence(readOptions.minConfidence);
  const analyze = analyzeOptionsFrom(values, process.env);
  const { fps, model, workers } = analyze;
  // A file that is missing or not a video fails here, before a model is loaded.
  await probeVideo(videoPath, { signal: context.signal });
  log.emit({ event: 'start', video: videoPath, fps: fps ?? 2, model: model ?? DEFAULT_MODEL, workers: workers ?? null, analysis: describeAnalysis(analyze) });
  let frames = 0;
  // The worker threads (models, their heaps) are let go before the label timelines and the
  // response are built: on a long video those grow with its length, and the two would add up.
  const analyseWithPool = async (): Promise<{ analysis: VideoAnalysis; backend: string; seconds: number }> => {
    const detector = await createDetectorPool({ model, modelPath: analyze.modelPath, workers, backend: analyze.backend });
    let detected: DetectedVideo;
    // Timed once the models have loaded: the progress rate, ETA and frames/s leave the load out.
    let started: number;
    try {
      context.signal.throwIfAborted();
      const { manifest, backend } = detector;
      log.emit({ event: 'backend', ...backend, model: manifest.name, labelModelVersion: manifest.labelModelVersion, workers: detector.workers });
      started = Date.now();
      detected = await detectVideo(videoPath, {
        ...analyze,
        detector,
        signal: context.signal,
        onProgress: (progress) => {
          frames = progress.framesDone;
          log.progress(progress, Date.now() - started);
        },
      });
    } finally {
      await detector.destroy();
    }
    const analysis = analysisOf(detected, analyze);
    return { analysis, backend: detector.backend.backend, seconds: (Date.now() - started) / 1000 };
  };
  const { analysis, backend, seconds } = await analyseWithPool();
  const response = labelDetectionResponse(analysis, readOptions);
  const json = `${JSON.stringify(response, null, 2)}\n`;
  const out = values.out;
  if (out) await writeFile(out, json);
  else context.stdout.write(json);
  const framesPerSecond = Math.round((frames / seconds) * 100) / 100;
  log.emit({ event: 'done', frames, seconds: Math.round(seconds * 10) / 10, framesPerSecond, labels: new Set(response.Labels?.map((label) => label.Label?.Name)).size });
  if (log.mode === 'text' && context.stderr.isTTY) {
    const bySegments = labelDetectionResponse(analysis, { ...readOptions, aggregateBy: 'SEGMENTS' });
    const byTimestamps = labelDetectionResponse(analysis, { ...readOptions, aggregateBy: 'TIMESTAMPS' });
    context.stderr.write(`${summaryLines(bySegments, byTimestamps, { backend, framesPerSecond }).join('\n')}\n`);
  }
  const annotate = values.annotate;
  if (annotate) await writeAnnotatedVideo(videoPath, annotate, analysis, readOptions, log, context.signal);
  return 0;
}
