/** `edge-label-detection report`: a GetLabelDetection result (a file, or a stored job) as an HTML page. */
import type { GetLabelDetectionResponse, S3Object, Video } from '@aws-sdk/client-rekognition';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { CommandContext } from './context.js';
import { FileJobStore } from '../jobs/file-job-store.js';
import { invalidParameter, isRekognitionError, resourceNotFound } from '../errors.js';
import { LocalBucketSource } from '../source/index.js';
import { labelResultOf, readLabelResult, type LabelResult } from '../report/label-result.js';
import { renderReportHtml, type Thumbnail } from '../report/render-html.js';
import { thumbnailTimestamps } from '../report/report-model.js';
import { extractThumbnails } from '../report/thumbnails.js';
import { DEFAULT_DATA_DIR, parseBucketFlags, parseCommandLine } from './flags.js';

export const reportUsage = `Usage: edge-label-detection report <result.json|JobId> [options]

Writes a self-contained HTML page for a label detection result: a timeline per label, frames of the
video with the label instances' boxes drawn, and the VideoMetadata.

<result.json> is a GetLabelDetection response (from "detect --out", TIMESTAMPS aggregation for boxes).
<JobId> reads a finished job of "serve" from its data directory.

Options:
  --out <file>           the HTML file to write (default report.html)
  --video <path>         the analysed video, for the frame pictures
  --data-dir <dir>       data directory of the jobs (default ${DEFAULT_DATA_DIR}); only for a JobId
  --bucket <name>=<dir>  where a job's S3 bucket lives locally, to find its video (repeatable)
  --frames <N>           frames pictured (default 6)
`;

const DEFAULT_FRAME_COUNT = 6;

/** A stored job of "serve", read from its data directory: the analysis itself, as the job's request reads it. */
async function readJobResult(jobId: string, dataDir: string): Promise<{ result: LabelResult; video?: Video }> {
  const job = await (await FileJobStore.open(dataDir)).get(jobId);
  if (!job) throw resourceNotFound(`JobId ${jobId}: no such label detection job in ${dataDir}`);
  if (job.JobStatus !== 'SUCCEEDED' || !job.analysis) {
    throw invalidParameter(`JobId ${jobId}: the job is ${job.JobStatus}${job.StatusMessage ? ` (${job.StatusMessage})` : ''}; only a SUCCEEDED job has labels`);
  }
  return { result: labelResultOf(job.analysis, { minConfidence: job.request.MinConfidence, settings: job.request.Settings }), ...(job.request.Video ? { video: job.request.Video } : {}) };
}

async function readResultFile(path: string): Promise<GetLabelDetectionResponse> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as GetLabelDetectionResponse;
  } catch (error) {
    throw invalidParameter(`${path}: not a readable GetLabelDetection JSON file (${(error as Error).message})`);
  }
}


/** The job's own video, when its bucket is a local directory the user named. */
async function jobVideoPath(video: Video, buckets: Record<string, string>): Promise<string | undefined> {
  const s3Object: S3Object | undefined = video?.S3Object;
  if (!s3Object?.Bucket || !(s3Object.Bucket in buckets)) return undefined;
  const opened = await new LocalBucketSource({ buckets, allowAnyVideoFormat: true }).open(s3Object);
  return opened.path;
}

async function pictureFrames(
  videoPath: string | undefined,
  timestampsMs: number[],
  metadata: { FrameWidth?: number; FrameHeight?: number },
  signal: AbortSignal,
): Promise<{ thumbnails: Thumbnail[]; missingReason?: string }> {
  if (!videoPath) return { thumbnails: [], missingReason: 'No video given: pass --video (or --bucket for a job) to see frames with their boxes.' };
  if (!metadata.FrameWidth || !metadata.FrameHeight) return { thumbnails: [], missingReason: 'The result has no frame size in its VideoMetadata.' };
  try {
    const thumbnails = await extractThumbnails(videoPath, timestampsMs, { width: metadata.FrameWidth, height: metadata.FrameHeight }, { signal });
    return { thumbnails };
  } catch (error) {
    if (signal.aborted || !isRekognitionError(error)) throw error;
    return { thumbnails: [], missingReason: error.message };
  }
}

export async function runReportCommand(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', default: 'report.html' },
      video: { type: 'string' },
      'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
      bucket: { type: 'string', multiple: true, default: [] },
      frames: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    context.stdout.write(reportUsage);
    return 0;
  }
  const [source, ...extra] = positionals;
  if (!source || extra.length > 0) throw invalidParameter('report: give exactly one result file or JobId (see --help)');
  const frameCount = values.frames === undefined ? DEFAULT_FRAME_COUNT : Number(values.frames);
  if (!Number.isInteger(frameCount) || frameCount < 0 || frameCount > 60) throw invalidParameter(`--frames: must be a whole number from 0 to 60, got "${values.frames}"`);
  const isFile = existsSync(source);
  const { result, video } = isFile ? { result: readLabelResult(await readResultFile(source)), video: undefined } : await readJobResult(source, values['data-dir']);
  const videoPath = values.video ?? (video ? await jobVideoPath(video, parseBucketFlags(values.bucket)) : undefined);
  const frames = await pictureFrames(videoPath, frameCount > 0 ? thumbnailTimestamps(result, frameCount) : [], result.videoMetadata, context.signal);
  const title = videoPath ? basename(videoPath) : isFile ? basename(source) : `Job ${source}`;
  const html = renderReportHtml({ title, result, thumbnails: frames.thumbnails, ...(frames.missingReason ? { thumbnailsMissingReason: frames.missingReason } : {}) });
  await writeFile(values.out, html);
  context.stderr.write(`report: ${resolve(values.out)} (${result.labels.length} labels, ${frames.thumbnails.length} frames)\n`);
  return 0;
}
