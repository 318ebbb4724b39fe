export { ObjectTracker } from './object-tracker.js';
export { agreementOf, framesAgree } from './agreement.js';
export { trackObjects } from './track-objects.js';
export { DEFAULT_TRACKER_OPTIONS, resolveTrackerOptions, type TrackerOptions } from './options.js';
export { iou } from '../geometry.js';
export { solveAssignment } from './hungarian.js';
export { confidenceFromEvidence, frameEvidence } from './temporal-confidence.js';
