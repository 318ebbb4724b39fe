/**
 * A small deterministic fuzzer: byte flips on a real 2-second MP4, each mutant run as a job
 * through LabelDetectionClient and the real pipeline (source check, ffprobe, ffmpeg, sampling,
 * tracking, response). No mutant may hang, crash the process, leave its job IN_PROGRESS or fail
 * without naming its file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelDetectionClient, type LabelDetectionClientOptions } from '../../src/client.js';
import { DEFAULT_MODEL, loadModelManifest } from '../../src/detect/index.js';
import { isRekognitionError } from '../../src/errors.js';
import type { DetectorPool } from '../../src/detect/index.js';
import { analyzeVideo } from '../../src/pipeline.js';
import { untilEnded } from './jobs.js';
import { makeClip, seededRandom } from './media.js';

const SEED = 20_240_601;
const CASES = 300;
/** Decodable mutants that the second pass sends through the real model. */
const REAL_POOL_CASES = 8;
/** Past these, no new case starts, and the test fails for the cases it could not run. */
const WIDE_PASS_BUDGET_MS = 75_000;
const REAL_POOL_BUDGET_MS = 45_000;
/** Cases in flight at once: one probing or decoding while another is in the detector. */
const PARALLEL_CASES = 3;

/** Offset and size of the top-level box `type` (e.g. `moov`) of an ISO BMFF file. */
function topLevelBox(bytes: Uint8Array, type: string): { offset: number; size: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset + 8 <= bytes.length; ) {
    const size = view.getUint32(offset);
    if (String.fromCharCode(...bytes.subarray(offset + 4, offset + 8)) === type) return { offset, size };
    if (size < 8) break;
    offset += size;
  }
  throw new Error(`no ${type} box`);
}

/**
 * Flips 1 to 8 random bytes. Every other case aims at the moov box (the container's index and the
 * codec headers, where parsing happens), the others anywhere in the file (mostly coded pictures).
 */
function mutate(original: Uint8Array, moov: { offset: number; size: number }, random: () => number, aimAtIndex: boolean): Uint8Array {
  const mutant = Uint8Array.from(original);
  const flips = 1 + Math.floor(random() * 8);
  for (let i = 0; i < flips; i += 1) {
    const position = aimAtIndex ? moov.offset + Math.floor(random() * moov.size) : Math.floor(random() * original.length);
    mutant[position] = (mutant[position] as number) ^ (1 + Math.floor(random() * 255));
  }
  return mutant;
}

/** "s3://media/fuzz-12.mp4: the file is truncated (…)" -> "FAILED: the file is truncated"; numbers blurred so like outcomes group. */
const outcomeOf = (status: string, detail: string, file: string): string =>
  `${status}: ${detail.replace(`${file}: `, '').replace(/ \(.*$/s, '').replace(/\d+/g, 'N')}`;

/**
 * The model only ever sees frames ffmpeg has already decoded and resized, whatever the file's
 * bytes were, so the wide pass leaves inference out: this stand-in has the real model's input size
 * and finds nothing. Decodable mutants then go through the real worker pool in the second pass.
 */
const findsNothing: DetectorPool = {
  manifest: loadModelManifest(DEFAULT_MODEL),
  workers: 2,
  backend: { backend: 'none', provider: '@tensorflow/tfjs', reason: 'the fuzzer\'s stand-in detector' },
  detect: async ({ pixels }) => ({ detections: [], pixels }),
  lookAgain: async ({ pixels }) => ({ detections: [], pixels }),
  lookForHands: async ({ pixels }) => ({ hands: [], pixels }),
  destroy: async () => {},
};

interface CaseResult {
  index: number;
  outcome: string;
}

/**
 * Runs the mutants as jobs, `PARALLEL_CASES` at a time, until all ran or the budget is spent;
 * collects an outcome per case and every way a case misbehaved.
 */
