/** `edge-label-detection worker`: analyses jobs from a shared queue until stopped. */
import { SNSClient } from '@aws-sdk/client-sns';
import { analyzeOptionsFrom, ANALYSIS_FLAGS, describeAnalysis, flagDeclarations, flagHelp, parseBucketFlags, parseHttpUrlFlag, parseIntegerFlag, parseSecondsFlag, parseCommandLine } from './flags.js';
import { DEFAULT_QUEUE_NAME, parseQueueUrl } from '../distributed/redis-connection.js';
import {
  DEFAULT_LOCK_DURATION_MS,
  DEFAULT_MAX_STALLED_COUNT,
  DEFAULT_STALLED_INTERVAL_MS,
  startLabelDetectionWorker,
  type LabelDetectionWorkerOptions,
  type WorkerEvent,
} from '../distributed/worker.js';
import { invalidParameter } from '../errors.js';
import { completionMessage } from '../jobs/notification.js';
import { createSnsNotifier } from '../notify/sns-notifier.js';
import type { CommandContext } from './context.js';

export const workerUsage = `Usage: edge-label-detection worker --queue redis://HOST:PORT [options]

Takes label detection jobs that "serve --queue" accepted from the shared queue, analyses them on this
machine and stores the results in the same Redis, where every server reads them. Run one per machine
(or per GPU). Every worker needs the same --bucket names as the servers: the server checks the video,
the worker reads it.

Options:
${flagHelp([
  ['--queue <redis://HOST:PORT>', 'the Redis holding the queue, job records and results (required)'],
  'queue-name',
  'bucket',
  'allow-any-video-format',
  ...ANALYSIS_FLAGS,
  ['--concurrency <N>', 'jobs analysed at once, sharing the detector threads (default 1)'],
  ['--lock-duration <s>', `a job whose worker is silent this long goes back to the queue (default ${DEFAULT_LOCK_DURATION_MS / 1000})`],
  ['--stalled-interval <s>', `how often workers look for such jobs (default ${DEFAULT_STALLED_INTERVAL_MS / 1000})`],
  ['--max-stalled-count <N>', `times a job may lose its worker before it ends FAILED (default ${DEFAULT_MAX_STALLED_COUNT})`],
  ['--drain-timeout <s>', 'on SIGTERM, wait this long for running jobs, then release them (default: wait)'],
  ['--name <name>', 'shown by "status" (default <hostname>:<pid>)'],
  'sns-endpoint',
  ['--region <region>', 'region of the SNS client (default AWS_REGION, or us-east-1)'],
])}

A job's completion message is published by the worker that recorded its end, once per job.

SIGTERM or Ctrl-C: take no new job, finish the running ones, exit. A second one (or --drain-timeout)
stops the running analyses and puts their jobs back in the queue for another worker.
`;

const WORKER_OPTIONS = {
  ...flagDeclarations([...ANALYSIS_FLAGS, 'queue', 'queue-name', 'bucket', 'allow-any-video-format', 'sns-endpoint', 'help']),
  concurrency: { type: 'string' },
  'lock-duration': { type: 'string' },
  'stalled-interval': { type: 'string' },
  'max-stalled-count': { type: 'string' },
  'drain-timeout': { type: 'string' },
  name: { type: 'string' },
  region: { type: 'string' },
} as const;

export interface WorkerCommandConfig {
  worker: Omit<LabelDetectionWorkerOptions, 'onEvent' | 'onJobRecorded'>;
  drainTimeoutMs?: number;
  sns?: { endpoint: string; region: string };
}

const milliseconds = (seconds: number | undefined): number | undefined => (seconds === undefined ? undefined : Math.round(seconds * 1000));

