/**
 * Where the reaching-hands rule (src/people/reaching-hands.ts) fires on footage it was not designed
 * on: the left, right, top and bottom halves of five clips, cut so that people are cut by new frame
 * edges. The rule was made by looking at bottle-detection.mp4, so that clip's crops are listed
 * apart. There is no ground truth for the crops: each added Person is printed with its timestamp and
 * box, for a person to look at the frame (the README says what was seen).
 *
 *   node --import tsx bench/quality/reaching-hands-crops.ts     # ~3 min on 2 cores
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDetectorPool } from '../../src/detect/index.js';
import { resolveBinary } from '../../src/frames/index.js';
import { DEFAULT_ACTIVITY_OPTIONS, DEFAULT_PART_OPTIONS, withPeopleLabels, withPersonParts, withReachingHands } from '../../src/people/index.js';
import { detectVideo } from '../../src/pipeline.js';
import { resolveTrackerOptions, trackObjects } from '../../src/track/index.js';

const CLIPS = ['store-aisle-detection.mp4', 'face-demographics-walking.mp4', 'classroom.mp4', 'car-detection.mp4', 'bottle-detection.mp4'];
const DESIGNED_ON = 'bottle-detection.mp4';
const HALVES: Record<string, string> = { left: 'iw/2:ih:0:0', right: 'iw/2:ih:iw/2:0', top: 'iw:ih/2:0:0', bottom: 'iw:ih/2:0:ih/2' };

const folder = mkdtempSync(join(tmpdir(), 'reaching-hands-'));
const ffmpeg = resolveBinary('ffmpeg').path;
const pool = await createDetectorPool({ workers: availableParallelism() });
console.log(`machine: ${cpus()[0]?.model}, ${availableParallelism()} cores; backend ${pool.backend.backend}; model ${pool.manifest.labelModelVersion}; default path, 2 frames/s, tiled`);
const tally = { independent: { crops: 0, frames: 0, added: 0, newInstants: 0 }, designedOn: { crops: 0, frames: 0, added: 0, newInstants: 0 } };
try {
  for (const clip of CLIPS) {
    for (const [half, crop] of Object.entries(HALVES)) {
      const file = join(folder, `${clip.replace(/\.mp4$/, '')}-${half}.mp4`);
      execFileSync(ffmpeg, ['-v', 'error', '-i', fileURLToPath(new URL(`../../media/${clip}`, import.meta.url)), '-vf', `crop=${crop}`, '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-y', file]);
      const detected = await detectVideo(file, { detector: pool });
      const frameSize = { width: detected.metadata.FrameWidth ?? 16, height: detected.metadata.FrameHeight ?? 9 };
      const frames = withPersonParts(detected.frames, frameSize, DEFAULT_PART_OPTIONS);
      const tracker = resolveTrackerOptions();
      const tracked = withPeopleLabels(trackObjects(frames, tracker), frames, frameSize, DEFAULT_ACTIVITY_OPTIONS);
      const extended = withReachingHands(tracked, frames, tracker);
      const sure = (objects: typeof tracked[number]['objects'], className: string) => Math.max(0, ...objects.filter((object) => object.className === className).map((object) => object.confidence));
      const added = extended.flatMap((frame, index) => {
        const before = tracked[index]!.objects;
        return frame.objects
          .filter((object) => object.className === 'person' && !before.includes(object))
          .map((object) => ({ timestampMs: Math.round(frame.timestampMs), confidence: object.confidence, box: object.box, personBefore: sure(before, 'person'), handBefore: sure(before, 'hand') }));
      });
      const group = clip === DESIGNED_ON ? tally.designedOn : tally.independent;
      group.crops += 1;
      group.frames += detected.frames.length;
      group.added += added.length;
      // A new Person instant: none at MinConfidence 50 there before (a person box or a Hand, whose parent Person is).
      const newInstants = added.filter((person) => person.confidence >= 50 && person.personBefore < 50 && person.handBefore < 50);
      group.newInstants += newInstants.length;
      const box = ({ left, top, width, height }: { left: number; top: number; width: number; height: number }) => `[${[left, top, width, height].map((value) => value.toFixed(2)).join(', ')}]`;
      console.log(`${`${clip} ${half}`.padEnd(38)} ${String(detected.frames.length).padStart(3)} frames, ${added.length} added${added.map((person) => `\n    ${person.timestampMs} ms: Person ${person.confidence.toFixed(1)} at ${box(person.box)} (before there: person ${person.personBefore.toFixed(0)}, hand ${person.handBefore.toFixed(0)})${newInstants.includes(person) ? ' NEW INSTANT' : ''}`).join('')}`);
    }
  }
} finally {
  await pool.destroy();
  rmSync(folder, { recursive: true, force: true });
}
for (const [group, counts] of Object.entries(tally)) console.log(`${group}: ${counts.crops} crops, ${counts.frames} frames, ${counts.added} Person instances added, ${counts.newInstants} of them new Person instants at MinConfidence 50`);
