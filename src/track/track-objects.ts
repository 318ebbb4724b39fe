import type { Box, FrameDetections, TrackedFrame, TrackedObject } from '../types.js';
import { resolveTrackerOptions, type TrackerOptions } from './options.js';
import { confidenceFromEvidence, twoSidedEvidence } from './temporal-confidence.js';
import { trackEvidenceCap, TrackSet, type Track, type TrackStep } from './track-set.js';

/**
 * Tracks objects over a whole video. Because every frame is known, it improves on the online
 * {@link ObjectTracker}: a confirmed track is reported from its first match, not from its
 * `birthHits`-th; missed frames between two matches (at most `maxMisses` in a row) are filled with
 * boxes interpolated in time; tracks never confirmed never appear; and each timestamp's confidence
 * uses the evidence on both sides of it (see temporal-confidence.ts).
 *
 * Short videos: a video of fewer sampled frames than `birthHits` (a single frame, or a clip shorter
 * than the confirmation window) confirms a track matched in all of its frames, since no more could
 * be seen. Its confidence is still its frames' evidence, so MinConfidence decides as for any track:
 * a one-frame video reports what its frame shows at that frame's own confidence, at Timestamp 0.
 *
 * @returns one TrackedFrame per input frame, same timestamps and order; objects sorted by trackId.
 */
export const trackObjects = (frames: Iterable<FrameDetections>, options?: Partial<TrackerOptions>): TrackedFrame[] => {
  const allFrames = [...frames];
  const resolved = resolveTrackerOptions(options);
  const tracks = new TrackSet({ ...resolved, birthHits: Math.max(1, Math.min(resolved.birthHits, allFrames.length)) });
  const timestamps: number[] = [];
  const finished: Track[] = [];
  for (const frame of allFrames) {
    timestamps.push(frame.timestampMs);
    finished.push(...tracks.advance(frame).ended);
  }
  finished.push(...tracks.liveTracks);

  const objectsAt = timestamps.map((): TrackedObject[] => []);
  for (const track of finished) {
    for (const { frameIndex, object } of reportTrack(track, resolved)) objectsAt[frameIndex]?.push(object);
  }
  return timestamps.map((timestampMs, index) => ({
    timestampMs,
    objects: (objectsAt[index] as TrackedObject[]).sort((a, b) => a.trackId - b.trackId),
  }));
};

type MatchedStep = TrackStep & { match: NonNullable<TrackStep['match']> };

const reportTrack = (track: Track, options: TrackerOptions): { frameIndex: number; object: TrackedObject }[] => {
  const { trackId, className } = track;
  if (trackId === null) return [];
  const lastMatch = track.steps.findLastIndex((step) => step.match !== null);
  const steps = track.steps.slice(0, lastMatch + 1);
  // A track that carries on from an ended one (track-set.ts) starts from that one's evidence.
  const cap = trackEvidenceCap(track, options.maxIndependentObservations);
  const evidence = twoSidedEvidence(
    steps.map((step) => step.match?.evidence ?? null),
    options.missDecay,
  ).map((value) => Math.min(value + track.priorEvidence, cap));
  return steps.map((step, index) => ({
    frameIndex: step.frameIndex,
    object: {
      trackId,
      className,
      box: step.match?.box ?? boxInGap(steps, index),
      confidence: confidenceFromEvidence(evidence[index] as number),
    },
  }));
};

/** A missed step's box, interpolated in time between the matched steps around it. */
const boxInGap = (steps: readonly TrackStep[], index: number): Box => {
  const before = steps.findLast((step, at): step is MatchedStep => at < index && step.match !== null);
  const after = steps.find((step, at): step is MatchedStep => at > index && step.match !== null);
  if (!before || !after) throw new Error(`Track step ${index} is not between two matched steps.`);
  const span = after.timestampMs - before.timestampMs;
  const fraction = span > 0 ? ((steps[index] as TrackStep).timestampMs - before.timestampMs) / span : 0.5;
  const mix = (from: number, to: number): number => from + (to - from) * fraction;
  const [from, to] = [before.match.box, after.match.box];
  return {
    left: mix(from.left, to.left),
    top: mix(from.top, to.top),
    width: mix(from.width, to.width),
    height: mix(from.height, to.height),
  };
};
