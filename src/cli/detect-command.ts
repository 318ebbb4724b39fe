import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createDetectorPool } from '../detect/index.js';
import { toDetectLabelsResponse } from '../detect-labels.js';
import { invalidParameter } from '../errors.js';
import { probeVideo } from '../frames/index.js';
import { analyzeVideo } from '../pipeline.js';
import { createProgressBar } from './progress.js';
import type { CommandContext } from './context.js';

export const detectUsage = `Usage: edge-label-detection detect <video> [options]

Detects labels in a local video and prints a GetLabelDetection response as JSON.

Options:
  --fps <N|all>              frames analysed per second (default 2; "all" = every frame)
  --min-confidence <0..100>  drop labels and instances below this confidence (default 50)
  --aggregate-by <TIMESTAMPS|SEGMENTS>   (default TIMESTAMPS)
  --sort-by <TIMESTAMP|NAME>             (default TIMESTAMP)
  --model <name>             centernet (default, offline) or coco-ssd
  --model-path <dir|url>     weights for models that do not ship them (coco-ssd)
  --workers <N>              detector threads (default: CPU cores)
  --out <file>               write the JSON to a file instead of stdout
  --quiet                    no progress or backend lines on stderr
`;

const parseFps = (value: string | undefined): number | 'all' | undefined => {
  if (value === undefined) return undefined;
  if (value === 'all') return 'all';
  const fps = Number(value);
  if (!Number.isFinite(fps) || fps <= 0 || fps > 240) throw invalidParameter(`--fps: must be a number above 0 (at most 240) or "all", got "${value}"`);
  return fps;
};

const parseNumber = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw invalidParameter(`${flag}: must be a number, got "${value}"`);
  return number;
};

export async function runDetectCommand(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      fps: { type: 'string' },
      'min-confidence': { type: 'string' },
      'aggregate-by': { type: 'string' },
      'sort-by': { type: 'string' },
      model: { type: 'string' },
      'model-path': { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    context.stdout.write(detectUsage);
    return 0;
  }
  const [videoPath, ...extra] = positionals;
  if (!videoPath || extra.length > 0) throw invalidParameter('detect: give exactly one video file (see --help)');
  const readOptions = {
    minConfidence: parseNumber('--min-confidence', values['min-confidence']),
    sortBy: values['sort-by'] as 'TIMESTAMP' | 'NAME' | undefined,
    aggregateBy: values['aggregate-by'] as 'TIMESTAMPS' | 'SEGMENTS' | undefined,
  };
  const workers = parseNumber('--workers', values.workers);
  // Validate the read options before any model loads, so a typo fails at once.
  toDetectLabelsResponse(
    { videoMetadata: {}, labelModelVersion: '', sampleIntervalMs: 1, analysedTimestampsMs: [], labels: [] },
    readOptions,
  );
  const fps = parseFps(values.fps);
  // A file that is missing or not a video fails here, before a model is loaded.
  await probeVideo(videoPath);
  const detector = await createDetectorPool({ model: values.model, modelPath: values['model-path'], workers });
  const log = (line: string) => values.quiet || context.stderr.write(`${line}\n`);
  log(`backend: ${detector.backend.backend} (${detector.backend.provider}; ${detector.backend.reason})`);
  log(`model: ${detector.manifest.name} ${detector.manifest.labelModelVersion}, ${detector.workers} worker(s)`);
  const progressBar = values.quiet ? undefined : createProgressBar(context.stderr);
  try {
    const started = Date.now();
    let frames = 0;
    const analysis = await analyzeVideo(videoPath, {
      fps,
      detector,
      signal: context.signal,
      onProgress: (progress) => {
        frames = progress.framesDone;
        progressBar?.update(progress);
      },
    });
    progressBar?.done();
    const seconds = (Date.now() - started) / 1000;
    log(`analysed ${frames} frames in ${seconds.toFixed(1)} s (${(frames / seconds).toFixed(2)} frames/s)`);
    const json = `${JSON.stringify(toDetectLabelsResponse(analysis, readOptions), null, 2)}\n`;
    if (values.out) await writeFile(values.out, json);
    else context.stdout.write(json);
    return 0;
  } finally {
    progressBar?.done();
    await detector.destroy();
  }
}
