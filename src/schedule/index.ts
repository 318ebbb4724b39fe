/** Frame scheduling: which sampled frames the model sees (a pure planner), and the runner that feeds the pool. */
export { FramePlanner, type Decision, type FramesAgree, type OfferedFrame, type SignatureChange } from './plan.js';
export { detectFrames, type DetectFramesOptions, type ScheduleProgress } from './run.js';
export {
  DEFAULT_ADAPTIVE_SAMPLING,
  DEFAULT_FRAME_SKIP,
  resolveScheduleOptions,
  type AdaptiveSamplingOptions,
  type FrameSkipOptions,
  type ScheduleOptions,
  type WorkAvoidanceOptions,
} from './options.js';
