import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStorage, putContentAddressed } from '../src/index.js';

describe('content-addressed writes', () => {
  it('names an object by the sha256 of its bytes, from a buffer or a moved file', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'storage-ca-'));
    const s = new LocalStorage(root);
    const bytes = Buffer.from('the same bytes');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const a = await putContentAddressed(s, 'n1/derived/audio', bytes, 'mp3');
    expect(a).toEqual({ key: `n1/derived/audio/${sha.slice(0, 2)}/${sha}.mp3`, sha256: sha, bytes: 14 });
    const file = path.join(await s.tempDir(), 'model.lm');
    await fs.writeFile(file, bytes);
    const b = await putContentAddressed(s, 'n1/models', file, '.lm');
    expect(b.key).toBe(`n1/models/${sha.slice(0, 2)}/${sha}.lm`);
    expect((await s.readBuffer(b.key)).equals(bytes)).toBe(true);
    await expect(fs.stat(file)).rejects.toThrow();
    await fs.rm(root, { recursive: true, force: true });
  });
});
