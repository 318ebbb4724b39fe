/**
 * Records what the detector says about every sampled frame of every hand-labelled clip, view by
 * view (the whole frame and each tile, each view's detections at the model's minScore, boxes in
 * frame coordinates, objects cut by a tile border already dropped), with each frame's thumbnail and
 * similarity signature, and for a model with a second look the looks at its crops
 * (recording-format.ts). Everything after detection (merging views, calibration, tracking, labels,
 * work avoidance) is pure, so the quality harness replays it from this recording: fitting and
 * leave-one-clip-out evaluation then take seconds, not a model run per try.
 *
 *   node --import tsx bench/quality/record.ts            # writes bench/.cache/recording-<model>.json
 *   QUALITY_MODEL=yolov5s node --import tsx bench/quality/record.ts   # another model (bench/quality/model.ts)
 *
 * The recording is a cache (not committed): it is made again whenever the model or the sampling
 * changes, and `run.ts` remakes it when it is missing or stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createDetectorPool, type DetectorPool } from '../../src/detect/index.js';
import { cropAround, wantsSecondLook } from '../../src/detect/second-look.js';
import { analysisFrameSize, analysisViews } from '../../src/detect/views.js';
import { probeVideo, sampleFrames } from '../../src/frames/index.js';
import { frameSignature, frameThumbnail } from '../../src/picture.js';
import type { Box, Detection } from '../../src/types.js';
import { loadAllGroundTruth } from './ground-truth.js';
import { qualityPool } from './model.js';
import { recordingFile, RECORDING_FPS, RECORDING_VERSION, type Recording, type RecordedClip, type RecordedDetection, type RecordedFrame } from './recording-format.js';

const mediaDirectory = new URL('../../media/', import.meta.url);

/** A detection as the recording keeps it: box, class and raw score (the confidence is the replay's to give). */
const asRecorded = ({ box, className, score }: Detection): RecordedDetection => ({ box, className, score });

async function recordClip(video: string, pool: DetectorPool): Promise<RecordedClip> {
  const videoPath = fileURLToPath(new URL(video, mediaDirectory));
  const { metadata, displayFilters } = await probeVideo(videoPath);
  const { width, height } = analysisFrameSize(metadata.FrameWidth, metadata.FrameHeight, pool.manifest.input, 'tiles');
  const views = analysisViews(width, height, 'tiles');
  const frames: RecordedFrame[] = [];
  for await (const frame of sampleFrames(videoPath, { fps: RECORDING_FPS, width, height, displayFilters })) {
    const thumbnail = frameThumbnail(frame.pixels, width, height);
    const signature = Array.from(frameSignature(frame.pixels, width, height), (value) => Math.round(value * 100) / 100);
    // One call per view: the pool transfers the pixels away, so each view gets its own copy.
    const perView = await Promise.all(
      views.map(async (view: Box) => {
        const { detections } = await pool.detect({ ...frame, pixels: frame.pixels.slice() }, [view]);
        return { view, detections: detections.map(asRecorded) };
      }),
    );
    const rule = pool.manifest.secondLook;
    const lookedAt = rule ? perView[0]!.detections.filter((detection) => wantsSecondLook(detection, rule)) : [];
    const looks = await Promise.all(
      lookedAt.map(async ({ box }) => {
        const view = cropAround(box, width, height);
        const { detections } = await pool.lookAgain({ ...frame, pixels: frame.pixels.slice() }, view);
        return { box, view, detections: detections.map(asRecorded) };
      }),
    );
    frames.push({ timestampMs: frame.timestampMs, thumbnail: { columns: thumbnail.columns, rows: thumbnail.rows, luma: Buffer.from(thumbnail.luma).toString('base64') }, signature, views: perView, ...(rule ? { looks } : {}) });
  }
  return { video, metadata, frameSize: { width, height }, frames };
}

export async function makeRecording(): Promise<Recording> {
  const pool = await createDetectorPool({ workers: availableParallelism(), ...qualityPool });
  console.log(`recording: ${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} cores; backend ${pool.backend.backend}; model ${pool.manifest.labelModelVersion}`);
  const clips: RecordedClip[] = [];
  try {
    for (const { video } of loadAllGroundTruth()) {
      const started = performance.now();
      clips.push(await recordClip(video, pool));
      console.log(`  ${video}: ${clips.at(-1)!.frames.length} frames in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await pool.destroy();
  }
  const recording: Recording = { version: RECORDING_VERSION, model: pool.manifest.name, labelModelVersion: pool.manifest.labelModelVersion, minScore: pool.manifest.minScore, fps: RECORDING_FPS, date: new Date().toISOString(), backend: pool.backend.backend, clips };
  const file = recordingFile(pool.manifest.name);
  mkdirSync(new URL('.', file), { recursive: true });
  writeFileSync(file, JSON.stringify(recording));
  console.log(`written ${fileURLToPath(file)}`);
  return recording;
}

if (import.meta.url === `file://${process.argv[1]}`) await makeRecording();
