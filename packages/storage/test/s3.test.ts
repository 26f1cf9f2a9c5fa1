import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@media-ai/config';
import { S3Storage, storageFromConfig } from '../src/index.js';
import { startS3Server, type TestS3 } from './s3-server.js';

const MiB = 1024 * 1024;
let s3: TestS3;
let tempRoot: string;

function store(extra: Partial<ConstructorParameters<typeof S3Storage>[0]> = {}) {
  return new S3Storage({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
    partBytes: 5 * MiB,
    tempRoot,
    ...extra,
  });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  s3 = await startS3Server();
  tempRoot = await fs.mkdtemp(path.join(os.tmpdir(), 's3-tmp-'));
});
afterAll(async () => {
  await s3?.close();
});

describe('S3 storage against a real S3-protocol server', () => {
  it('stores, streams, checks and deletes objects; a missing key reads as ENOENT', async () => {
    const s = store({ prefix: 'deploy-a' });
    await s.ensureReady();
    const tmp = path.join(await s.tempDir(), 'upload-1');
    await fs.writeFile(tmp, 'hello object storage');
    await s.putFile('n1/ab/abc.txt', tmp);
    // The local temp file is gone once the object is stored.
    await expect(fs.access(tmp)).rejects.toThrow();
    expect(await s.exists('n1/ab/abc.txt')).toBe(true);
    expect((await s.readBuffer('n1/ab/abc.txt')).toString()).toBe('hello object storage');
    await s.putBuffer('n1/derived/x.bin', Buffer.from([1, 2, 3]));
    const chunks: Buffer[] = [];
    for await (const c of s.read('n1/derived/x.bin')) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from([1, 2, 3]));
    // Keys live under the deployment's prefix in the bucket.
    const listed = await s.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'deploy-a/' }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual([
      'deploy-a/n1/ab/abc.txt',
      'deploy-a/n1/derived/x.bin',
    ]);
    await s.delete('n1/ab/abc.txt');
    expect(await s.exists('n1/ab/abc.txt')).toBe(false);
    await expect(s.readBuffer('n1/ab/abc.txt')).rejects.toMatchObject({ code: 'ENOENT' });
    const err = await new Promise<NodeJS.ErrnoException>((resolve) =>
      s.read('n1/ab/abc.txt').on('error', resolve).resume(),
    );
    expect(err.code).toBe('ENOENT');
    expect(() => s.read('../etc/passwd')).toThrow(/Invalid storage key/);
    s.close();
  });

  it('uploads a large file in parts and streams it back intact', async () => {
    const s = store();
    const commands: string[] = [];
    s.client.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(context.commandName!);
        return next(args);
      },
      { step: 'initialize' },
    );
    const data = randomBytes(12 * MiB + 12345);
    const tmp = path.join(await s.tempDir(), 'big');
    await fs.writeFile(tmp, data);
    await s.putFile('n1/big.bin', tmp);
    // Three parts of 5 MiB at most, never the whole file in one request.
    expect(commands.filter((c) => c === 'UploadPartCommand')).toHaveLength(3);
    expect(commands).toContain('CompleteMultipartUploadCommand');
    expect(commands).not.toContain('PutObjectCommand');
    const head = await s.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: 'n1/big.bin' }));
    expect(head.ContentLength).toBe(data.length);
    const hash = createHash('sha256');
    let bytes = 0;
    await pipeline(
      s.read('n1/big.bin'),
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          bytes += chunk.length;
          cb();
        },
      }),
    );
    expect(bytes).toBe(data.length);
    expect(hash.digest('hex')).toBe(sha(data));
    const bigBuffer = randomBytes(6 * MiB);
    await s.putBuffer('n1/big-buffer.bin', bigBuffer);
    expect(sha(await s.readBuffer('n1/big-buffer.bin'))).toBe(sha(bigBuffer));
    s.close();
  });

  it('hands out presigned URLs a client fetches directly, and none when presigning is off', async () => {
    const off = store();
    await off.putBuffer('n1/p.txt', Buffer.from('presigned body'));
    expect(await off.downloadUrl('n1/p.txt')).toBeNull();
    off.close();
    const s = store({ presignTtlS: 60 });
    const url = await s.downloadUrl('n1/p.txt', { contentType: 'text/plain', filename: 'p.txt' });
    expect(url).toMatch(/X-Amz-Signature=/);
    const res = await fetch(url!);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('presigned body');
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''p.txt");
    // The URL expires after its time to live.
    const short = store({ presignTtlS: 1 });
    const expiring = await short.downloadUrl('n1/p.txt');
    await new Promise((r) => setTimeout(r, 2100));
    expect((await fetch(expiring!)).status).toBe(403);
    short.close();
    s.close();
  });

  it('is chosen by STORAGE=s3, and fails at start with a message naming the fix', async () => {
    const config = loadConfig({ ...s3.env, MEDIAAI_DATA_DIR: tempRoot, S3_PRESIGN_DOWNLOADS: 'true' });
    const s = storageFromConfig(config);
    expect(s).toBeInstanceOf(S3Storage);
    await s.ensureReady();
    const wrongBucket = storageFromConfig(
      loadConfig({ ...s3.env, MEDIAAI_DATA_DIR: tempRoot, S3_BUCKET: 'nope-bucket' }),
    );
    await expect(wrongBucket.ensureReady()).rejects.toThrow(
      /bucket does not exist: create it, or set S3_BUCKET/,
    );
    const down = storageFromConfig(
      loadConfig({ ...s3.env, MEDIAAI_DATA_DIR: tempRoot, S3_ENDPOINT: 'http://127.0.0.1:1' }),
    );
    await expect(down.ensureReady()).rejects.toThrow(/Object storage unreachable .*check S3_ENDPOINT/);
    expect(() => loadConfig({ STORAGE: 's3' })).toThrow(/S3_BUCKET: required when STORAGE=s3/);
    expect(storageFromConfig(loadConfig({ MEDIAAI_DATA_DIR: tempRoot })).constructor.name).toBe(
      'LocalStorage',
    );
  });
});
