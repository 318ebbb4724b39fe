export type { LocalVideo, VideoSource } from './videoSource.js';
export { LocalBucketSource, type LocalBucketSourceOptions } from './localBuckets.js';
export { sniffVideoContainer, CONTAINER_HEADER_BYTES, type VideoContainer } from './videoContainer.js';
