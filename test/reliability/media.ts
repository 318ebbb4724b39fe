/**
 * Damaged, odd and small videos for the reliability tests, made on the spot with the bundled
 * ffmpeg from the bottle video in media/, so that nothing binary is checked in.
 */
import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveBinary } from '../../src/frames/binaries.js';
import { media } from '../media.js';
import { annexBWithFrameSize } from './h264.js';

const ffmpeg = (args: string[]) => execa(resolveBinary('ffmpeg').path, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args]);

/** 320x180 H.264 at 10 frames/s from the start of bottle-detection.mp4, index (moov) first so a cut keeps it. */
export async function makeClip(file: string, seconds: number, codec: 'libx264' | 'libx265' = 'libx264'): Promise<string> {
  const hevcTag = codec === 'libx265' ? ['-tag:v', 'hvc1', '-x265-params', 'log-level=error'] : [];
  await ffmpeg(['-t', String(seconds), '-i', media.bottle, '-an', '-vf', 'scale=320:180', '-r', '10', '-c:v', codec, '-preset', 'ultrafast', ...hevcTag, '-movflags', '+faststart', file]);
  return file;
}

/** The first `percent` % of `source`'s bytes. */
export async function truncatedCopy(source: string, file: string, percent: number): Promise<string> {
  const bytes = await readFile(source);
  await writeFile(file, bytes.subarray(0, Math.floor((bytes.length * percent) / 100)));
  return file;
}

/** An MP4 (M4A) holding two seconds of a 440 Hz tone and no video. */
export async function makeAudioOnly(file: string): Promise<string> {
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'aac', file]);
  return file;
}

/**
 * An MP4 whose H.264 stream declares `size` x `size` pictures while carrying 64x64 ones: the
 * header alone decides how much the decoder allocates.
 */
export async function makeDeclaredFrameSize(directory: string, size: number): Promise<string> {
  const small = path.join(directory, 'small.h264');
  const patched = path.join(directory, `declared-${size}.h264`);
  const file = path.join(directory, `declared-${size}x${size}.mp4`);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=64x64:r=10:d=1', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-profile:v', 'baseline', '-preset', 'ultrafast', '-f', 'h264', small]);
  await writeFile(patched, annexBWithFrameSize(await readFile(small), size, size));
  await ffmpeg(['-r', '10', '-f', 'h264', '-i', patched, '-c', 'copy', file]);
  return file;
}

/** A file that starts like an MP4 (an `ftyp` box) and continues with random bytes. */
export async function makeRandomBehindMp4Header(file: string, bytes: number, random: () => number): Promise<string> {
  const header = Buffer.from('\0\0\0\x18ftypisom\0\0\x02\0isomiso2', 'latin1');
  const body = Buffer.from(Array.from({ length: bytes }, () => Math.floor(random() * 256)));
  await writeFile(file, Buffer.concat([header, body]));
  return file;
}

/** mulberry32: a small seeded generator, so every run fuzzes the same cases. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Quarter turns a display matrix can ask for, as this ffmpeg's `rotate` tag writes them. */
export type Rotation = 90 | 180 | 270;

/**
 * `source` with only its display matrix changed (`rotate` tag, stream copy): players, and ffmpeg's
 * own autorotation, show the same pixels turned. With this ffmpeg, `rotate=90` shows the picture
 * turned a quarter counter-clockwise, 270 clockwise (checked against ffmpeg's autorotation in
 * test/frames/rotation.test.ts).
 */
export async function makeRotationTaggedCopy(source: string, file: string, rotation: Rotation): Promise<string> {
  await ffmpeg(['-i', source, '-c', 'copy', '-metadata:s:v:0', `rotate=${rotation}`, file]);
  return file;
}

/** The filter that undoes what a `rotate` tag of this rotation does on display. */
const turnAgainst: Record<Rotation, string> = { 90: 'transpose=clock', 180: 'hflip,vflip', 270: 'transpose=cclock' };

/**
 * What a phone writes when it films `source` upright: the pixels stored turned (the sensor's
 * orientation) and a display matrix that turns them back, so a player shows `source` as it was.
 */
export async function makePhoneStyleCopy(source: string, directory: string, rotation: Rotation): Promise<string> {
  const stored = path.join(directory, `stored-${rotation}.mp4`);
  await ffmpeg(['-i', source, '-an', '-vf', turnAgainst[rotation], '-c:v', 'libx264', '-crf', '18', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', stored]);
  return makeRotationTaggedCopy(stored, path.join(directory, `phone-${rotation}.mp4`), rotation);
}

/** The first `frames` frames of `source` from `startSeconds` on, re-encoded as H.264 MP4. */
export async function makeFramesClip(source: string, file: string, frames: number, startSeconds = 0): Promise<string> {
  await ffmpeg(['-ss', String(startSeconds), '-i', source, '-an', '-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file]);
  return file;
}

/**
 * An AVI that declares 50 frames/s for a 25 frames/s stream: written at a 1/50 s frame rate with
 * variable-rate output, so every other frame slot holds an empty chunk.
 */
export async function makeHalfFilledAvi(file: string, seconds: number): Promise<string> {
  await ffmpeg(['-t', String(seconds), '-i', media.bottle, '-an', '-vf', 'fps=25,scale=320:180', '-vsync', 'vfr', '-r', '50', '-c:v', 'mpeg4', file]);
  return file;
}
