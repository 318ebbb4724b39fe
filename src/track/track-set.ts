import type { Box, Detection, FrameDetections, FrameThumbnail } from '../types.js';
import { matchDetectionsToTracks } from './association.js';
import { iou } from '../geometry.js';
import { correctEstimate, estimatedBox, predictEstimate, startEstimate, type BoxEstimate } from './kalman.js';
import type { TrackerOptions } from './options.js';
import { accumulateEvidence, evidenceCap, frameEvidence, frameWeight, lookNovelty, lookWeight, SAME_PICTURE_NOVELTY } from './temporal-confidence.js';

/** What happened to a track at one analysed frame. */
export interface TrackStep {
  frameIndex: number;
  timestampMs: number;
  /** The smoothed box and the frame's evidence when a detection was matched; null for a miss. */
  match: { box: Box; evidence: number } | null;
}

export interface Track {
  /** Public identity, given when the track is confirmed; null while tentative. */
  trackId: number | null;
  className: string;
  estimate: BoxEstimate;
  /** Time the estimate refers to. */
  timestampMs: number;
  /** Matched frames so far. */
  hits: number;
  /** Sum over the matched frames of their evidence at full weight, for the cap (temporal-confidence.ts). */
  unweightedEvidenceTotal: number;
  consecutiveMisses: number;
  /** Causal (forward-only) temporal evidence, see temporal-confidence.ts. */
  evidence: number;
  /** The causal evidence right after the latest match, before any miss decayed it: what an ended track is remembered with. */
  evidenceAtLastMatch: number;
  /** The picture of the track's latest matched frame, to tell a new look from a repeated one. */
  lastThumbnail: FrameThumbnail | undefined;
  /**
   * Evidence an ended track of the same class gathered at this place, carried over because this
   * track began on the pixels that track last saw: the same thing, seen again (0 otherwise).
   */
  priorEvidence: number;
  /** Every frame from the first match on, while the track lived. */
  steps: TrackStep[];
}

/** Where an ended track was last seen, the picture then, and the evidence it had gathered by then. */
interface LastSeen {
  className: string;
  box: Box;
  thumbnail: FrameThumbnail;
  evidence: number;
}

/** How many ended tracks are remembered (the latest), so that memory stays bounded on long videos. */
const REMEMBERED_TRACKS = 256;

/** A new track where an ended track of its class was (boxes overlapping at least this much) looks at the same place again. */
const SAME_PLACE_IOU = 0.5;

/**
 * The live tracks and the per-frame SORT/ByteTrack step shared by the online tracker and the
 * offline pass: predict, associate in two passes, update, start and end tracks.
 *
 * Ended tracks are remembered by place: a track that starts where one of its class ended, on the
 * pixels that track last saw, is that thing seen again. It carries on from the ended track's
 * evidence, and its first look is a repeated one. So a still mistake of the detector that comes and
 * goes (a shadow the hand detector scores around its floor) gathers evidence at the repeated-look
 * rate across its many short tracks, as one long track would, instead of a full new look at every
 * return; and a still bottle hidden for a while (a cut to black) is as sure when it shows again.
 */
export class TrackSet {
  private live: Track[] = [];
  private ended: LastSeen[] = [];
  private nextTrackId = 1;
  private frameIndex = 0;
  private lastTimestampMs = -Infinity;

  constructor(private readonly options: TrackerOptions) {}

  get liveTracks(): readonly Track[] {
    return this.live;
  }

