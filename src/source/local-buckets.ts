/**
 * Buckets that are local directories: `Bucket` names a configured directory, `Name` is the path of
 * the file below it with `/` separators, exactly as an S3 key.
 *
 * Every refusal is an InvalidS3ObjectException, including keys that try to leave the bucket
 * directory: Rekognition reports any object it cannot read that way ("Check object key, region
 * and/or access permissions"), while its AccessDeniedException is about the caller's right to call
 * the API, which has no local counterpart.
 */
import type { S3Object } from '@aws-sdk/client-rekognition';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { invalidS3Object } from '../errors.js';
import { CONTAINER_HEADER_BYTES, sniffVideoContainer } from './video-container.js';
import { checkVideoSize, objectUri, type LocalVideo, type VideoSource } from './video-source.js';

export interface LocalBucketSourceOptions {
  /** Bucket name -> directory; relative directories are taken from the current working directory. */
  buckets: Record<string, string>;
  /** Accept any file the decoder can read (GIF, MKV, ...), not only MP4, MOV and AVI. */
  allowAnyVideoFormat?: boolean;
}

export class LocalBucketSource implements VideoSource {
  readonly #buckets: ReadonlyMap<string, string>;
  readonly #allowAnyVideoFormat: boolean;

  constructor(options: LocalBucketSourceOptions) {
    this.#buckets = new Map(Object.entries(options.buckets).map(([bucket, directory]) => [bucket, path.resolve(directory)]));
    this.#allowAnyVideoFormat = options.allowAnyVideoFormat ?? false;
  }

  async check(s3Object: S3Object): Promise<void> {
    await this.#resolve(s3Object);
  }

  async open(s3Object: S3Object): Promise<LocalVideo> {
    return { path: await this.#resolve(s3Object), release: async () => {} };
  }

  async #resolve({ Bucket: bucket = '', Name: key = '', Version: version }: S3Object): Promise<string> {
    // Versions are refused just below, so the object is named without one.
    const object = objectUri({ Bucket: bucket, Name: key });
    const directory = this.#buckets.get(bucket);
    if (directory === undefined) throw invalidS3Object(`${object}: bucket ${bucket} is not configured`);
    if (version !== undefined) {
      throw invalidS3Object(`${object}: bucket ${bucket} is a local directory and has no object versions (Version ${version})`);
    }
    const file = await realFileInBucket(directory, key, object);
    if (!this.#allowAnyVideoFormat && !(await isRekognitionVideo(file, object))) {
      throw invalidS3Object(`${object}: not an MP4, MOV or AVI video (allowAnyVideoFormat accepts other formats)`);
    }
    return file;
  }
}

/** The real path of `key` below `directory`; refuses keys and symlinks that lead outside it. */
async function realFileInBucket(directory: string, key: string, object: string): Promise<string> {
  const segments = key.split('/');
  if (key.includes('\0') || path.isAbsolute(key) || segments.includes('..')) {
    throw invalidS3Object(`${object}: the key leaves the bucket directory`);
  }
  const root = await realpathOrNone(directory);
  if (root === undefined) throw invalidS3Object(`${object}: the bucket directory ${directory} does not exist`);
  const file = await realpathOrNone(path.join(root, ...segments));
  if (file === undefined) throw invalidS3Object(`${object}: no such object, or it cannot be read`);
  if (!file.startsWith(root + path.sep)) throw invalidS3Object(`${object}: the key leads outside the bucket directory`);
  const stats = await stat(file);
  if (!stats.isFile()) throw invalidS3Object(`${object}: not a file`);
  checkVideoSize(object, stats.size);
  return file;
}

async function realpathOrNone(candidate: string): Promise<string | undefined> {
  try {
    return await realpath(candidate);
  } catch {
    return undefined;
  }
}

async function isRekognitionVideo(file: string, object: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => {
    throw invalidS3Object(`${object}: the object cannot be read`);
  });
  try {
    const header = new Uint8Array(CONTAINER_HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, CONTAINER_HEADER_BYTES, 0);
    return sniffVideoContainer(header.subarray(0, bytesRead)) !== undefined;
  } finally {
    await handle.close();
  }
}
