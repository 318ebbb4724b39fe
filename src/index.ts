/** edge-label-detection: Amazon Rekognition Video label detection on your own machine. */
export * from './types.js';
export * from './errors.js';
export { detectLabels, toDetectLabelsResponse, DEFAULT_MIN_CONFIDENCE, type DetectLabelsOptions, type LabelReadOptions } from './detect-labels.js';
export { analyzeVideo, type AnalyzeOptions, type AnalysisProgress } from './pipeline.js';
export { createDetectorPool, AVAILABLE_MODELS, DEFAULT_MODEL, selectBackend, type DetectorPool, type DetectorPoolOptions, type BackendChoice, type ModelName } from './detect/index.js';
export { probeVideo, sampleFrames, resolveBinary, frameThumbnail, DEFAULT_SAMPLE_FPS, type SampleRate } from './frames/index.js';
export { trackObjects, ObjectTracker, DEFAULT_TRACKER_OPTIONS, type TrackerOptions } from './track/index.js';
export { loadTaxonomy, labelInfoForClass, toLabelTimelines } from './taxonomy/index.js';
export { selectLabels, toLabelDetections, toSegments, paginate, buildGetLabelDetectionResponse, DEFAULT_SEGMENT_GAP_TOLERANCE_MS } from './response/index.js';
export { LabelDetectionClient, type LabelDetectionClientOptions, type LabelDetectionClientEvents, type JobEnded, type JobProgress, type LabelDetectionCompletionMessage } from './client.js';
export { FileJobStore, MemoryJobStore, InProcessJobQueue, type JobStore, type JobQueue, type JobRecord } from './jobs/index.js';
export { LocalBucketSource, type VideoSource, type LocalVideo } from './source/index.js';