  /** Moves every track to `frame`; returns the tracks matched there (new ones included) and those that ended. */
  advance(frame: FrameDetections): { matched: Track[]; ended: Track[] } {
    const { timestampMs } = frame;
    if (!(timestampMs >= this.lastTimestampMs)) {
      throw new RangeError(`Frames must arrive in time order: ${timestampMs} ms came after ${this.lastTimestampMs} ms.`);
    }
    this.lastTimestampMs = timestampMs;
    const frameIndex = this.frameIndex++;
    const { highConfidence, lowConfidence } = this.options;

    for (const track of this.live) {
      track.estimate = predictEstimate(track.estimate, (timestampMs - track.timestampMs) / 1000, this.options);
      track.timestampMs = timestampMs;
    }
    // A track seen once has no velocity yet: where it went is uncertain by about its own size, so it is matched with a wider buffer.
    const predicted = this.live.map((track) => ({
      track,
      box: estimatedBox(track.estimate),
      className: track.className,
      ...(track.hits === 1 ? { matchBuffer: this.options.firstMatchBuffer } : {}),
    }));
    const high = frame.detections.filter((detection) => detection.confidence >= highConfidence);
    const low = frame.detections.filter(
      (detection) => detection.confidence >= lowConfidence && detection.confidence < highConfidence,
    );

    const firstPass = matchDetectionsToTracks(predicted, high, this.options);
    // Second pass, on the faint detections: confirmed tracks, and tracks seen once surely enough to be confirmed by a faint look.
    const unmatchedConfirmed = predicted.filter(
      ({ track }, index) => (track.trackId !== null || this.faintLookConfirms(track)) && !firstPass.some(([row]) => row === index),
    );
    const secondPass = matchDetectionsToTracks(unmatchedConfirmed, low, this.options);

    const matches = new Map<Track, Detection>([
      ...firstPass.map(([row, column]): [Track, Detection] => [(predicted[row] as { track: Track }).track, high[column] as Detection]),
      ...secondPass.map(([row, column]): [Track, Detection] => [
        (unmatchedConfirmed[row] as { track: Track }).track,
        low[column] as Detection,
      ]),
    ]);
    const ended: Track[] = [];
    for (const track of this.live) {
      const detection = matches.get(track);
      if (detection) this.recordMatch(track, detection, frameIndex, frame.thumbnail);
      else if (this.recordMiss(track, frameIndex)) ended.push(track);
    }
    const started = high
      .filter((_, column) => !firstPass.some(([, matched]) => matched === column))
      .map((detection) => this.startTrack(detection, timestampMs, frameIndex, frame.thumbnail));

    this.live = [...this.live.filter((track) => !ended.includes(track)), ...started];
    this.remember(ended);
    return { matched: [...matches.keys(), ...started], ended };
  }

  /** A track seen once, of a class whose looks may be faint (TrackerOptions.faintLookConfirmsFrom), whose one look was new and at least that sure. */
  private faintLookConfirms(track: Track): boolean {
    const faintLooks = this.options.faintLookConfirmsFrom;
    const from = Object.hasOwn(faintLooks, track.className) ? faintLooks[track.className] : undefined;
    const look = track.steps.at(-1)?.match;
    return from !== undefined && track.trackId === null && track.hits === 1 && look !== undefined && look !== null && look.evidence >= frameEvidence(from, 1);
  }

  private remember(ended: readonly Track[]): void {
    for (const track of ended) {
      const last = track.steps.findLast((step) => step.match !== null);
      if (!last?.match || !track.lastThumbnail) continue;
      this.ended.push({ className: track.className, box: last.match.box, thumbnail: track.lastThumbnail, evidence: track.evidenceAtLastMatch });
    }
    if (this.ended.length > REMEMBERED_TRACKS) this.ended = this.ended.slice(-REMEMBERED_TRACKS);
  }

  /** The latest ended track of this class at this place whose last picture this one repeats, if any. */
  private seenAgain(detection: Detection, thumbnail: FrameThumbnail | undefined): LastSeen | undefined {
    const there = this.ended.findLast((seen) => seen.className === detection.className && iou(seen.box, detection.box) >= SAME_PLACE_IOU);
    return there && thumbnail && lookNovelty(there.thumbnail, thumbnail, detection.box) < SAME_PICTURE_NOVELTY ? there : undefined;
  }

