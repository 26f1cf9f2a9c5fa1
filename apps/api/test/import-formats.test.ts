import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readContent } from '../src/importers/formats.js';

async function rows(name: string, text: string) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'import-'));
  const file = path.join(dir, name);
  await fs.writeFile(file, text);
  const out = [];
  try {
    for await (const row of readContent(file)) out.push(row);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  return out;
}

describe('CSV content import', () => {
  it('reads quoted fields with separators, doubled quotes and newlines, a BOM and CRLF lines', async () => {
    const csv =
      '\uFEFFid,title,body,tags\r\n' +
      'a1,"Budget, revised","First paragraph.\r\n\r\nSecond ""quoted"" paragraph.",politics;economy\r\n' +
      'a2,Plain title,,\r\n';
    const out = await rows('items.csv', csv);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({
      externalId: 'a1',
      title: 'Budget, revised',
      body: 'First paragraph.\r\n\r\nSecond "quoted" paragraph.',
      tags: ['politics', 'economy'],
    });
    expect(out[1]).toMatchObject({ externalId: 'a2', title: 'Plain title', body: '', tags: [] });
  });

  it('names the file and line of a broken quote', async () => {
    await expect(rows('bad.csv', 'id,title\nb1,"never closed\n')).rejects.toThrow(/bad\.csv:\d+: .*quote/i);
  });

  it('reads TSV without treating quotes as special', async () => {
    const out = await rows('items.tsv', 'id\ttitle\nt1\tSay "hi"\n');
    expect(out[0]).toMatchObject({ externalId: 't1', title: 'Say "hi"' });
  });
});
