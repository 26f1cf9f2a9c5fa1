import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNewsroom, startTestApi, testConfig, type TestNewsroom } from './helpers/platform.js';

let api: Awaited<ReturnType<typeof startTestApi>>;
let n: TestNewsroom;
const config = testConfig({ MEDIAAI_MAX_UPLOAD_BYTES: String(200 * 1024) });

// A real 1x1 PNG, and a small WAV header + silence, built here rather than shipped.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082',
  'hex',
);
function wav(samples: number): Buffer {
  const data = Buffer.alloc(samples * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(16000, 24);
  h.writeUInt32LE(32000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

async function upload(body: Buffer, filename: string, key: string) {
  const form = new FormData();
  form.append('file', new Blob([body]), filename);
  const res = await fetch(`${api.url}/v1/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}
const storedFiles = () => {
  const dir = path.join(config.MEDIAAI_DATA_DIR, 'storage');
  const walk = (d: string): string[] =>
    fs.existsSync(d)
      ? fs
          .readdirSync(d, { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]))
      : [];
  return walk(dir);
};

beforeAll(async () => {
  api = await startTestApi(config);
  n = await createNewsroom(api.db, 'Photo Desk');
});
afterAll(async () => api?.close());

describe('uploads', () => {
  it('stores a file, sniffs its real type, checksums it and de-duplicates', async () => {
    const a = await upload(PNG, 'pixel.jpg', n.keys.editor);
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      mimeType: 'image/png',
      kind: 'image',
      filename: 'pixel.jpg',
      duplicate: false,
      sizeBytes: String(PNG.length),
    });
    expect(a.body.checksum).toMatch(/^[0-9a-f]{64}$/);
    const again = await upload(PNG, 'copy.png', n.keys.editor);
    expect(again).toMatchObject({ status: 200, body: { id: a.body.id, duplicate: true } });
    const w = await upload(wav(8000), 'clip.wav', n.keys.editor);
    expect(w.body.kind).toBe('audio');
    const gql = await api.ok(
      `query($id: ID!) { asset(id: $id) { mimeType sizeBytes downloadPath } }`,
      { id: a.body.id },
      n.keys.app,
    );
    const dl = await fetch(api.url + gql.asset.downloadPath, {
      headers: { authorization: `Bearer ${n.keys.app}` },
    });
    expect(Buffer.from(await dl.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('rejects a non-media file, an oversized file and an aborted upload, leaving nothing behind', async () => {
    const before = {
      files: storedFiles().length,
      rows: await api.db.mediaAsset.count({ where: { newsroomId: n.id } }),
    };
    const text = await upload(Buffer.from('#!/bin/sh\nrm -rf /\n'.repeat(50)), 'photo.png', n.keys.editor);
    expect(text.status).toBe(415);
    expect(text.body.errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await upload(wav(150_000), 'long.wav', n.keys.editor);
    expect(big.status).toBe(413);
    expect(big.body.errors[0].message).toMatch(/limit/);

    // A client that sends half a multipart body and hangs up.
    await new Promise<void>((resolve) => {
      const url = new URL(`${api.url}/v1/assets`);
      const req = http.request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          authorization: `Bearer ${n.keys.editor}`,
          'content-type': 'multipart/form-data; boundary=XYZ',
          'content-length': '100000',
        },
      });
      req.on('error', () => resolve());
      req.write('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n');
      req.write(PNG);
      setTimeout(() => {
        req.destroy();
        setTimeout(resolve, 500);
      }, 200);
    });
    const noFile = await fetch(`${api.url}/v1/assets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${n.keys.editor}` },
    });
    expect(noFile.status).toBe(400);
    const appKey = await upload(PNG, 'x.png', n.keys.app);
    expect(appKey.status).toBe(403);
    expect({
      files: storedFiles().length,
      rows: await api.db.mediaAsset.count({ where: { newsroomId: n.id } }),
    }).toEqual(before);
  });
});

describe('interaction ingest', () => {
  it('stores up to 10,000 events a call, idempotent by event id, reporting rejects', async () => {
    const c = await api.ok(
      `mutation { createContent(input: { title: "Match report", externalId: "art-1" }) { id } }`,
      {},
      n.keys.editor,
    );
    const contentId = c.createContent.id;
    const events = Array.from({ length: 10_000 }, (_, i) => ({
      eventId: `e${i}`,
      readerId: `reader-${i % 250}`,
      ...(i % 2 ? { contentId } : { contentExternalId: 'art-1' }),
      eventType: i % 10 === 0 ? 'share' : 'click',
      occurredAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
    }));
    events[5] = { ...events[5], contentExternalId: 'missing', contentId: undefined } as any;
    const M = `mutation($e: [InteractionInput!]!) { ingestInteractions(events: $e) { accepted duplicates rejected { index eventId reason } } }`;
    const r1 = await api.ok(M, { e: events }, n.keys.app);
    expect(r1.ingestInteractions.accepted).toBe(9_999);
    expect(r1.ingestInteractions.rejected).toEqual([
      { index: 5, eventId: 'e5', reason: 'unknown content missing' },
    ]);
    const r2 = await api.ok(M, { e: events.slice(0, 100) }, n.keys.app);
    expect(r2.ingestInteractions).toMatchObject({ accepted: 0, duplicates: 99 });
    expect(await api.db.interaction.count({ where: { newsroomId: n.id } })).toBe(9_999);
    expect(await api.db.reader.count({ where: { newsroomId: n.id } })).toBe(250);
    const tooMany = await api.gql(M, { e: [...events, { ...events[0], eventId: 'extra' }] }, n.keys.app);
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(tooMany.errors?.[0].message).toMatch(/10000 events per call/);
    // A malformed event is rejected on its own, with its index and what to fix; the rest are stored.
    const mixed = await api.ok(
      M,
      {
        e: [
          { ...events[1], eventId: 'z', eventType: 'Big Click!' },
          { ...events[1], eventId: 'y', readerId: '' },
          { ...events[1], eventId: 'x' },
        ],
      },
      n.keys.app,
    );
    expect(mixed.ingestInteractions.accepted).toBe(1);
    expect(mixed.ingestInteractions.rejected).toEqual([
      { index: 0, eventId: 'z', reason: expect.stringMatching(/eventType must be lower-case/) },
      { index: 1, eventId: 'y', reason: 'readerId must be 1 to 200 characters' },
    ]);
    expect(
      await api.db.interaction.count({ where: { newsroomId: n.id, eventId: { in: ['x', 'y', 'z'] } } }),
    ).toBe(1);
  }, 120_000);

  it('accepts concurrent batches that introduce the same new readers', async () => {
    const c = await api.ok(
      `mutation { createContent(input: { title: "Race", externalId: "race-1" }) { id } }`,
      {},
      n.keys.editor,
    );
    const M = `mutation($e: [InteractionInput!]!) { ingestInteractions(events: $e) { accepted rejected { reason } } }`;
    let seq = 0;
    const batch = () =>
      Array.from({ length: 500 }, () => {
        const i = seq++;
        return {
          eventId: `race-${i}`,
          readerId: `new-reader-${i % 700}`,
          contentId: c.createContent.id,
          eventType: 'view',
          occurredAt: new Date().toISOString(),
        };
      });
    const results = await Promise.all(
      [batch(), batch(), batch(), batch()].map((e) => api.gql(M, { e }, n.keys.app)),
    );
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined, undefined]);
    expect(results.map((r) => r.data!.ingestInteractions.accepted)).toEqual([500, 500, 500, 500]);
  });
});
