/**
 * The values that cross stage boundaries. Each boundary has exactly one currency:
 *
 *   frames  --SampledFrame-->      detect
 *   detect  --FrameDetections-->   track
 *   track   --TrackedFrame-->      taxonomy
 *   taxonomy --VideoAnalysis-->    response / jobs
 *
 * Stages never read each other's private state; they only exchange these plain values.
 */
import type { VideoMetadata } from '@aws-sdk/client-rekognition';

/** An axis-aligned box in coordinates normalised to the source frame (0..1 on both axes). */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** One decoded, resized, sampled video frame: packed RGB24, row-major, `width * height * 3` bytes. */
export interface SampledFrame {
  /** Index of the frame among the sampled frames of this video (0, 1, 2, …). */
  index: number;
  /** Presentation time of the frame, in ms from the start of the video. */
  timestampMs: number;
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** One object found by a detector in one frame. */
export interface Detection {
  box: Box;
  /** COCO class name as the model's class map spells it, e.g. `bottle`, `traffic light`. */
  className: string;
  /** Raw model score, 0..1. Only scores at or above the model's `minScore` are ever emitted. */
  score: number;
  /** The raw score mapped through the model's calibration to a 0..100 per-frame confidence. */
  confidence: number;
}

/**
 * A frame reduced to a small grayscale grid (mean grey level 0..255 of each cell, row by row), what
 * the tracker needs of the picture: whether the pixels under a box changed between two looks.
 */
export interface FrameThumbnail {
  columns: number;
  rows: number;
  luma: Uint8Array;
}

/** One body keypoint of a pose, in coordinates normalised to the source frame; `score` 0..1. */
export interface Keypoint {
  x: number;
  y: number;
  score: number;
}

/**
 * A person's pose in one frame: the 17 COCO keypoints (nose, eyes, ears, shoulders, elbows, wrists,
 * hips, knees, ankles; see people/keypoints.ts), estimated inside the box of the person detection
 * it was run on, and the face a face detector found in the pose's head region, if any.
 */
export interface PersonPose {
  /** The person detection's box. */
  box: Box;
  keypoints: Keypoint[];
  /** The face detector's best face in the head region (raw score 0..1), when it found one. */
  face?: { box: Box; score: number };
}

/** A hand the hand detector found anywhere in a frame (detect/hands.ts): its box and raw score 0..1. */
export interface SeenHand {
  box: Box;
  score: number;
}

/** Everything the detector found in one sampled frame. */
export interface FrameDetections {
  timestampMs: number;
  /** Objects; after the people stage's first step (people/parts.ts), also faces, heads and hands. */
  detections: Detection[];
  /** Poses of the people found, when people are looked at (detect/people.ts). */
  poses?: PersonPose[];
  /** Hands found anywhere in the frame, when people are looked at (detect/hands.ts). */
  hands?: SeenHand[];
  /**
   * When the frame the detections were made on was sampled: this frame's own timestamp, or, for a
   * frame that reused another's detections (work avoidance), that frame's. Absent when unknown.
   */
  seenAtMs?: number;
  /**
   * The picture the detections were made on, when known. Frames whose detections were reused from
   * another frame (work avoidance) carry that frame's thumbnail: no new look was taken.
   */
  thumbnail?: FrameThumbnail;
}

/** What the models saw in one analysed frame, before the people stage turns poses and hands into detections. */
export type SeenInFrame = Pick<FrameDetections, 'detections' | 'poses' | 'hands'>;

/** One confirmed track (one real object) at one analysed timestamp. */
export interface TrackedObject {
  trackId: number;
  className: string;
  /** Smoothed box, normalised to the source frame. */
  box: Box;
  /** Instance confidence 0..100: the track's temporal confidence at this timestamp. */
  confidence: number;
}

/** A label that holds for a group of tracked objects at once (People: two or more persons), with no box of its own. */
export interface GroupSeen {
  className: string;
  confidence: number;
}

/** The tracker's view of one analysed timestamp. */
export interface TrackedFrame {
  timestampMs: number;
  objects: TrackedObject[];
  /** Group labels at this timestamp (people/groups.ts). */
  groups?: GroupSeen[];
}

/** A Rekognition-style label: name plus all ancestors, aliases and categories. */
export interface LabelInfo {
  name: string;
  /** All ancestors (parent, grandparent, …), each once. */
  parents: string[];
  aliases: string[];
  categories: string[];
}

/** A bounding-box instance of a label at one timestamp. */
export interface LabelInstance {
  box: Box;
  confidence: number;
}

/** A label seen at one analysed timestamp. Parent labels carry no instances. */
export interface LabelOccurrence {
  timestampMs: number;
  confidence: number;
  instances: LabelInstance[];
}

/** Every timestamp at which one label was seen, in ascending time order. */
export interface LabelTimeline {
  label: LabelInfo;
  occurrences: LabelOccurrence[];
}

/**
 * The complete, unfiltered result of analysing one video. MinConfidence, label/category filters,
 * sorting, aggregation and pagination are applied later, when the result is read.
 */
export interface VideoAnalysis {
  videoMetadata: VideoMetadata;
  labelModelVersion: string;
  /** Nominal spacing of analysed timestamps (1000 / sampling fps, or the frame duration when every frame is analysed). */
  sampleIntervalMs: number;
  /** Every analysed timestamp, ascending, whether or not anything was seen there. */
  analysedTimestampsMs: number[];
  /** One timeline per label (object labels and their ancestors), ordered by label name. */
  labels: LabelTimeline[];
}
