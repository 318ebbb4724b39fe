/**
 * The one-call library entry: a local video in, a complete GetLabelDetection response out (all
 * labels in one response; the job API pages them as Rekognition does).
 */
import type {
  GetLabelDetectionResponse,
  LabelDetectionAggregateBy,
  LabelDetectionSettings,
  LabelDetectionSortBy,
} from '@aws-sdk/client-rekognition';
import { invalidParameter } from './errors.js';
import { analyzeVideo, type AnalyzeOptions } from './pipeline.js';
import { selectLabels, toLabelDetections } from './response/index.js';
import type { VideoAnalysis } from './types.js';

export const DEFAULT_MIN_CONFIDENCE = 50;

export interface LabelReadOptions {
  /** 0..100, default 50: labels and instances below it are not returned. */
  minConfidence?: number;
  sortBy?: LabelDetectionSortBy;
  aggregateBy?: LabelDetectionAggregateBy;
  settings?: LabelDetectionSettings;
}

export type DetectLabelsOptions = AnalyzeOptions & LabelReadOptions;

function checkReadOptions(options: LabelReadOptions): Required<Pick<LabelReadOptions, 'minConfidence' | 'sortBy' | 'aggregateBy'>> {
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  if (typeof minConfidence !== 'number' || !(minConfidence >= 0 && minConfidence <= 100)) {
    throw invalidParameter(`MinConfidence: must be a number from 0 to 100, got ${String(options.minConfidence)}`);
  }
  const sortBy = options.sortBy ?? 'TIMESTAMP';
  if (sortBy !== 'TIMESTAMP' && sortBy !== 'NAME') throw invalidParameter(`SortBy: must be TIMESTAMP or NAME, got ${String(sortBy)}`);
  const aggregateBy = options.aggregateBy ?? 'TIMESTAMPS';
  if (aggregateBy !== 'TIMESTAMPS' && aggregateBy !== 'SEGMENTS') {
    throw invalidParameter(`AggregateBy: must be TIMESTAMPS or SEGMENTS, got ${String(aggregateBy)}`);
  }
  return { minConfidence, sortBy, aggregateBy };
}

/** Shapes an analysis as one complete, unpaginated GetLabelDetection response. */
export function toDetectLabelsResponse(analysis: VideoAnalysis, options: LabelReadOptions = {}): GetLabelDetectionResponse {
  const { minConfidence, sortBy, aggregateBy } = checkReadOptions(options);
  const selected = selectLabels(analysis, { minConfidence, generalLabels: options.settings?.GeneralLabels });
  return {
    JobStatus: 'SUCCEEDED',
    VideoMetadata: analysis.videoMetadata,
    Labels: toLabelDetections(selected, {
      sortBy,
      aggregateBy,
      sampleIntervalMs: analysis.sampleIntervalMs,
      videoDurationMs: analysis.videoMetadata.DurationMillis ?? 0,
    }),
    LabelModelVersion: analysis.labelModelVersion,
    GetRequestMetadata: { SortBy: sortBy, AggregateBy: aggregateBy },
  };
}

export async function detectLabels(videoPath: string, options: DetectLabelsOptions = {}): Promise<GetLabelDetectionResponse> {
  checkReadOptions(options);
  return toDetectLabelsResponse(await analyzeVideo(videoPath, options), options);
}
