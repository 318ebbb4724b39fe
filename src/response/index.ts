export { selectLabels, type LabelSelection } from './selectLabels.js';
export { toSegments, DEFAULT_SEGMENT_GAP_TOLERANCE_MS, type LabelSegment, type SegmentOptions } from './segments.js';
export { toLabelDetections, type LabelDetectionOptions } from './labelDetections.js';
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
  type GetLabelDetectionInput,
  type LabelDetectionJob,
} from './getLabelDetectionResponse.js';
