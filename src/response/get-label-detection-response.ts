import type {
  GeneralLabelsSettings,
  GetLabelDetectionRequest,
  GetLabelDetectionResponse,
  LabelDetection,
  LabelDetectionAggregateBy,
  LabelDetectionSortBy,
  Video,
  VideoJobStatus,
} from '@aws-sdk/client-rekognition';
import { internalServerError, invalidParameter } from '../errors.js';
import type { VideoAnalysis } from '../types.js';
import { toLabelDetections } from './label-detections.js';
import { paginate } from './paginate.js';
import { selectLabels } from './select-labels.js';

/** Rekognition's MinConfidence when the request has none. */
export const DEFAULT_MIN_CONFIDENCE = 50;

/** A label detection job as StartLabelDetection left it, plus its current status. */
export interface LabelDetectionJob {
  /** Absent for an analysis that is not a job (detectLabels on a local file). */
  JobId?: string;
  JobStatus: VideoJobStatus;
  /** Why the job failed; returned only while JobStatus is FAILED. */
  StatusMessage?: string;
  Video?: Video;
  JobTag?: string;
  minConfidence: number;
  generalLabels?: GeneralLabelsSettings;
}

export interface GetLabelDetectionInput {
  job: LabelDetectionJob;
  /** Required once the job SUCCEEDED; its VideoMetadata and model version are returned whenever present. */
  analysis?: VideoAnalysis;
  request: Pick<GetLabelDetectionRequest, 'SortBy' | 'AggregateBy' | 'MaxResults' | 'NextToken'>;
  /** Signs NextTokens. Without it the response is not paged: every label is in it. */
  tokenSecret?: Buffer | string;
  /** Current time in ms since the epoch, for NextToken expiry; defaults to `Date.now()`. */
  now?: number;
}

const SORT_BY: readonly LabelDetectionSortBy[] = ['TIMESTAMP', 'NAME'];
const AGGREGATE_BY: readonly LabelDetectionAggregateBy[] = ['TIMESTAMPS', 'SEGMENTS'];

/**
 * One GetLabelDetection response. Labels are only listed once the job SUCCEEDED; before that the
 * page is empty, but a NextToken passed in is still checked so a bad one never goes unnoticed.
 */
export const buildGetLabelDetectionResponse = (input: GetLabelDetectionInput): GetLabelDetectionResponse => {
  const { job, analysis, request, tokenSecret } = input;
  const { sortBy, aggregateBy } = readOrder(request);
  checkMinConfidence(job.minConfidence);
  const labels = job.JobStatus === 'SUCCEEDED' ? listLabels(job, analysis, sortBy, aggregateBy) : [];
  const { page, nextToken } =
    tokenSecret === undefined || job.JobId === undefined
      ? { page: labels, nextToken: undefined }
      : paginate(labels, { maxResults: request.MaxResults, nextToken: request.NextToken }, { jobId: job.JobId, sortBy, aggregateBy, secret: tokenSecret, now: input.now });
  return withoutUndefined({
    JobStatus: job.JobStatus,
    StatusMessage: job.JobStatus === 'FAILED' ? job.StatusMessage : undefined,
    VideoMetadata: analysis?.videoMetadata,
    NextToken: nextToken,
    Labels: page,
    LabelModelVersion: analysis?.labelModelVersion,
    JobId: job.JobId,
    Video: job.Video,
    JobTag: job.JobTag,
    GetRequestMetadata: { SortBy: sortBy, AggregateBy: aggregateBy },
  });
};

const listLabels = (
  job: LabelDetectionJob,
  analysis: VideoAnalysis | undefined,
  sortBy: LabelDetectionSortBy,
  aggregateBy: LabelDetectionAggregateBy,
): LabelDetection[] => {
  if (!analysis) throw internalServerError(`Job ${job.JobId} SUCCEEDED but its analysis is missing`);
  const selected = selectLabels(analysis, { minConfidence: job.minConfidence, generalLabels: job.generalLabels });
  return toLabelDetections(selected, {
    sortBy,
    aggregateBy,
    sampleIntervalMs: analysis.sampleIntervalMs,
    // Without a known duration the last segment simply ends one sample after its last timestamp.
    videoDurationMs: analysis.videoMetadata.DurationMillis ?? Number.POSITIVE_INFINITY,
  });
};

/** SortBy and AggregateBy, defaulted and checked: the one place that knows their values. */
export function readOrder(request: Pick<GetLabelDetectionRequest, 'SortBy' | 'AggregateBy'>): { sortBy: LabelDetectionSortBy; aggregateBy: LabelDetectionAggregateBy } {
  return { sortBy: oneOf('SortBy', request.SortBy ?? 'TIMESTAMP', SORT_BY), aggregateBy: oneOf('AggregateBy', request.AggregateBy ?? 'TIMESTAMPS', AGGREGATE_BY) };
}

export function checkMinConfidence(minConfidence: unknown): void {
  if (typeof minConfidence !== 'number' || !(minConfidence >= 0 && minConfidence <= 100)) {
    throw invalidParameter(`MinConfidence: must be a number from 0 to 100, got ${String(minConfidence)}`);
  }
}

/** How a caller reads an analysis that is not a job: what a GetLabelDetection request and the job's settings would say. */
export interface LabelReadOptions {
  /** 0..100, default 50: labels and instances below it are not returned. */
  minConfidence?: number;
  sortBy?: LabelDetectionSortBy;
  aggregateBy?: LabelDetectionAggregateBy;
  settings?: { GeneralLabels?: GeneralLabelsSettings };
}

/** One complete, unpaged GetLabelDetection response for an analysis, read as `options` say. */
export const labelDetectionResponse = (analysis: VideoAnalysis, options: LabelReadOptions = {}): GetLabelDetectionResponse =>
  buildGetLabelDetectionResponse({
    job: { JobStatus: 'SUCCEEDED', minConfidence: options.minConfidence ?? DEFAULT_MIN_CONFIDENCE, generalLabels: options.settings?.GeneralLabels },
    analysis,
    request: { SortBy: options.sortBy, AggregateBy: options.aggregateBy },
  });

const oneOf = <T extends string>(field: string, value: string, allowed: readonly T[]): T => {
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidParameter(`${field}: must be one of ${allowed.join(', ')}, got ${value}`);
  }
  return value as T;
};

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
