import type { FrameDetections, TrackedFrame } from '../types.js';
import { resolveTrackerOptions, type TrackerOptions } from './options.js';
import { confidenceFromEvidence } from './temporal-confidence.js';
import { TrackSet } from './track-set.js';

/**
 * Online multi-object tracker (SORT motion model + ByteTrack's two association passes).
 * Feed frames in time order; each call reports the confirmed tracks matched at that frame, with a
 * confidence that uses only the frames seen so far. For a whole video prefer {@link trackObjects}.
 */
export class ObjectTracker {
  private readonly tracks: TrackSet;

  constructor(options?: Partial<TrackerOptions>) {
    this.tracks = new TrackSet(resolveTrackerOptions(options));
  }

  update(frame: FrameDetections): TrackedFrame {
    const { matched } = this.tracks.advance(frame);
    const objects = matched.flatMap((track) => {
      const box = track.steps.at(-1)?.match?.box;
      return track.trackId === null || !box
        ? []
        : [{ trackId: track.trackId, className: track.className, box, confidence: confidenceFromEvidence(track.evidence) }];
    });
    return { timestampMs: frame.timestampMs, objects: objects.sort((a, b) => a.trackId - b.trackId) };
  }
}
