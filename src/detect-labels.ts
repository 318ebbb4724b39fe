/**
 * The one-call library entry: a local video in, a complete GetLabelDetection response out (all
 * labels in one response; the job API pages them as Rekognition does).
 */
import { analyzeVideo, type AnalyzeOptions } from './pipeline.js';
import { checkMinConfidence, labelDetectionResponse, readOrder, type LabelReadOptions } from './response/index.js';
import type { GetLabelDetectionResponse } from '@aws-sdk/client-rekognition';

export type DetectLabelsOptions = AnalyzeOptions & LabelReadOptions;

export async function detectLabels(videoPath: string, options: DetectLabelsOptions = {}): Promise<GetLabelDetectionResponse> {
  // A typo in how to read the result fails before any frame is read.
  readOrder({ SortBy: options.sortBy, AggregateBy: options.aggregateBy });
  if (options.minConfidence !== undefined) checkMinConfidence(options.minConfidence);
  return labelDetectionResponse(await analyzeVideo(videoPath, options), options);
}