  /** The most evidence the track may hold: its own frames' cap, or what it carried over if more. */
  private evidenceCapOf(track: Track): number {
    return trackEvidenceCap(track, this.options.maxIndependentObservations);
  }

  private startTrack(detection: Detection, timestampMs: number, frameIndex: number, thumbnail: FrameThumbnail | undefined): Track {
    const again = this.seenAgain(detection, thumbnail);
    const track: Track = {
      trackId: null,
      className: detection.className,
      estimate: startEstimate(detection.box, this.options),
      timestampMs,
      hits: 0,
      unweightedEvidenceTotal: 0,
      consecutiveMisses: 0,
      evidence: again?.evidence ?? 0,
      evidenceAtLastMatch: again?.evidence ?? 0,
      lastThumbnail: again?.thumbnail,
      priorEvidence: again?.evidence ?? 0,
      steps: [],
    };
    this.recordEvidence(track, detection, frameIndex, thumbnail);
    return track;
  }

  private recordMatch(track: Track, detection: Detection, frameIndex: number, thumbnail: FrameThumbnail | undefined): void {
    track.estimate = correctEstimate(track.estimate, detection.box, this.options);
    track.consecutiveMisses = 0;
    this.recordEvidence(track, detection, frameIndex, thumbnail);
  }

  private recordEvidence(track: Track, detection: Detection, frameIndex: number, thumbnail: FrameThumbnail | undefined): void {
    const { frameEvidenceWeight, evidenceIntervalMs, missDecay, repeatedLookWeight } = this.options;
    const previous = track.steps.at(-1);
    const sincePrevious = previous ? track.timestampMs - previous.timestampMs : evidenceIntervalMs;
    const novelty = lookNovelty(track.lastThumbnail, thumbnail, detection.box);
    const weight = frameWeight(frameEvidenceWeight, sincePrevious, evidenceIntervalMs) * lookWeight(novelty, repeatedLookWeight);
    const evidence = frameEvidence(detection.confidence, weight);
    track.lastThumbnail = thumbnail;
    track.hits += 1;
    track.unweightedEvidenceTotal += frameEvidence(detection.confidence, 1);
    track.evidence = Math.min(accumulateEvidence(track.evidence, evidence, missDecay), this.evidenceCapOf(track));
    track.evidenceAtLastMatch = track.evidence;
    if (track.trackId === null && track.hits >= this.options.birthHits) track.trackId = this.nextTrackId++;
    const box = clipToFrame(estimatedBox(track.estimate));
    track.steps.push({ frameIndex, timestampMs: track.timestampMs, match: { box, evidence } });
  }

  /** @returns whether the track has ended: tentative tracks end at their first miss (as in ByteTrack). */
  private recordMiss(track: Track, frameIndex: number): boolean {
    track.consecutiveMisses += 1;
    track.evidence = accumulateEvidence(track.evidence, null, this.options.missDecay);
    track.steps.push({ frameIndex, timestampMs: track.timestampMs, match: null });
    return track.trackId === null || track.consecutiveMisses > this.options.maxMisses;
  }
}

const clipToFrame = (box: Box): Box => {
  const left = Math.min(Math.max(box.left, 0), 1);
  const top = Math.min(Math.max(box.top, 0), 1);
  const right = Math.min(Math.max(box.left + box.width, left), 1);
  const bottom = Math.min(Math.max(box.top + box.height, top), 1);
  return { left, top, width: right - left, height: bottom - top };
};

/** The most evidence a track may hold: its frames' cap (temporal-confidence.ts), or what it carried over from an ended track, if more. */
export const trackEvidenceCap = (track: Pick<Track, 'priorEvidence' | 'unweightedEvidenceTotal' | 'hits'>, maxIndependentObservations: number): number =>
  Math.max(track.priorEvidence, evidenceCap(track.unweightedEvidenceTotal, track.hits, maxIndependentObservations));
