/** `edge-label-detection serve`: the Rekognition endpoint as a long-running local service. */
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { environmentSettings } from '../config.js';
import { EXIT_BEFORE_DISPATCH } from '../detect/pool.js';
import { analyzeOptionsFrom, ANALYSIS_FLAGS, describeAnalysis, flagDeclarations, flagHelp, parseBucketFlags, parseHttpUrlFlag, parseIntegerFlag, parseCommandLine } from './flags.js';
import { createClientForQueue } from '../distributed/queue-client.js';
import { parseQueueUrl } from '../distributed/redis-connection.js';
import type { CommandContext } from './context.js';
import { LabelDetectionClient } from '../client.js';
import { invalidParameter } from '../errors.js';
import type { JobAnalyzeOptions } from '../jobs/video-analyzer.js';
import { createSnsNotifier } from '../notify/sns-notifier.js';
import { LocalBucketSource, type VideoSource } from '../source/index.js';
import { S3VideoSource, sourceByBucket } from '../source/s3.js';
import { DEFAULT_HOST, startRekognitionServer } from '../server/rekognition-server.js';
import type { ServerCredentials } from '../server/signature-v4.js';

export const DEFAULT_PORT = 8484;
const ACCESS_KEY_ENV = 'EDGE_LABEL_DETECTION_ACCESS_KEY_ID';
const SECRET_KEY_ENV = 'EDGE_LABEL_DETECTION_SECRET_ACCESS_KEY';
/** Where running jobs keep their copies of S3 objects, below the data directory. */
const DOWNLOAD_SUBDIR = 's3-downloads';

export const serveUsage = `Usage: edge-label-detection serve [options]

Answers Rekognition's StartLabelDetection and GetLabelDetection over HTTP (AWS JSON 1.1), so the
AWS SDKs and the AWS CLI work with only an endpoint override (e.g. --endpoint-url http://127.0.0.1:${DEFAULT_PORT}).

Options:
${flagHelp([
  ['--host <addr>', `address to bind (default ${DEFAULT_HOST}, this machine only)`],
  ['--port <N>', `port (default ${DEFAULT_PORT}; 0 picks a free one)`],
  'data-dir',
  'bucket',
  ['--s3-endpoint <url>', 'read every other bucket from this S3-compatible endpoint'],
  'sns-endpoint',
  ['--access-key-id <id>', 'require requests signed (Signature V4) with this key ...'],
  ['--secret-access-key <key>', `... and secret (or ${ACCESS_KEY_ENV} / ${SECRET_KEY_ENV})`],
  ['--region <region>', 'require signatures scoped to this region; region of the S3 and SNS clients'],
  ...ANALYSIS_FLAGS,
  ['--max-concurrent-jobs <N>', 'jobs analysed at once (default 1)'],
  'allow-any-video-format',
  ['--queue <redis://HOST:PORT>', 'keep jobs and results in Redis; "worker" processes analyse them (the analysis flags are then the workers\' to set)'],
  'queue-name',
])}

The S3 and SNS clients take their credentials from the standard AWS chain (AWS_ACCESS_KEY_ID, ~/.aws, ...).
`;

export interface ServeConfig {
  host: string;
  port: number;
  dataDir: string;
  buckets: Record<string, string>;
  s3Endpoint?: string;
  snsEndpoint?: string;
  /** Required of every request when set; without them any request is accepted. */
  credentials?: ServerCredentials;
  /** Set only by --region: incoming signatures must be scoped to it. */
  signingRegion?: string;
  /** Region of the outgoing S3 and SNS clients. */
  awsRegion: string;
  analyze: JobAnalyzeOptions;
  maxConcurrentJobs?: number;
  allowAnyVideoFormat: boolean;
  /** Scale-out: jobs and results live in this Redis, and worker processes analyse them. */
  queue?: string;
  /** The queue within that Redis (default DEFAULT_QUEUE_NAME). */
  queueName?: string;
  /** Reliability tests: EDGE_LABEL_DETECTION_FAULT=exit-before-dispatch (see createClientForQueue). */
  exitBeforeDispatch?: boolean;
}

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv): ServeConfig | 'help' {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      ...flagDeclarations([...ANALYSIS_FLAGS, 'data-dir', 'bucket', 'sns-endpoint', 'allow-any-video-format', 'queue', 'queue-name', 'help']),
      host: { type: 'string', default: DEFAULT_HOST },
      port: { type: 'string' },
      's3-endpoint': { type: 'string' },
      'access-key-id': { type: 'string' },
      'secret-access-key': { type: 'string' },
      region: { type: 'string' },
      'max-concurrent-jobs': { type: 'string' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw invalidParameter(`serve: unexpected argument "${positionals[0]}" (see --help)`);
  return {
    host: values.host,
    port: parseIntegerFlag('--port', values.port, 0, 65535) ?? DEFAULT_PORT,
    dataDir: path.resolve(values['data-dir']),
    buckets: parseBucketFlags(values.bucket),
    s3Endpoint: parseHttpUrlFlag('--s3-endpoint', values['s3-endpoint']),
    snsEndpoint: parseHttpUrlFlag('--sns-endpoint', values['sns-endpoint']),
    credentials: parseCredentials(values['access-key-id'] ?? env[ACCESS_KEY_ENV], values['secret-access-key'] ?? env[SECRET_KEY_ENV]),
    signingRegion: values.region,
    awsRegion: values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    analyze: analyzeOptionsFrom(values, env),
    maxConcurrentJobs: parseIntegerFlag('--max-concurrent-jobs', values['max-concurrent-jobs'], 1),
    allowAnyVideoFormat: values['allow-any-video-format'],
    queue: values.queue === undefined ? undefined : parseQueueUrl(values.queue),
    queueName: values['queue-name'],
    exitBeforeDispatch: environmentSettings(env).fault === EXIT_BEFORE_DISPATCH,
  };
}


function parseCredentials(accessKeyId: string | undefined, secretAccessKey: string | undefined): ServerCredentials | undefined {
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) {
    throw invalidParameter(
      `--access-key-id and --secret-access-key (or ${ACCESS_KEY_ENV} and ${SECRET_KEY_ENV}) must be given together`,
    );
  }
  return { accessKeyId, secretAccessKey };
}




