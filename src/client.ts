/**
 * StartLabelDetection / GetLabelDetection on this machine, with the AWS SDK's request, response
 * and error shapes, so code written against RekognitionClient keeps working.
 */
import {
  GetLabelDetectionCommand,
  StartLabelDetectionCommand,
  type GetLabelDetectionCommandOutput,
  type GetLabelDetectionRequest,
  type GetLabelDetectionResponse,
  type NotificationChannel,
  type S3Object,
  type StartLabelDetectionCommandOutput,
  type StartLabelDetectionRequest,
  type StartLabelDetectionResponse,
} from '@aws-sdk/client-rekognition';
import { EventEmitter } from 'node:events';
import { limitExceeded, resourceNotFound } from './errors.js';
import { FileJobStore } from './jobs/file-job-store.js';
import { jobForRetry } from './jobs/idempotency.js';
import { InProcessJobQueue, type JobDispatcher } from './jobs/job-queue.js';
import { newJob, type JobRecord } from './jobs/job-record.js';
import type { JobStore } from './jobs/job-store.js';
import { MemoryJobStore } from './jobs/memory-job-store.js';
import { completionMessage, jobEnded, type JobEnded, type LabelDetectionCompletionMessage } from './jobs/notification.js';
import { runJob, type JobProgress, type JobRunContext } from './jobs/run-job.js';
import { newTokenSecret, persistentTokenSecret } from './jobs/token-secret.js';
import { validateGetLabelDetectionRequest, validateStartLabelDetectionRequest } from './jobs/validate.js';
import { createVideoAnalyzer, reuseRecentAnalyses, type AnalyzeVideo, type JobAnalyzeOptions, type VideoAnalyzer } from './jobs/video-analyzer.js';
import { buildGetLabelDetectionResponse, DEFAULT_MIN_CONFIDENCE } from './response/index.js';
import { LocalBucketSource, type VideoSource } from './source/index.js';

export type { JobEnded, JobProgress, LabelDetectionCompletionMessage };

export interface LabelDetectionClientOptions {
  /** Bucket name -> local directory that plays that bucket; `Video.S3Object.Name` is a path below it. */
  buckets?: Record<string, string>;
  /** Where jobs, their results and the NextToken secret persist; without it everything lives in memory. */
  dataDir?: string;
  /** Jobs analysed at once (default 1: one analysis already uses every core). */
  maxConcurrentJobs?: number;
  /** Jobs waiting or running before StartLabelDetection answers LimitExceededException (default 20, as Rekognition). */
  maxOpenJobs?: number;
  /** Pipeline settings for every job (sampling fps, model, workers, ffmpeg paths). */
  analyze?: JobAnalyzeOptions;
  /** Key that signs NextTokens; default: kept in `dataDir`, or random per client without one. */
  tokenSecret?: string;
  /** Accept any format the decoder reads (GIF, ...), not only Rekognition's MP4, MOV and AVI. */
  allowAnyVideoFormat?: boolean;
  /** Where videos come from instead of the `buckets` directories (e.g. a real S3 bucket). */
  videoSource?: VideoSource;
  /** Replaces the analysis pipeline; meant for tests of the job lifecycle. */
  analyzeVideo?: AnalyzeVideo;
  /** Where jobs live instead of `dataDir` or memory, e.g. a store that several servers share. */
  jobStore?: JobStore;
  /**
   * Who analyses started jobs instead of this process, e.g. workers that pull them from a shared
   * queue; `maxConcurrentJobs`, `analyze` and `analyzeVideo` then do not apply, and the events
   * about a job's progress and end fire in the process that runs it.
   */
  jobDispatcher?: JobDispatcher;
}

export interface LabelDetectionClientEvents {
  progress: [progress: JobProgress];
  /** Every job that ends, with or without a notification channel. */
  jobEnded: [job: JobEnded];
  /** The message Rekognition would publish to the job's SNS topic; only for jobs started with a NotificationChannel. */
  completed: [message: LabelDetectionCompletionMessage, channel: NotificationChannel];
  /** A job's end could not be stored (e.g. the disk is full). */
  error: [error: unknown];
}

