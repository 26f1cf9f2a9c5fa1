import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStorage } from '../src/index.js';

describe('local storage', () => {
  it('stores, reads and deletes objects, and refuses keys that escape its folder', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'storage-'));
    const s = new LocalStorage(root);
    const tmp = path.join(await s.tempDir(), 'upload');
    await fs.writeFile(tmp, 'hello');
    await s.putFile('n1/ab/abc.txt', tmp);
    expect(await s.exists('n1/ab/abc.txt')).toBe(true);
    expect((await s.readBuffer('n1/ab/abc.txt')).toString()).toBe('hello');
    await s.putBuffer('n1/derived/x.bin', Buffer.from([1, 2, 3]));
    const chunks: Buffer[] = [];
    for await (const c of s.read('n1/derived/x.bin')) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from([1, 2, 3]));
    await s.delete('n1/ab/abc.txt');
    expect(await s.exists('n1/ab/abc.txt')).toBe(false);
    expect(() => s.read('../../etc/passwd')).toThrow(/Invalid storage key/);
  });
});
