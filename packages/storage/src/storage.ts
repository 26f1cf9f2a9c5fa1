import type { Readable } from 'node:stream';

export interface DownloadUrlOptions {
  contentType?: string;
  /** Suggested file name for the download. */
  filename?: string;
  /** Show in the browser rather than save. */
  inline?: boolean;
}

/**
 * Where media bytes live. Keys are opaque relative paths ("<newsroom>/<aa>/<sha256>").
 * The local folder is the single-machine default; S3Storage serves many machines.
 */
export interface Storage {
  /** Moves a finished local temp file under key (atomic where the store allows). */
  putFile(key: string, localPath: string): Promise<void>;
  putBuffer(key: string, data: Buffer): Promise<void>;
  /** Streams the object; a missing key errors the stream with code ENOENT. */
  read(key: string): Readable;
  readBuffer(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** A local folder for temp files of uploads in flight. */
  tempDir(): Promise<string>;
  /** Checks at start that the store can be reached, with a message naming the fix. */
  ensureReady(): Promise<void>;
  /** A URL the client can fetch the object from directly, or null when downloads go through the API. */
  downloadUrl(key: string, opts?: DownloadUrlOptions): Promise<string | null>;
}