/** Rekognition's default quota of concurrent stored-video jobs. */
const DEFAULT_MAX_OPEN_JOBS = 20;
const DESTROYED_MESSAGE = 'The job was stopped because its LabelDetectionClient was destroyed before the job finished';

interface Storage {
  store: JobStore;
  tokenSecret: string;
}

export class LabelDetectionClient extends EventEmitter<LabelDetectionClientEvents> {
  readonly #storage: Promise<Storage>;
  readonly #source: VideoSource;
  readonly #analyzer: VideoAnalyzer;
  readonly #dispatcher: JobDispatcher;
  readonly #maxOpenJobs: number;
  /** Starts run one after another, so a ClientRequestToken can never start two jobs. */
  #startsDone: Promise<unknown> = Promise.resolve();
  #destroyed: Promise<void> | undefined;

  constructor(options: LabelDetectionClientOptions = {}) {
    super();
    this.#maxOpenJobs = options.maxOpenJobs ?? DEFAULT_MAX_OPEN_JOBS;
    if (!Number.isInteger(this.#maxOpenJobs) || this.#maxOpenJobs < 1) {
      throw new RangeError(`maxOpenJobs must be an integer >= 1, got ${options.maxOpenJobs}`);
    }
    this.#dispatcher = options.jobDispatcher ?? this.#inProcessDispatcher(options.maxConcurrentJobs);
    this.#source =
      options.videoSource ??
      new LocalBucketSource({ buckets: options.buckets ?? {}, allowAnyVideoFormat: options.allowAnyVideoFormat });
    this.#analyzer = reuseRecentAnalyses(createVideoAnalyzer(jobAnalyzeOptions(options), options.analyzeVideo));
    this.#storage = openStorage(options);
    // Failures surface on the first call that needs storage; until then they are not unhandled.
    this.#storage.catch(() => undefined);
  }

  /** Checks the request and the video, then queues the analysis and answers with its JobId at once. */
  async startLabelDetection(input: StartLabelDetectionRequest): Promise<StartLabelDetectionResponse> {
    const request = validateStartLabelDetectionRequest(input);
    const { store } = await this.#storage;
    const started = this.#startsDone.then(() => this.#start(request, store));
    this.#startsDone = started.catch(() => undefined);
    return started;
  }

  async getLabelDetection(input: GetLabelDetectionRequest): Promise<GetLabelDetectionResponse> {
    const request = validateGetLabelDetectionRequest(input);
    const { store, tokenSecret } = await this.#storage;
    const job = await store.get(request.JobId as string);
    if (!job) throw resourceNotFound(`JobId ${request.JobId}: no such label detection job`);
    return buildGetLabelDetectionResponse({
      job: {
        JobId: job.JobId,
        JobStatus: job.JobStatus,
        StatusMessage: job.StatusMessage,
        Video: job.request.Video,
        JobTag: job.request.JobTag,
        minConfidence: job.request.MinConfidence ?? DEFAULT_MIN_CONFIDENCE,
        generalLabels: job.request.Settings?.GeneralLabels,
      },
      analysis: job.analysis,
      request,
      tokenSecret,
    });
  }

  /** `client.send(new StartLabelDetectionCommand(...))` and `GetLabelDetectionCommand`, as with RekognitionClient. */
  send(command: StartLabelDetectionCommand): Promise<StartLabelDetectionCommandOutput>;
  send(command: GetLabelDetectionCommand): Promise<GetLabelDetectionCommandOutput>;
  async send(command: { input: unknown }): Promise<StartLabelDetectionCommandOutput | GetLabelDetectionCommandOutput> {
    const $metadata = { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 };
    if (isCommand(command, StartLabelDetectionCommand)) {
      return { ...(await this.startLabelDetection(command.input as StartLabelDetectionRequest)), $metadata };
    }
    if (isCommand(command, GetLabelDetectionCommand)) {
      return { ...(await this.getLabelDetection(command.input as GetLabelDetectionRequest)), $metadata };
    }
    throw new TypeError(
      `LabelDetectionClient.send supports StartLabelDetectionCommand and GetLabelDetectionCommand, not ${command?.constructor?.name ?? typeof command}`,
    );
  }

  /** Refuses new jobs, stops running ones (they end FAILED, as do queued ones) and the detector workers. */
  destroy(): Promise<void> {
    this.#destroyed ??= (async () => {
      await this.#startsDone;
      await this.#dispatcher.close(new Error(DESTROYED_MESSAGE));
      await this.#analyzer.destroy();
    })();
    return this.#destroyed;
  }

  async #start(request: StartLabelDetectionRequest, store: JobStore): Promise<StartLabelDetectionResponse> {
    if (this.#destroyed) throw new Error('This LabelDetectionClient has been destroyed; create a new one to start jobs');
    const now = Date.now();
    const token = request.ClientRequestToken;
    const retried = token === undefined ? undefined : jobForRetry(await store.findByClientRequestToken(token), request, now);
    if (retried) return { JobId: retried.JobId };
    const openJobs = await this.#dispatcher.openJobs();
    if (openJobs >= this.#maxOpenJobs) {
      throw limitExceeded(`${openJobs} open jobs; maximum limit: ${this.#maxOpenJobs} (maxOpenJobs)`);
    }
    await this.#source.check(request.Video?.S3Object as S3Object);
    const job = newJob(request, now);
    const holder = store.putNew ? await store.putNew(job) : (await store.put(job), job);
    // Another process started a job with the same token between the lookup above and now.
    if (holder.JobId !== job.JobId) return { JobId: (jobForRetry(holder, request, now) ?? holder).JobId };
    await this.#dispatcher.dispatch(job);
    return { JobId: job.JobId };
  }

  #inProcessDispatcher(concurrency: number | undefined): JobDispatcher {
    const queue = new InProcessJobQueue({ concurrency, onTaskError: (error) => this.emit('error', error) });
    return {
      openJobs: async () => queue.openTasks,
      dispatch: async (job) => {
        const context = this.#runContext((await this.#storage).store);
        queue.enqueue((signal) => runJob(job, context, signal));
      },
      close: (reason) => queue.close(reason),
    };
  }

  #runContext(store: JobStore): JobRunContext {
    return {
      store,
      source: this.#source,
      analyzer: this.#analyzer,
      now: Date.now,
      onProgress: (progress) => this.emit('progress', progress),
      onEnded: (job: JobRecord) => {
        const ended = jobEnded(job);
        this.emit('jobEnded', ended);
        if (ended.NotificationChannel) this.emit('completed', completionMessage(ended), ended.NotificationChannel);
      },
    };
  }
}

/** Rekognition analyses H.264 only; other codecs the decoder reads are opted into with allowAnyVideoFormat, as other containers are. */
const REKOGNITION_CODECS = ['h264'];

const jobAnalyzeOptions = ({ analyze, allowAnyVideoFormat }: LabelDetectionClientOptions): JobAnalyzeOptions =>
  allowAnyVideoFormat ? { ...analyze } : { acceptedCodecs: REKOGNITION_CODECS, ...analyze };

async function openStorage(options: LabelDetectionClientOptions): Promise<Storage> {
  const { dataDir } = options;
  const [store, tokenSecret] = await Promise.all([
    options.jobStore ?? (dataDir === undefined ? new MemoryJobStore() : FileJobStore.open(dataDir)),
    options.tokenSecret ?? (dataDir === undefined ? newTokenSecret() : persistentTokenSecret(dataDir)),
  ]);
  return { store, tokenSecret };
}

/** By class, or by name when the caller's SDK is another copy of @aws-sdk/client-rekognition. */
const isCommand = <T>(command: unknown, commandClass: abstract new (...args: never[]) => T): command is T =>
  command instanceof commandClass ||
  (typeof command === 'object' && command !== null && command.constructor?.name === commandClass.name);
