import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DownloadUrlOptions, Storage } from './storage.js';

export interface S3StorageOptions {
  bucket: string;
  /** Unset for AWS; the URL of MinIO, Ceph, R2 and the like. */
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** Prepended to every key, so deployments can share a bucket. */
  prefix?: string;
  /** Part size for multipart uploads; files up to this size go in one PUT. */
  partBytes: number;
  /** When set, downloadUrl answers presigned GET URLs valid this many seconds. */
  presignTtlS?: number;
  /** Local folder for temp files of uploads in flight (each machine its own). */
  tempRoot: string;
}

/** Media in any S3-compatible object store (AWS S3, MinIO, Ceph, R2), streamed both ways. */
export class S3Storage implements Storage {
  readonly client: S3Client;
  private readonly prefix: string;

  constructor(readonly opts: S3StorageOptions) {
    this.client = new S3Client({
      region: opts.region,
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle,
      credentials:
        opts.accessKeyId && opts.secretAccessKey
          ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
          : undefined,
      // Checksums on every request are an AWS extension some S3-compatible stores reject.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const p = (opts.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.prefix = p ? `${p}/` : '';
  }

  private key(key: string): string {
    if (!key || key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '')) {
      throw new Error(`Invalid storage key ${key}`);
    }
    return this.prefix + key;
  }

  private describe(): string {
    return `bucket "${this.opts.bucket}" at ${this.opts.endpoint ?? `AWS S3 (${this.opts.region})`}`;
  }

  async ensureReady(): Promise<void> {
    await fsp.mkdir(this.opts.tempRoot, { recursive: true });
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.opts.bucket }));
    } catch (e) {
      const status = (e as S3ServiceException).$metadata?.httpStatusCode;
      const why =
        status === 404
          ? 'the bucket does not exist: create it, or set S3_BUCKET to an existing one'
          : status === 403 || status === 401
            ? 'access denied: check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY and the bucket policy'
            : `${(e as Error).message || (e as Error).name}: check S3_ENDPOINT, S3_REGION and S3_FORCE_PATH_STYLE`;
      throw new Error(`Object storage unreachable (${this.describe()}): ${why}`);
    }
  }

  async tempDir(): Promise<string> {
    await fsp.mkdir(this.opts.tempRoot, { recursive: true });
    return this.opts.tempRoot;
  }

  /** Streams the file up (multipart above partBytes), then removes the local copy. */
  async putFile(key: string, localPath: string): Promise<void> {
    const { size } = await fsp.stat(localPath);
    if (size <= this.opts.partBytes) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.opts.bucket,
          Key: this.key(key),
          Body: fs.createReadStream(localPath),
          ContentLength: size,
        }),
      );
    } else {
      await new Upload({
        client: this.client,
        params: { Bucket: this.opts.bucket, Key: this.key(key), Body: fs.createReadStream(localPath) },
        partSize: this.opts.partBytes,
        queueSize: 2,
        leavePartsOnError: false,
      }).done();
    }
    await fsp.unlink(localPath);
  }

  async putBuffer(key: string, data: Buffer): Promise<void> {
    if (data.length <= this.opts.partBytes) {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.opts.bucket, Key: this.key(key), Body: data }),
      );
      return;
    }
    await new Upload({
      client: this.client,
      params: { Bucket: this.opts.bucket, Key: this.key(key), Body: data },
      partSize: this.opts.partBytes,
      queueSize: 2,
    }).done();
  }

  /** A stream that starts at once and fills as the object arrives; a missing key errors with ENOENT. */
  read(key: string): Readable {
    const out = new PassThrough();
    const k = this.key(key);
    this.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: k })).then(
      (res) => {
        const body = res.Body as Readable | undefined;
        if (!body) return out.end();
        body.on('error', (e) => out.destroy(e));
        body.pipe(out);
      },
      (e: unknown) => out.destroy(notFound(e, key) ?? (e as Error)),
    );
    return out;
  }

  async readBuffer(key: string): Promise<Buffer> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.opts.bucket, Key: this.key(key) }),
      );
      return Buffer.from(await res.Body!.transformToByteArray());
    } catch (e) {
      throw notFound(e, key) ?? e;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.opts.bucket, Key: this.key(key) }));
      return true;
    } catch (e) {
      if (notFound(e, key)) return false;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: this.key(key) }));
  }

  async downloadUrl(key: string, o: DownloadUrlOptions = {}): Promise<string | null> {
    if (!this.opts.presignTtlS) return null;
    const disposition = o.filename
      ? `${o.inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(o.filename)}`
      : undefined;
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.opts.bucket,
        Key: this.key(key),
        ResponseContentType: o.contentType,
        ResponseContentDisposition: disposition,
      }),
      { expiresIn: this.opts.presignTtlS },
    );
  }

  close(): void {
    this.client.destroy();
  }
}

function notFound(e: unknown, key: string): NodeJS.ErrnoException | null {
  const err = e as S3ServiceException;
  if (err?.name === 'NoSuchKey' || err?.name === 'NotFound' || err?.$metadata?.httpStatusCode === 404) {
    const nf = new Error(`No object stored under ${key}`) as NodeJS.ErrnoException;
    nf.code = 'ENOENT';
    return nf;
  }
  return null;
}
