import { execa } from 'execa';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { annotationFilters, boxThickness, safeText } from '../../src/annotate/filter-script.js';
import { resolveBinary } from '../../src/frames/index.js';
import { readLabelResult } from '../../src/report/label-result.js';
import { PALETTE } from '../../src/report/palette.js';
import { carResponse } from '../report/fixtures.js';
import { media } from '../media.js';

describe('annotationFilters', () => {
  const result = readLabelResult(carResponse());
  const frame = { frameWidth: 1000, frameHeight: 500 };

  it('draws one box per instance, in source pixels, shown from its sample until the next', () => {
    const boxes = annotationFilters(result, frame).filter((filter) => filter.startsWith('drawbox'));
    expect(boxes).toHaveLength(5);
    // Car is the only label with boxes, so it takes the first palette colour.
    const colour = `0x${PALETTE[0].slice(1).toUpperCase()}`;
    expect(boxes[1]).toBe(`drawbox=x=100:y=100:w=300:h=200:color=${colour}@1:t=${boxThickness(500)}:enable='between(t,1.4995,1.9995)'`);
    expect(boxes[2]).toContain('x=500:y=250:w=200:h=100');
  });

  it('adds a caption per box only when a font is given', () => {
    expect(annotationFilters(result, frame).some((filter) => filter.startsWith('drawtext'))).toBe(false);
    const captions = annotationFilters(result, { ...frame, fontFile: '/fonts/Sans.ttf' }).filter((filter) => filter.startsWith('drawtext'));
    expect(captions).toHaveLength(5);
    expect(captions[0]).toContain("fontfile='/fonts/Sans.ttf':expansion=none:text='Car 80%'");
  });

  it('keeps filtergraph syntax out of label text', () => {
    expect(safeText("Bob's: [car], \\x")).toBe('Bob s   car    x');
  });
});

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** One frame of a video as packed RGB, read at its full size. */
async function rgbFrameAt(videoPath: string, seconds: number, width: number, height: number): Promise<Uint8Array> {
  const { stdout } = await execa(resolveBinary('ffmpeg').path, ['-v', 'error', '-ss', seconds.toFixed(3), '-i', videoPath, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { encoding: 'buffer' });
  expect(stdout.length).toBe(width * height * 3);
  return stdout;
}

const probe = async (videoPath: string) => {
  const { stdout } = await execa(resolveBinary('ffprobe').path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height:format=duration', '-of', 'json', videoPath]);
  const parsed = JSON.parse(stdout) as { streams: Array<{ width: number; height: number }>; format: { duration: string } };
  return { width: parsed.streams[0]!.width, height: parsed.streams[0]!.height, duration: Number(parsed.format.duration) };
};

describe('edge-label-detection detect --annotate', () => {
  it('writes the video, same size and duration, with the box colour on a box edge', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'edge-label-detection-annotate-'));
    const annotated = join(directory, 'annotated.mp4');
    const resultPath = join(directory, 'result.json');
    const run = await execa('node', [cli, 'detect', media.bottle, '--fps', '0.5', '--workers', '2', '--quiet', '--out', resultPath, '--annotate', annotated], { reject: false });
    expect(run.exitCode, String(run.stderr)).toBe(0);

    const source = await probe(media.bottle);
    const output = await probe(annotated);
    expect([output.width, output.height]).toEqual([source.width, source.height]);
    expect(Math.abs(output.duration - source.duration)).toBeLessThan(0.1);

    // The first Bottle instance: its left edge, half-way down, at the middle of its display time.
    const result = readLabelResult(JSON.parse(await readFile(resultPath, 'utf8')));
    const bottle = result.labels.find((label) => label.name === 'Bottle');
    const occurrence = bottle?.occurrences.find((candidate) => candidate.instances.length > 0);
    expect(occurrence).toBeDefined();
    const instance = occurrence!.instances[0]!;
    const x = Math.round(instance.box.left * source.width) + Math.floor(boxThickness(source.height) / 2);
    const y = Math.round((instance.box.top + instance.box.height / 2) * source.height);
    const pixels = await rgbFrameAt(annotated, (occurrence!.timestampMs + 1000) / 1000, source.width, source.height);
    const offset = (y * source.width + x) * 3;
    const seen = [pixels[offset]!, pixels[offset + 1]!, pixels[offset + 2]!];
    // Bottle is the only boxed label in this video, so it wears the first palette colour.
    const hex = PALETTE[0];
    const expected = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    seen.forEach((channel, i) => expect(Math.abs(channel - expected[i]!), `pixel ${seen} vs box colour ${expected}`).toBeLessThan(40));
  }, 240_000);
});
