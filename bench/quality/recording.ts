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
      const reply = await pool.detect(frame, views);
      recorded.set(timestampMs, { timestampMs, detections: reply.detections });
      return reply;
    },
  };
}
