import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Storage } from './storage.js';

/** A stored object named by its bytes: `<prefix>/<aa>/<sha256>.<ext>`. */
export interface StoredObject {
  key: string;
  sha256: string;
  bytes: number;
}

/** A file already read once (an upload hashed while it streamed in). */
export interface HashedFile {
  file: string;
  sha256: string;
  bytes: number;
}

export function contentKey(prefix: string, sha256: string, ext: string): string {
  return `${prefix}/${sha256.slice(0, 2)}/${sha256}${ext ? `.${ext.replace(/^\./, '')}` : ''}`;
}

/** The size and sha256 of a local file, read as a stream. */
export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

export function hashBuffer(data: Buffer | Uint8Array): { bytes: number; sha256: string } {
  return { bytes: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') };
}

/**
 * Stores bytes (a buffer, or a local file that is moved into storage) under the key their sha256
 * names, so equal bytes always land on one object and a key never changes content. A file given
 * as a path is hashed first; a HashedFile is trusted to carry its own hash.
 */
export async function putContentAddressed(
  storage: Storage,
  prefix: string,
  source: Buffer | string | HashedFile,
  ext: string,
): Promise<StoredObject> {
  if (Buffer.isBuffer(source)) {
    const { sha256, bytes } = hashBuffer(source);
    const key = contentKey(prefix, sha256, ext);
    await storage.putBuffer(key, source);
    return { key, sha256, bytes };
  }
  const file = typeof source === 'string' ? { file: source, ...(await hashFile(source)) } : source;
  const key = contentKey(prefix, file.sha256, ext);
  await storage.putFile(key, file.file);
  return { key, sha256: file.sha256, bytes: file.bytes };
}
