export type { LocalVideo, VideoSource } from './video-source.js';
export { LocalBucketSource, type LocalBucketSourceOptions } from './local-buckets.js';
export { sniffVideoContainer, CONTAINER_HEADER_BYTES, type VideoContainer } from './video-container.js';
