import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidS3ObjectException, VideoTooLargeException } from '../../src/errors.js';
import { LocalBucketSource, sniffVideoContainer } from '../../src/source/index.js';
import { checkVideoSize, MAX_VIDEO_BYTES } from '../../src/source/video-source.js';

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));
const mp4Header = bytes('\0\0\0\x20ftypisom\0\0\x02\0');
const movHeader = bytes('\0\0\0\x14ftypqt  \0\0\0\0');
const aviHeader = bytes('RIFF\x10\0\0\0AVI LIST');

describe('sniffVideoContainer', () => {
  it.each([
    ['an MP4 ftyp box', mp4Header, 'mp4'],
    ['a QuickTime ftyp box', movHeader, 'mov'],
    ['a QuickTime file that opens with its moov atom', bytes('\0\0\x01\0moov\0\0\0\0'), 'mov'],
    ['a RIFF AVI header', aviHeader, 'avi'],
  ])('recognises %s', (_name, header, container) => {
    expect(sniffVideoContainer(header)).toBe(container);
  });

  it.each([
    ['a GIF', bytes('GIF89a\xe0\x01\x0e\x01\xf7\0\0\0')],
    ['a RIFF WAVE file', bytes('RIFF\x10\0\0\0WAVEfmt ')],
    ['a Matroska file', bytes('\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81')],
    ['a text file', bytes('hello world, this is text')],
    ['fewer bytes than a header', bytes('\0\0\0\x20ftyp')],
  ])('does not take %s for a Rekognition video', (_name, header) => {
    expect(sniffVideoContainer(header)).toBeUndefined();
  });
});

describe('LocalBucketSource', () => {
  let root: string;
  let bucketDir: string;
  let source: LocalBucketSource;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'source-test-'));
    bucketDir = path.join(root, 'bucket');
    await mkdir(path.join(bucketDir, 'clips'), { recursive: true });
    await writeFile(path.join(bucketDir, 'clips', 'a.mp4'), mp4Header);
    await writeFile(path.join(bucketDir, 'noextension'), movHeader);
    await writeFile(path.join(bucketDir, 'movie.avi'), aviHeader);
    await writeFile(path.join(bucketDir, 'anim.gif'), bytes('GIF89a\xe0\x01\x0e\x01\xf7\0\0\0'));
    await writeFile(path.join(bucketDir, 'gif-named.mp4'), bytes('GIF89a\xe0\x01\x0e\x01\xf7\0\0\0'));
    await writeFile(path.join(root, 'secret.mp4'), mp4Header);
    await symlink(path.join(root, 'secret.mp4'), path.join(bucketDir, 'escape.mp4'));
    await symlink(root, path.join(bucketDir, 'parent'));
    await symlink(path.join(bucketDir, 'clips', 'a.mp4'), path.join(bucketDir, 'alias.mp4'));
    source = new LocalBucketSource({ buckets: { media: bucketDir } });
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('opens an object as the file below the bucket directory', async () => {
    const video = await source.open({ Bucket: 'media', Name: 'clips/a.mp4' });
    expect(video.path).toBe(path.join(bucketDir, 'clips', 'a.mp4'));
    await video.release();
  });

  it('decides the format by content, not by the key', async () => {
    await expect(source.check({ Bucket: 'media', Name: 'noextension' })).resolves.toBeUndefined();
    await expect(source.check({ Bucket: 'media', Name: 'movie.avi' })).resolves.toBeUndefined();
    await expect(source.check({ Bucket: 'media', Name: 'gif-named.mp4' })).rejects.toThrow(/not an MP4, MOV or AVI/);
  });

  it('refuses a GIF unless any format is allowed', async () => {
    await expect(source.check({ Bucket: 'media', Name: 'anim.gif' })).rejects.toThrow(InvalidS3ObjectException);
    const permissive = new LocalBucketSource({ buckets: { media: bucketDir }, allowAnyVideoFormat: true });
    await expect(permissive.check({ Bucket: 'media', Name: 'anim.gif' })).resolves.toBeUndefined();
  });

  it('follows a symlink that stays inside the bucket', async () => {
    const video = await source.open({ Bucket: 'media', Name: 'alias.mp4' });
    expect(video.path).toBe(path.join(bucketDir, 'clips', 'a.mp4'));
  });

  it.each([
    ['an unknown bucket', { Bucket: 'other', Name: 'clips/a.mp4' }, 's3://other/clips/a.mp4: bucket other is not configured'],
    ['a missing object', { Bucket: 'media', Name: 'clips/missing.mp4' }, 's3://media/clips/missing.mp4: no such object'],
    ['a directory', { Bucket: 'media', Name: 'clips' }, 's3://media/clips: not a file'],
    ['a key with ..', { Bucket: 'media', Name: '../secret.mp4' }, 'the key leaves the bucket directory'],
    ['a key with .. in the middle', { Bucket: 'media', Name: 'clips/../../secret.mp4' }, 'the key leaves the bucket directory'],
    ['an absolute key', { Bucket: 'media', Name: '/etc/passwd' }, 'the key leaves the bucket directory'],
    ['a symlinked file pointing outside', { Bucket: 'media', Name: 'escape.mp4' }, 'the key leads outside the bucket directory'],
    ['a symlinked directory pointing outside', { Bucket: 'media', Name: 'parent/secret.mp4' }, 'the key leads outside the bucket directory'],
    ['a version of a local object', { Bucket: 'media', Name: 'clips/a.mp4', Version: 'v1' }, 'has no object versions'],
  ])('refuses %s with InvalidS3ObjectException', async (_name, s3Object, message) => {
    await expect(source.check(s3Object)).rejects.toThrow(InvalidS3ObjectException);
    await expect(source.open(s3Object)).rejects.toThrow(message);
  });

  it('refuses a bucket whose directory does not exist', async () => {
    const missing = new LocalBucketSource({ buckets: { gone: path.join(root, 'gone') } });
    await expect(missing.check({ Bucket: 'gone', Name: 'a.mp4' })).rejects.toThrow(/bucket directory .* does not exist/);
  });
});

describe('object size', () => {
  it('refuses objects over Rekognition\'s 10 GB with VideoTooLargeException, before reading them', () => {
    expect(() => checkVideoSize('s3://b/big.mp4', MAX_VIDEO_BYTES + 1)).toThrow(VideoTooLargeException);
    expect(() => checkVideoSize('s3://b/big.mp4', MAX_VIDEO_BYTES + 1)).toThrow(/s3:\/\/b\/big\.mp4: Video size in bytes: 10737418241/);
    expect(() => checkVideoSize('s3://b/ok.mp4', MAX_VIDEO_BYTES)).not.toThrow();
  });
});
