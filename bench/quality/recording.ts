import { frameThumbnail } from '../../src/frames/similarity.js';
import type { DetectorPool } from '../../src/detect/index.js';
import type { FrameDetections } from '../../src/types.js';

/** A pool that keeps what the detector said about every frame, so one analysis yields both views. */
export function recordingDetector(pool: DetectorPool, recorded: Map<number, FrameDetections>): DetectorPool {
  return {
    manifest: pool.manifest,
    workers: pool.workers,
    backend: pool.backend,
    destroy: () => pool.destroy(),
    async detect(frame, views) {
      const { timestampMs } = frame;
      // Taken before the pixels go to a worker, as the pipeline does, so the tracker can tell new looks from repeated ones.
      const thumbnail = frameThumbnail(frame.pixels, frame.width, frame.height);
      const reply = await pool.detect(frame, views);
      recorded.set(timestampMs, { timestampMs, detections: reply.detections, thumbnail });
      return reply;
    },
  };
}