async function runCases(client: LabelDetectionClient, directory: string, mutants: Map<number, Uint8Array>, budgetMs: number) {
  const results: CaseResult[] = [];
  const problems: string[] = [];
  const queue = [...mutants.keys()];
  const started = Date.now();
  const runCase = async (index: number) => {
    const name = `fuzz-${index}.mp4`;
    const file = path.join(directory, name);
    await writeFile(file, mutants.get(index) as Uint8Array);
    try {
      const { JobId = '' } = await client.startLabelDetection({ Video: { S3Object: { Bucket: 'media', Name: name } } });
      const ended = await untilEnded(client, JobId, 60_000);
      const object = `s3://media/${name}`;
      if (ended.JobStatus === 'FAILED' && !ended.StatusMessage?.startsWith(`${object}: `)) problems.push(`${name}: FAILED without naming the object: ${ended.StatusMessage}`);
      if (ended.JobStatus === 'FAILED' && /Conversion failed!|filters as finished/.test(ended.StatusMessage ?? '')) {
        problems.push(`${name}: FAILED with ffmpeg's closing words instead of the problem: ${ended.StatusMessage}`);
      }
      results.push({ index, outcome: ended.JobStatus === 'FAILED' ? outcomeOf('FAILED', ended.StatusMessage ?? '', object) : `${ended.JobStatus}` });
    } catch (error) {
      if (!isRekognitionError(error)) problems.push(`${name}: ${String(error)}`);
      results.push({ index, outcome: outcomeOf(`refused at start (${(error as Error).name})`, (error as Error).message, `s3://media/${name}`) });
    }
    await rm(file);
  };
  const lane = async () => {
    for (let index = queue.shift(); index !== undefined && Date.now() - started < budgetMs; index = queue.shift()) await runCase(index);
  };
  await Promise.all(Array.from({ length: PARALLEL_CASES }, lane));
  return { results, problems, elapsedMs: Date.now() - started };
}

function report(title: string, { results, elapsedMs }: Awaited<ReturnType<typeof runCases>>): void {
  const counts = new Map<string, number>();
  for (const { outcome } of results) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  const lines = [...counts].sort(([, a], [, b]) => b - a).map(([outcome, count]) => `  ${String(count).padStart(4)}  ${outcome}`);
  console.log(`${title}: ${results.length} cases in ${(elapsedMs / 1000).toFixed(1)} s (seed ${SEED})\n${lines.join('\n')}`);
}

describe(`fuzzing a 2 s MP4 with byte flips (seed ${SEED})`, () => {
  let directory: string;
  let original: Uint8Array;
  let mutants: Map<number, Uint8Array>;
  const clients: LabelDetectionClient[] = [];
  const newClient = (options: LabelDetectionClientOptions) => {
    const client = new LabelDetectionClient({ buckets: { media: directory }, maxConcurrentJobs: 2, ...options });
    clients.push(client);
    return client;
  };
  let decodable: number[] = [];

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'reliability-fuzz-'));
    original = await readFile(await makeClip(path.join(directory, 'clip.mp4'), 2));
    const random = seededRandom(SEED);
    const moov = topLevelBox(original, 'moov');
    mutants = new Map(Array.from({ length: CASES }, (_, index) => [index, mutate(original, moov, random, index % 2 === 0)]));
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.destroy()));
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it(`ends all ${CASES} cases through the job API: refused at start with a Rekognition error, FAILED naming the file, or SUCCEEDED`, async () => {
    const client = newClient({ analyze: { fps: 1 }, analyzeVideo: (videoPath, options) => analyzeVideo(videoPath, { ...options, detector: findsNothing }) });
    const run = await runCases(client, directory, mutants, WIDE_PASS_BUDGET_MS);
    report('fuzzer, wide pass (stand-in detector)', run);
    expect(run.problems).toEqual([]);
    expect(run.results).toHaveLength(CASES);
    decodable = run.results.filter(({ outcome }) => outcome === 'SUCCEEDED').map(({ index }) => index).sort((a, b) => a - b);
  });

  it(`analyses the first ${REAL_POOL_CASES} decodable mutants with the real worker pool, then the intact clip`, async () => {
    const client = newClient({ analyze: { fps: 1, workers: 2 } });
    const chosen = new Map(decodable.slice(0, REAL_POOL_CASES).map((index) => [index, mutants.get(index) as Uint8Array]));
    const run = await runCases(client, directory, chosen, REAL_POOL_BUDGET_MS);
    report('fuzzer, real worker pool', run);
    expect(run.problems).toEqual([]);
    expect(run.results).toHaveLength(chosen.size);
    // The pool survived every mutant: the unmodified clip still analyses, and finds the bottles.
    await writeFile(path.join(directory, 'intact.mp4'), original);
    const { JobId = '' } = await client.startLabelDetection({ Video: { S3Object: { Bucket: 'media', Name: 'intact.mp4' } } });
    const intact = await untilEnded(client, JobId);
    expect(intact.JobStatus).toBe('SUCCEEDED');
    expect(intact.Labels?.some((label) => label.Label?.Name === 'Bottle')).toBe(true);
  });
});
