import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Request } from 'express';
import busboy from 'busboy';
import { fileTypeFromBuffer } from 'file-type';
import { DomainError } from '@media-ai/core';
import { storeMediaAsset, type MediaAsset, type TenantDb } from '@media-ai/db';
import type { Storage } from '@media-ai/storage';

const SNIFF_BYTES = 4100;

/** The text fields of a multipart form, by name; a name sent several times (`a[]`) keeps every value. */
export type FormFields = Record<string, string[]>;

export function kindOf(mime: string): string | null {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('audio/') || mime === 'application/ogg') return 'audio';
  if (mime.startsWith('video/')) return 'video';
  return null;
}

/**
 * Receives one file from a multipart/form-data POST (field "file") or a raw body, streaming it to a
 * temp file while hashing and counting; the type is sniffed from the bytes, never trusted from the
 * client. Only a complete, valid file becomes an asset; anything else leaves nothing behind.
 */
export async function receiveUpload(
  req: Request,
  opts: {
    db: TenantDb;
    storage: Storage;
    newsroomId: string;
    uploadedById: string;
    maxBytes: number;
    /** Checks the form's other fields and the file's kind before anything is stored; throws to refuse. */
    check?: (fields: FormFields, file: { kind: string; mimeType: string; filename: string }) => void;
  },
): Promise<{ asset: MediaAsset; duplicate: boolean; fields: FormFields }> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > opts.maxBytes + 64 * 1024) {
    throw new DomainError(
      'PAYLOAD_TOO_LARGE',
      `The upload is ${declared} bytes; the limit is ${opts.maxBytes} bytes`,
    );
  }
  const tmp = path.join(await opts.storage.tempDir(), `upload-${randomUUID()}`);
  try {
    const received = await streamToTemp(req, tmp, opts.maxBytes);
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, received.size));
    const fh = await fsp.open(tmp, 'r');
    await fh.read(head, 0, head.length, 0);
    await fh.close();
    const sniffed = await fileTypeFromBuffer(head);
    const kind = sniffed ? kindOf(sniffed.mime) : null;
    if (!sniffed || !kind) {
      throw new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        `"${received.filename}" is not an image, audio or video file we recognise${sniffed ? ` (its bytes say ${sniffed.mime})` : ''}`,
      );
    }
    opts.check?.(received.fields, { kind, mimeType: sniffed.mime, filename: received.filename });
    const stored = await storeMediaAsset(opts.db, opts.storage, {
      source: { file: tmp, sha256: received.sha256, bytes: received.size },
      prefix: opts.newsroomId,
      ext: sniffed.ext,
      filename: received.filename,
      mimeType: sniffed.mime,
      kind,
      uploadedById: opts.uploadedById,
    });
    return { ...stored, fields: received.fields };
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

async function streamToTemp(req: Request, tmp: string, maxBytes: number) {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > maxBytes) {
        cb(new DomainError('PAYLOAD_TOO_LARGE', `The upload is larger than the limit of ${maxBytes} bytes`));
        return;
      }
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const contentType = req.headers['content-type'] ?? '';
  let filename = typeof req.query.filename === 'string' ? req.query.filename : 'upload';
  const fields: FormFields = {};
  if (contentType.startsWith('multipart/form-data')) {
    await new Promise<void>((resolve, reject) => {
      let bb: busboy.Busboy;
      try {
        bb = busboy({
          headers: req.headers,
          // File names are UTF-8 (RFC 7578), not latin1 as busboy assumes by default.
          defParamCharset: 'utf8',
          limits: { files: 1, fileSize: maxBytes + 1, fields: 100, fieldSize: 256 * 1024 },
        });
      } catch (e) {
        reject(new DomainError('BAD_USER_INPUT', `Malformed multipart upload: ${(e as Error).message}`));
        return;
      }
      let gotFile = false;
      let writing: Promise<void> | null = null;
      bb.on('file', (field, stream, info) => {
        if (field !== 'file' || gotFile) {
          stream.resume();
          return;
        }
        gotFile = true;
        filename = info.filename || filename;
        writing = pipeline(stream, meter, fs.createWriteStream(tmp));
        writing.catch(reject);
      });
      bb.on('field', (name, value) => {
        (fields[name] ??= []).push(value);
      });
      bb.on('error', (e: Error) =>
        reject(new DomainError('BAD_USER_INPUT', `Malformed multipart upload: ${e.message}`)),
      );
      bb.on('close', () => {
        if (!gotFile) reject(new DomainError('BAD_USER_INPUT', 'The multipart upload has no "file" field'));
        else writing!.then(resolve, reject);
      });
      req.on('aborted', () =>
        reject(new DomainError('BAD_USER_INPUT', 'The upload was aborted before it finished')),
      );
      req.pipe(bb);
    });
  } else {
    await pipeline(req, meter, fs.createWriteStream(tmp)).catch((e: unknown) => {
      if (e instanceof DomainError) throw e;
      throw new DomainError('BAD_USER_INPUT', 'The upload was aborted before it finished');
    });
  }
  if (size === 0) throw new DomainError('BAD_USER_INPUT', 'The upload is empty');
  return { size, sha256: hash.digest('hex'), filename: path.basename(filename).slice(0, 255), fields };
}
