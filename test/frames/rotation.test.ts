/**
 * Phone videos: the display matrix turns (and may mirror) the stored picture. Frames must reach the
 * model as a viewer sees them, and VideoMetadata must give the displayed size.
 */
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo, resolveBinary, sampleFrames } from '../../src/frames/index.js';
import { displayMatrixOf, displayTransform } from '../../src/frames/probe.js';
import { makeRotationTaggedCopy, type Rotation } from '../reliability/media.js';

const UNIT = 65536;
/** A display matrix as ffprobe prints it, from x' = a·x + c·y, y' = b·x + d·y. */
const printedMatrix = (a: number, b: number, c: number, d: number): string =>
  `\n00000000: ${a * UNIT} ${b * UNIT} 0\n00000001: ${c * UNIT} ${d * UNIT} 0\n00000002: 0 0 1073741824\n`;
const transformOf = (a: number, b: number, c: number, d: number) =>
  displayTransform(displayMatrixOf({ side_data_list: [{ side_data_type: 'Display Matrix', displaymatrix: printedMatrix(a, b, c, d) }] }));

describe('displayTransform', () => {
  it('leaves an identity matrix, and a stream without one, alone', () => {
    expect(transformOf(1, 0, 0, 1)).toEqual({ filters: [], swapsAxes: false });
    expect(displayTransform(displayMatrixOf({}))).toEqual({ filters: [], swapsAxes: false });
  });

  it('turns quarter and half turns into transposes and flips, swapping axes for quarter turns', () => {
    // x' = y, y' = -x: the top row becomes the left column, read upwards (a quarter turn counter-clockwise).
    expect(transformOf(0, -1, 1, 0)).toEqual({ filters: ['transpose=cclock'], swapsAxes: true });
    expect(transformOf(0, 1, -1, 0)).toEqual({ filters: ['transpose=clock'], swapsAxes: true });
    expect(transformOf(-1, 0, 0, -1)).toEqual({ filters: ['hflip', 'vflip'], swapsAxes: false });
  });

  it('honours mirror images, alone or with a quarter turn', () => {
    expect(transformOf(-1, 0, 0, 1)).toEqual({ filters: ['hflip'], swapsAxes: false });
    expect(transformOf(1, 0, 0, -1)).toEqual({ filters: ['vflip'], swapsAxes: false });
    expect(transformOf(0, 1, 1, 0)).toEqual({ filters: ['transpose=cclock_flip'], swapsAxes: true });
    expect(transformOf(0, -1, -1, 0)).toEqual({ filters: ['transpose=clock_flip'], swapsAxes: true });
  });

  it('reads the legacy rotate tag (degrees clockwise) when there is no side data', () => {
    expect(displayTransform(displayMatrixOf({ tags: { rotate: '90' } })).filters).toEqual(['transpose=clock']);
    expect(displayTransform(displayMatrixOf({ tags: { rotate: '270' } })).filters).toEqual(['transpose=cclock']);
    expect(displayTransform(displayMatrixOf({ tags: { rotate: '45' } })).filters).toEqual([]);
  });
});

describe('rotation-tagged copies of a real video', () => {
  let directory: string;
  let pattern: string;
  const ffmpeg = resolveBinary('ffmpeg').path;
  /** The first frame as RGB, decoded by ffmpeg with its own autorotation (what a player shows). */
  const shownByFfmpeg = async (file: string, width: number, height: number): Promise<Uint8Array> => {
    const result = await execa(ffmpeg, ['-v', 'error', '-i', file, '-frames:v', '1', '-vf', `scale=${width}:${height}:flags=bilinear`, '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1'], { encoding: 'buffer' });
    return result.stdout as Uint8Array;
  };
  const firstSampledFrame = async (file: string) => {
    const { metadata, displayFilters } = await probeVideo(file);
    for await (const frame of sampleFrames(file, { width: metadata.FrameWidth, height: metadata.FrameHeight, fps: 2, displayFilters })) return { metadata, frame };
    throw new Error(`${file}: no frame`);
  };

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'eld-rotation-'));
    // 64x36 blue with a red block in the top-left corner: where the block lands shows the turn.
    pattern = path.join(directory, 'pattern.mp4');
    await execa(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'color=blue:s=64x36:d=1:r=10', '-vf', 'drawbox=x=0:y=0:w=16:h=12:color=red:t=fill', '-c:v', 'libx264', '-pix_fmt', 'yuv444p', '-crf', '0', pattern]);
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  const isRed = (pixels: Uint8Array, width: number, x: number, y: number) => pixels[(y * width + x) * 3]! > 200 && pixels[(y * width + x) * 3 + 2]! < 60;

  it.each([
    [90 as Rotation, [36, 64], 'bottom-left'],
    [180 as Rotation, [64, 36], 'bottom-right'],
    [270 as Rotation, [36, 64], 'top-right'],
  ])('rotate=%i: frames are the displayed picture, %j, red block at the %s, as ffmpeg shows it', async (rotation, size, corner) => {
    const tagged = await makeRotationTaggedCopy(pattern, path.join(directory, `tagged-${rotation}.mp4`), rotation);
    const { metadata, frame } = await firstSampledFrame(tagged);
    expect([metadata.FrameWidth, metadata.FrameHeight]).toEqual(size);
    const [width, height] = size as [number, number];
    const x = corner.endsWith('left') ? 2 : width - 3;
    const y = corner.startsWith('top') ? 2 : height - 3;
    expect(isRed(frame.pixels, width, x, y)).toBe(true);
    expect(isRed(frame.pixels, width, width - 1 - x, height - 1 - y)).toBe(false);
    const reference = await shownByFfmpeg(tagged, width, height);
    let difference = 0;
    for (let i = 0; i < reference.length; i += 1) difference += Math.abs(reference[i]! - frame.pixels[i]!);
    expect(difference / reference.length).toBeLessThan(2);
  });
});