export function parseWorkerArgs(argv: string[], env: NodeJS.ProcessEnv = {}): WorkerCommandConfig | 'help' {
  const { values, positionals } = parseCommandLine({ args: argv, allowPositionals: true, options: WORKER_OPTIONS });
  if (values.help) return 'help';
  if (positionals.length > 0) throw invalidParameter(`worker: unexpected argument "${positionals[0]}" (see --help)`);
  if (values.queue === undefined) throw invalidParameter('--queue: required, e.g. --queue redis://127.0.0.1:6379');
  const snsEndpoint = parseHttpUrlFlag('--sns-endpoint', values['sns-endpoint']);
  return {
    worker: {
      url: parseQueueUrl(values.queue),
      queueName: values['queue-name'],
      buckets: parseBucketFlags(values.bucket),
      allowAnyVideoFormat: values['allow-any-video-format'],
      analyze: analyzeOptionsFrom(values, env),
      concurrency: parseIntegerFlag('--concurrency', values.concurrency, 1),
      lockDurationMs: milliseconds(parseSecondsFlag('--lock-duration', values['lock-duration'])),
      stalledIntervalMs: milliseconds(parseSecondsFlag('--stalled-interval', values['stalled-interval'])),
      maxStalledCount: parseIntegerFlag('--max-stalled-count', values['max-stalled-count'], 0),
      name: values.name,
    },
    drainTimeoutMs: milliseconds(parseSecondsFlag('--drain-timeout', values['drain-timeout'])),
    ...(snsEndpoint === undefined ? {} : { sns: { endpoint: snsEndpoint, region: values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1' } }),
  };
}

export const describeWorkerEvent = (event: WorkerEvent): string => {
  switch (event.event) {
    case 'job-started':
      return `job ${event.JobId} started`;
    case 'job-ended':
      return `job ${event.JobId} ${event.JobStatus}${event.StatusMessage ? `: ${event.StatusMessage}` : ''} (${event.frames} frames in ${event.seconds.toFixed(1)} s)${event.recorded ? '' : '; not recorded, another worker ended it first'}`;
    case 'job-skipped':
      return `job ${event.JobId} skipped: ${event.reason}`;
    case 'job-released':
      return `job ${event.JobId} released to the queue`;
    case 'job-abandoned':
      return `job ${event.JobId} FAILED: ${event.StatusMessage}`;
    case 'job-recovered':
      return `job ${event.JobId} enqueued: its server stored it and stopped before enqueueing it`;
    case 'error':
      return `error: ${event.message}`;
  }
};

export async function runWorkerCommand(argv: string[], context: CommandContext): Promise<number> {
  const config = parseWorkerArgs(argv, process.env);
  if (config === 'help') {
    context.stdout.write(workerUsage);
    return 0;
  }
  const log = (line: string) => void context.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const options = config.worker;
  const notifier = config.sns && createSnsNotifier({ sns: new SNSClient({ endpoint: config.sns.endpoint, region: config.sns.region }), log });
  const worker = await startLabelDetectionWorker({
    ...options,
    onEvent: (event) => log(describeWorkerEvent(event)),
    onJobRecorded: (job) => {
      if (!job.NotificationChannel) return;
      if (notifier) notifier.notify(completionMessage(job), job.NotificationChannel);
      else log(`job ${job.JobId}: not published to ${job.NotificationChannel.SNSTopicArn} (no --sns-endpoint)`);
    },
  });
  const { backend } = worker;
  const lines = [
    `worker ${worker.name} on queue ${options.queueName ?? DEFAULT_QUEUE_NAME} at ${options.url}`,
    `backend: ${backend.backend} (${backend.provider})${backend.reason ? `; ${backend.reason}` : ''}`,
    `model: ${worker.model}, ${worker.detectorThreads} detector thread${worker.detectorThreads === 1 ? '' : 's'}, concurrency ${worker.concurrency} job${worker.concurrency === 1 ? '' : 's'} at a time`,
    describeAnalysis(options.analyze ?? {}),
    ...Object.entries(options.buckets ?? {}).map(([name, directory]) => `bucket ${name}: ${directory}`),
    config.sns === undefined ? 'notifications: not published (no --sns-endpoint)' : `notifications: published to SNS at ${config.sns.endpoint} (region ${config.sns.region})`,
  ];
  for (const line of lines) context.stdout.write(`${line}\n`);

  const release = () => {
    context.stdout.write('releasing the running jobs to the queue\n');
    void worker.release();
  };
  // The first SIGTERM / Ctrl-C aborts context.signal (a drain); this listener counts them so the
  // second releases. It stays registered throughout: were no listener but signal-exit's (used by
  // execa for ffmpeg) left, signal-exit would re-raise the signal and kill the process mid-drain.
  let signals = 0;
  const onSignal = () => {
    signals += 1;
    if (signals === 2) release();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let timer: NodeJS.Timeout | undefined;
  try {
    if (!context.signal.aborted) await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
    context.stdout.write('draining: taking no new job, finishing the running ones (signal again to release them to the queue)\n');
    if (config.drainTimeoutMs !== undefined) timer = setTimeout(release, config.drainTimeoutMs);
    await worker.drain();
    await notifier?.drain();
  } finally {
    clearTimeout(timer);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  context.stdout.write('stopped\n');
  return 0;
}
