export { resolveBinary, type ResolvedBinary, type BinaryName } from './binaries.js';
export { probeVideo, toProbedVideo, type ProbedVideo } from './probe.js';
export { checkVideoLimits, assertDecodedToTheEnd, VIDEO_LIMITS } from './limits.js';
export { sampleFrames, expectedFrameCount, DEFAULT_SAMPLE_FPS, type SampleRate, type SampleFramesOptions } from './sample.js';

