/**
 * Videos stored in an S3-compatible endpoint. The check at StartLabelDetection reads only the first
 * bytes of the object (it exists, it is readable, it is a Rekognition container); a running job
 * streams the whole object to a file of its own, because MP4 demuxing seeks and so cannot read
 * from a pipe, and the object never has to fit in memory.
 *
 * S3's refusals (no such bucket, key or version, access denied, ...) are InvalidS3ObjectException,
 * as with Rekognition; an endpoint that cannot be reached at all is an InternalServerError, since
 * no change to the request would help.
 */
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import type { S3Object } from '@aws-sdk/client-rekognition';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { internalServerError, invalidS3Object, isRekognitionError } from '../errors.js';
import { CONTAINER_HEADER_BYTES, sniffVideoContainer } from './video-container.js';
import { checkVideoSize, objectUri, type LocalVideo, type VideoSource } from './video-source.js';

export interface S3VideoSourceOptions {
  s3: S3Client;
  /** Where running jobs keep their copy of the object; each copy is deleted when its job ends. */
  downloadDir: string;
  /** Accept any object the decoder can read, not only MP4, MOV and AVI. */
  allowAnyVideoFormat?: boolean;
}

export class S3VideoSource implements VideoSource {
  readonly #s3: S3Client;
  readonly #downloadDir: string;
  readonly #allowAnyVideoFormat: boolean;

  constructor(options: S3VideoSourceOptions) {
    this.#s3 = options.s3;
    this.#downloadDir = path.resolve(options.downloadDir);
    this.#allowAnyVideoFormat = options.allowAnyVideoFormat ?? false;
  }

  async check(s3Object: S3Object): Promise<void> {
    const { Body, ContentRange } = await this.#get(s3Object, `bytes=0-${CONTAINER_HEADER_BYTES - 1}`);
    const header = (await Body?.transformToByteArray()) ?? new Uint8Array();
    // "bytes 0-11/<total>": the object's full size, without downloading it.
    const totalBytes = Number(ContentRange?.split('/')[1]);
    if (Number.isFinite(totalBytes)) checkVideoSize(objectUri(s3Object), totalBytes);
    if (!this.#allowAnyVideoFormat && sniffVideoContainer(header) === undefined) {
      throw invalidS3Object(`${objectUri(s3Object)}: not an MP4, MOV or AVI video (allowAnyVideoFormat accepts other formats)`);
    }
  }

  async open(s3Object: S3Object): Promise<LocalVideo> {
    const { Body } = await this.#get(s3Object);
    await mkdir(this.#downloadDir, { recursive: true });
    const file = path.join(this.#downloadDir, `${randomUUID()}${path.extname(s3Object.Name ?? '')}`);
    const release = () => rm(file, { force: true });
    try {
      if (!Body) throw invalidS3Object(`${objectUri(s3Object)}: S3 returned no content`);
      await pipeline(Body as Readable, createWriteStream(file, { flags: 'wx' }));
    } catch (error) {
      await release();
      throw isRekognitionError(error) ? error : internalServerError(`${objectUri(s3Object)}: the download failed: ${messageOf(error)}`);
    }
    return { path: file, release };
  }

  async #get(s3Object: S3Object, range?: string): Promise<GetObjectCommandOutput> {
    try {
      return await this.#s3.send(
        new GetObjectCommand({ Bucket: s3Object.Bucket, Key: s3Object.Name, VersionId: s3Object.Version, Range: range }),
      );
    } catch (error) {
      throw s3Failure(error, s3Object);
    }
  }
}

/**
 * Buckets named in `localBuckets` are read by `local`; every other bucket by `remote`, so local
 * directories can stand in for some buckets while the rest live in S3.
 */
export function sourceByBucket(localBuckets: Record<string, string>, local: VideoSource, remote: VideoSource): VideoSource {
  const sourceOf = (s3Object: S3Object): VideoSource => (Object.hasOwn(localBuckets, s3Object.Bucket ?? '') ? local : remote);
  return {
    check: (s3Object) => sourceOf(s3Object).check(s3Object),
    open: (s3Object) => sourceOf(s3Object).open(s3Object),
  };
}

interface S3ErrorShape {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** S3 answered with a refusal (4xx): the request's object is at fault. Anything else is ours. */
function s3Failure(error: unknown, s3Object: S3Object): Error {
  const { name, message, $metadata } = (error ?? {}) as S3ErrorShape;
  const status = $metadata?.httpStatusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const reason = NOT_FOUND_REASONS[name ?? ''] ?? `S3 refused it with ${name ?? 'an error'} (HTTP ${status})`;
    return invalidS3Object(`${objectUri(s3Object)}: ${reason}. Check the bucket, key, version and access permissions`);
  }
  return internalServerError(`${objectUri(s3Object)}: the S3 endpoint could not be read: ${name ?? 'Error'}: ${message ?? String(error)}`);
}

const NOT_FOUND_REASONS: Record<string, string> = {
  NoSuchBucket: 'no such bucket',
  NoSuchKey: 'no such key',
  NoSuchVersion: 'no such version',
  NotFound: 'no such object',
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