export interface RunningService {
  url: string;
  /** Stops taking requests, lets those in flight finish, stops running jobs and sends their notifications. */
  close(): Promise<void>;
}

/** Wires the job client, its video sources, notifications and the HTTP endpoint together. */
export async function startService(config: ServeConfig, log: (line: string) => void): Promise<RunningService> {
  await mkdir(config.dataDir, { recursive: true });
  const shared = { buckets: config.buckets, allowAnyVideoFormat: config.allowAnyVideoFormat, videoSource: await videoSourceFor(config) };
  const client = config.queue
    ? await createClientForQueue(config.queue, {
        ...shared,
        queueName: config.queueName,
        exitBeforeDispatch: config.exitBeforeDispatch,
        onStrandedJobsEnqueued: (jobIds) => log(`enqueued ${jobIds.length} stranded job(s), stored by a server that stopped before enqueueing them: ${jobIds.join(', ')}`),
      })
    : new LabelDetectionClient({ ...shared, dataDir: config.dataDir, analyze: config.analyze, maxConcurrentJobs: config.maxConcurrentJobs });
  const notifier =
    config.snsEndpoint === undefined
      ? undefined
      : createSnsNotifier({ sns: new SNSClient({ endpoint: config.snsEndpoint, region: config.awsRegion }), log });
  client.on('error', (error) => log(`a job's end could not be stored: ${error instanceof Error ? error.message : String(error)}`));
  client.on('jobEnded', (job) => log(`job ${job.JobId} ${job.Status}${job.StatusMessage ? `: ${job.StatusMessage}` : ''}`));
  client.on('completed', (message, channel) => {
    if (notifier) notifier.notify(message, channel);
    else log(`job ${message.JobId}: not published to ${channel.SNSTopicArn} (no --sns-endpoint)`);
  });

  const server = await startRekognitionServer({
    client,
    host: config.host,
    port: config.port,
    credentials: config.credentials,
    region: config.signingRegion,
    log,
  }).catch(async (error: unknown) => {
    await client.destroy();
    throw error;
  });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await client.destroy();
      await notifier?.drain();
    },
  };
}

/** Local bucket directories, and S3 for every other bucket when an endpoint is configured. */
async function videoSourceFor(config: ServeConfig): Promise<VideoSource | undefined> {
  if (config.s3Endpoint === undefined) return undefined;
  const downloadDir = path.join(config.dataDir, DOWNLOAD_SUBDIR);
  // Copies left behind by a process that was killed belong to no job any more.
  await rm(downloadDir, { recursive: true, force: true });
  const s3 = new S3Client({ endpoint: config.s3Endpoint, region: config.awsRegion, forcePathStyle: true });
  const options = { allowAnyVideoFormat: config.allowAnyVideoFormat };
  return sourceByBucket(
    config.buckets,
    new LocalBucketSource({ buckets: config.buckets, ...options }),
    new S3VideoSource({ s3, downloadDir, ...options }),
  );
}

export const describeConfig = (config: ServeConfig, url: string): string[] => [
  `listening on ${url}`,
  config.queue === undefined ? `data dir: ${config.dataDir}` : `jobs: queued in Redis at ${new URL(config.queue).host}; analysed by "edge-label-detection worker" processes`,
  ...(config.queue === undefined ? [describeAnalysis(config.analyze)] : []),
  ...Object.entries(config.buckets).map(([name, directory]) => `bucket ${name}: ${directory}`),
  config.s3Endpoint === undefined
    ? 'other buckets: refused (no --s3-endpoint)'
    : `other buckets: read from S3 at ${config.s3Endpoint} (region ${config.awsRegion})`,
  config.snsEndpoint === undefined
    ? 'notifications: not published (no --sns-endpoint)'
    : `notifications: published to SNS at ${config.snsEndpoint} (region ${config.awsRegion})`,
  config.credentials === undefined
    ? 'authentication: none; any request is accepted, signed or not (set --access-key-id and --secret-access-key to require Signature V4)'
    : `authentication: Signature V4 with access key ${config.credentials.accessKeyId}, region ${config.signingRegion ?? 'any'}`,
];

export async function runServeCommand(argv: string[], context: CommandContext): Promise<number> {
  const config = parseServeArgs(argv, process.env);
  if (config === 'help') {
    context.stdout.write(serveUsage);
    return 0;
  }
  const log = (line: string) => void context.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const service = await startService(config, log);
  for (const line of describeConfig(config, service.url)) context.stdout.write(`${line}\n`);
  if (!context.signal.aborted) await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
  context.stdout.write('stopping: finishing requests in flight, stopping jobs\n');
  await service.close();
  return 0;
}
