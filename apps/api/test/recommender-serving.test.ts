import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNewsroom, startTestApi, testConfig, type TestNewsroom } from './helpers/platform.js';

/*
 * The serving path's hot state, with two API processes on one Redis (as behind a load balancer):
 * reader histories kept in Redis and appended on ingest, every seen item excluded however long the
 * history, and cached rules and content that every process drops at once when an editor changes them.
 */

const REC = `query($r: String!, $first: Int) {
  recommendations(readerId: $r, first: $first) { coldStart items { reason pinned content { id title } } } }`;
const INGEST = `mutation($e: [InteractionInput!]!) { ingestInteractions(events: $e) { accepted duplicates } }`;
const ITEMS = 1_300;

let a: Awaited<ReturnType<typeof startTestApi>>;
let b: Awaited<ReturnType<typeof startTestApi>>;
let n: TestNewsroom;
let ids: string[] = [];

const recs = async (api: typeof a, reader: string, first = 20) =>
  (await api.ok(REC, { r: reader, first }, n.keys.app)).recommendations as {
    coldStart: boolean;
    items: { reason: string; pinned: boolean; content: { id: string; title: string } }[];
  };

const events = (reader: string, items: string[], from = 0) =>
  items.map((contentId, k) => ({
    eventId: `${reader}-${from + k}`,
    readerId: reader,
    contentId,
    eventType: 'read',
    occurredAt: new Date(Date.now() - (items.length - k) * 60_000).toISOString(),
  }));

beforeAll(async () => {
  const config = testConfig();
  a = await startTestApi(config);
  b = await startTestApi(config);
  n = await createNewsroom(a.db, 'Serving');
  await a.db.contentItem.createMany({
    data: Array.from({ length: ITEMS }, (_, i) => ({
      newsroomId: n.id,
      externalId: `s${i}`,
      title: `Story ${i}`,
      category: `c${i % 5}`,
      status: 'PUBLISHED' as const,
      publishedAt: new Date(Date.now() - 10 * 86_400_000),
    })),
  });
  const rows = await a.db.contentItem.findMany({
    where: { newsroomId: n.id },
    select: { id: true, externalId: true },
  });
  const byExt = new Map(rows.map((r) => [r.externalId!, r.id]));
  ids = Array.from({ length: ITEMS }, (_, i) => byExt.get(`s${i}`)!);
  // Popularity: a crowd reads the first 200 stories and the last 100.
  for (let r = 0; r < 20; r++) {
    await a.ok(INGEST, { e: events(`crowd${r}`, [...ids.slice(0, 200), ...ids.slice(1_200)]) }, n.keys.app);
  }
}, 120_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe('recommendations serving state', () => {
  it('never recommends an item the reader has read, however long their history', async () => {
    // 1,250 stories read: more than the recent history kept for the fold-in.
    const read = ids.slice(0, 1_250);
    for (let k = 0; k < read.length; k += 500) {
      await a.ok(INGEST, { e: events('avid', read.slice(k, k + 500), k) }, n.keys.app);
    }
    const list = await recs(b, 'avid', 50);
    // The 50 popular stories left unread, and nothing else.
    expect(list.items.map((i) => i.content.id).sort()).toEqual(ids.slice(1_250).sort());
  });

  it('learns new reading at once on every API process, once the history is hot', async () => {
    const first = await recs(b, 'newcomer');
    const top = first.items[0]!.content.id;
    // The history is now hot on Redis; a read through the other process must reach it.
    await a.ok(INGEST, { e: events('newcomer', [top]) }, n.keys.app);
    const after = await recs(b, 'newcomer');
    expect(after.items.length).toBe(first.items.length);
    expect(after.items.map((i) => i.content.id)).not.toContain(top);
    // A replayed event is a duplicate and changes nothing.
    const replay = await a.ok(INGEST, { e: events('newcomer', [top]) }, n.keys.app);
    expect(replay.ingestInteractions).toEqual({ accepted: 0, duplicates: 1 });
  });

  it('applies an editor’s pin and block made on one process at once on the other', async () => {
    const before = await recs(b, 'reader-x', 10);
    const top = before.items[0]!.content.id;
    const pinned = ids[1_299]!;
    // Both caches are warm on process b; the change is made through process a.
    const PIN = `mutation($c: ID!) { pinContent(contentId: $c, position: 1) { id } }`;
    const BLOCK = `mutation($c: ID!) { blockContent(contentId: $c) { id } }`;
    const pin = (await a.ok(PIN, { c: pinned }, n.keys.editor)).pinContent.id as string;
    const block = (await a.ok(BLOCK, { c: top }, n.keys.editor)).blockContent.id as string;
    const after = await recs(b, 'reader-x', 10);
    expect(after.items[0]).toMatchObject({ pinned: true, content: { id: pinned } });
    expect(after.items.map((i) => i.content.id)).not.toContain(top);
    const REMOVE = `mutation($id: ID!) { removeEditorialRule(id: $id) }`;
    await a.ok(REMOVE, { id: pin }, n.keys.editor);
    await a.ok(REMOVE, { id: block }, n.keys.editor);
    const restored = await recs(b, 'reader-x', 10);
    expect(restored.items.map((i) => i.content.id)).toContain(top);
    expect(restored.items.some((i) => i.pinned)).toBe(false);
  });

  it('serves an edited title and drops unpublished content at once on every process', async () => {
    const list = await recs(b, 'reader-y', 5);
    const item = list.items[0]!.content;
    const UPDATE = `mutation($id: ID!, $p: ContentPatch!) { updateContent(id: $id, patch: $p) { id } }`;
    await a.ok(UPDATE, { id: item.id, p: { title: 'Corrected headline' } }, n.keys.editor);
    const edited = await recs(b, 'reader-y', 5);
    expect(edited.items.find((i) => i.content.id === item.id)?.content.title).toBe('Corrected headline');
    await a.ok(UPDATE, { id: item.id, p: { status: 'DRAFT' } }, n.keys.editor);
    const hidden = await recs(b, 'reader-y', 5);
    expect(hidden.items.map((i) => i.content.id)).not.toContain(item.id);
  });

  it('forgets a deleted reader’s hot history', async () => {
    const stranger = (await recs(b, 'never-seen-before')).items.map((i) => i.content.id);
    await a.ok(INGEST, { e: events('leaving', stranger) }, n.keys.app);
    const seen = new Set(stranger);
    expect((await recs(b, 'leaving')).items.some((i) => seen.has(i.content.id))).toBe(false);
    const DELETE = `mutation($r: String!) { deleteReader(readerId: $r) { deleted } }`;
    expect((await a.ok(DELETE, { r: 'leaving' }, n.keys.admin)).deleteReader.deleted).toBe(true);
    // Served as an unknown reader again: exactly what a stranger gets.
    const after = await recs(b, 'leaving');
    expect(after.items.map((i) => i.content.id)).toEqual(stranger);
  });
});
