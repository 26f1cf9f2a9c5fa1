import type { Readable } from 'node:stream';

/**
 * Where media bytes live. Keys are opaque relative paths ("<newsroom>/<aa>/<sha256>").
 * The local folder is the default; an S3-compatible store implements the same four calls.
 */
export interface Storage {
  /** Moves a finished local temp file under key (atomic where the store allows). */
  putFile(key: string, localPath: string): Promise<void>;
  putBuffer(key: string, data: Buffer): Promise<void>;
  read(key: string): Readable;
  readBuffer(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** A local folder for temp files of uploads in flight. */
  tempDir(): Promise<string>;
}
