/**
 * edge-label-detection: Amazon Rekognition Video label detection on your own machine. The public
 * surface: the Rekognition-shaped client (in process, or in queue mode with its workers), the
 * one-call `detectLabels`, the stage functions the README documents, the values that cross stages,
 * and the AWS SDK's own error classes.
 */
export * from './types.js';
export * from './error-classes.js';
export { LabelDetectionClient, type LabelDetectionClientOptions, type LabelDetectionClientEvents, type JobEnded, type JobProgress, type LabelDetectionCompletionMessage } from './client.js';
export { createClientForQueue, type QueueClientOptions } from './distributed/queue-client.js';
export { startLabelDetectionWorker, type LabelDetectionWorker, type LabelDetectionWorkerOptions, type WorkerEvent } from './distributed/worker.js';
export { detectLabels, type DetectLabelsOptions } from './detect-labels.js';
export { analysisOf, analyzeVideo, detectVideo, labelTimelinesOf, type AnalyzeOptions, type AnalysisProgress, type DetectedVideo, type LabelTimelineOptions } from './pipeline.js';
export { withPersonParts, withPeopleLabels, trackActivities, groupsAmong, DEFAULT_ACTIVITY_OPTIONS, DEFAULT_PART_OPTIONS, type ActivityOptions, type PartOptions } from './people/index.js';
export { probeVideo, sampleFrames, DEFAULT_SAMPLE_FPS, type SampleRate } from './frames/index.js';
export { FramePlanner, detectFrames, type Decision, type ScheduleOptions, type FrameSkipOptions, type AdaptiveSamplingOptions } from './schedule/index.js';
export { createDetectorPool, AVAILABLE_MODELS, DEFAULT_MODEL, type DetectorPool, type DetectorPoolOptions, type BackendChoice, type ModelName } from './detect/index.js';
export { frameThumbnail } from './picture.js';
export { trackObjects, ObjectTracker, DEFAULT_TRACKER_OPTIONS, type TrackerOptions } from './track/index.js';
export { loadTaxonomy, labelInfoForClass, toLabelTimelines } from './taxonomy/index.js';
export { labelDetectionResponse, toLabelDetections, toSegments, paginate, DEFAULT_MIN_CONFIDENCE, type LabelReadOptions } from './response/index.js';
