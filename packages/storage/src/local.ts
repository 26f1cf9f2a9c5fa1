import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Storage } from './storage.js';

function partName(dest: string): string {
  return `${dest}.${randomUUID()}.part`;
}

export class LocalStorage implements Storage {
  constructor(readonly root: string) {}

  private resolve(key: string): string {
    const p = path.resolve(this.root, 'objects', key);
    if (!p.startsWith(path.resolve(this.root, 'objects') + path.sep))
      throw new Error(`Invalid storage key ${key}`);
    return p;
  }

  async ensureReady(): Promise<void> {
    await fsp.mkdir(path.join(this.root, 'objects'), { recursive: true });
  }

  /** Local objects are served by the API itself. */
  downloadUrl(): Promise<string | null> {
    return Promise.resolve(null);
  }

  async tempDir(): Promise<string> {
    const dir = path.join(this.root, 'tmp');
    await fsp.mkdir(dir, { recursive: true });
    return dir;
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const dest = this.resolve(key);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    try {
      await fsp.rename(localPath, dest);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      const part = partName(dest);
      await fsp.copyFile(localPath, part);
      await fsp.rename(part, dest);
      await fsp.unlink(localPath);
    }
  }

  async putBuffer(key: string, data: Buffer): Promise<void> {
    const dest = this.resolve(key);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    // A temp name per write: two writers of one content-addressed key must not share it.
    const part = partName(dest);
    await fsp.writeFile(part, data);
    await fsp.rename(part, dest);
  }

  read(key: string): Readable {
    return fs.createReadStream(this.resolve(key));
  }

  readBuffer(key: string): Promise<Buffer> {
    return fsp.readFile(this.resolve(key));
  }

  async exists(key: string): Promise<boolean> {
    return fsp.access(this.resolve(key)).then(
      () => true,
      () => false,
    );
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.resolve(key), { force: true });
  }
}
