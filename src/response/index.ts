export { selectLabels, type LabelSelection } from './select-labels.js';
export { toSegments, DEFAULT_SEGMENT_GAP_TOLERANCE_MS, type LabelSegment, type SegmentOptions } from './segments.js';
export { toLabelDetections, type LabelDetectionOptions } from './label-detections.js';
export {
  paginate,
  MAX_RESULTS_LIMIT,
  PAGINATION_TOKEN_TTL_MS,
  type Page,
  type PageRequest,
  type PaginationContext,
} from './paginate.js';
export {
  buildGetLabelDetectionResponse,
  checkMinConfidence,
  DEFAULT_MIN_CONFIDENCE,
  labelDetectionResponse,
  readOrder,
  type GetLabelDetectionInput,
  type LabelDetectionJob,
  type LabelReadOptions,
} from './get-label-detection-response.js';
