import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNewsroom, startTestApi, type TestNewsroom } from './helpers/platform.js';

let api: Awaited<ReturnType<typeof startTestApi>>;
let a: TestNewsroom;
let b: TestNewsroom;

beforeAll(async () => {
  api = await startTestApi();
  a = await createNewsroom(api.db, 'Daily A');
  b = await createNewsroom(api.db, 'Daily B');
});
afterAll(async () => api?.close());

const CREATE = `mutation($input: ContentInput!) { createContent(input: $input) { id title tags status type } }`;
const LIST = `query($first: Int, $after: String, $filter: ContentFilter) {
  contentItems(first: $first, after: $after, filter: $filter) {
    totalCount edges { cursor node { id title } } pageInfo { hasNextPage endCursor } } }`;

describe('content', () => {
  it('creates, updates, lists with cursor pages, searches and deletes', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = await api.ok(
        CREATE,
        { input: { title: `Storm update ${i}`, body: 'Wind and rain', tags: ['weather'], category: 'news' } },
        a.keys.editor,
      );
      ids.push(d.createContent.id);
    }
    await api.ok(
      CREATE,
      { input: { title: 'Election night', body: 'Votes counted', category: 'politics' } },
      a.keys.editor,
    );

    const p1 = await api.ok(LIST, { first: 2, filter: { search: 'storm' } }, a.keys.app);
    expect(p1.contentItems.totalCount).toBe(5);
    expect(p1.contentItems.edges).toHaveLength(2);
    expect(p1.contentItems.pageInfo.hasNextPage).toBe(true);
    const seen = new Set(p1.contentItems.edges.map((e: any) => e.node.id));
    let after = p1.contentItems.pageInfo.endCursor;
    for (;;) {
      const p = await api.ok(LIST, { first: 2, after, filter: { search: 'storm' } }, a.keys.app);
      for (const e of p.contentItems.edges) seen.add(e.node.id);
      if (!p.contentItems.pageInfo.hasNextPage) break;
      after = p.contentItems.pageInfo.endCursor;
    }
    expect(seen).toEqual(new Set(ids));

    const upd = await api.ok(
      `mutation($id: ID!) { updateContent(id: $id, patch: { status: PUBLISHED, tags: ["weather","alert"] }) { status tags } }`,
      { id: ids[0] },
      a.keys.editor,
    );
    expect(upd.updateContent).toEqual({ status: 'PUBLISHED', tags: ['weather', 'alert'] });

    const byTag = await api.ok(LIST, { first: 10, filter: { tag: 'alert' } }, a.keys.app);
    expect(byTag.contentItems.edges.map((e: any) => e.node.id)).toEqual([ids[0]]);

    await api.ok(`mutation($id: ID!) { deleteContent(id: $id) }`, { id: ids[1] }, a.keys.editor);
    const gone = await api.gql(`query($id: ID!) { contentItem(id: $id) { id } }`, { id: ids[1] }, a.keys.app);
    expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('pages by publishedAt (drafts first, ties by id) and filters by type, status, dates and literal search', async () => {
    const nr = await createNewsroom(api.db, 'Daily C');
    const made: { id: string; publishedAt: string | null }[] = [];
    const items = [
      { title: 'Budget 100% approved', publishedAt: '2026-03-01T10:00:00.000Z', status: 'PUBLISHED' },
      { title: 'Budget 100x approved', publishedAt: '2026-03-02T10:00:00.000Z', status: 'PUBLISHED' },
      { title: 'Podcast one', publishedAt: '2026-03-02T10:00:00.000Z', status: 'PUBLISHED', type: 'AUDIO' },
      { title: 'Draft one', publishedAt: null, status: 'DRAFT' },
      { title: 'Draft two', publishedAt: null, status: 'DRAFT' },
      { title: 'Old news', publishedAt: '2025-12-31T23:59:59.999Z', status: 'PUBLISHED' },
    ];
    for (const input of items) {
      const d = await api.ok(CREATE, { input }, nr.keys.editor);
      made.push({ id: d.createContent.id, publishedAt: input.publishedAt });
    }
    // PostgreSQL's order for "publishedAt DESC, id DESC": nulls first, then newest, ties by id.
    const drafted = (x: { publishedAt: string | null }) => (x.publishedAt === null ? 0 : 1);
    const desc = (x: string, y: string) => (x < y ? 1 : x > y ? -1 : 0);
    const expected = [...made].sort(
      (x, y) => drafted(x) - drafted(y) || desc(x.publishedAt ?? '', y.publishedAt ?? '') || desc(x.id, y.id),
    );
    const order: string[] = [];
    let after: string | null = null;
    for (;;) {
      const p: any = await api.ok(LIST, { first: 2, after, filter: { orderBy: 'publishedAt' } }, nr.keys.app);
      order.push(...p.contentItems.edges.map((e: any) => e.node.id));
      if (!p.contentItems.pageInfo.hasNextPage) break;
      after = p.contentItems.pageInfo.endCursor;
    }
    expect(order).toEqual(expected.map((x) => x.id));

    const titles = async (filter: object) =>
      (await api.ok(LIST, { first: 50, filter }, nr.keys.app)).contentItems.edges
        .map((e: any) => e.node.title)
        .sort();
    expect(await titles({ search: '100%' })).toEqual(['Budget 100% approved']);
    expect(await titles({ search: 'budget 100_' })).toEqual([]);
    expect(await titles({ types: ['AUDIO'] })).toEqual(['Podcast one']);
    expect(await titles({ statuses: ['DRAFT'] })).toEqual(['Draft one', 'Draft two']);
    expect(
      await titles({
        publishedSince: '2026-01-01T00:00:00.000Z',
        publishedBefore: '2026-03-02T10:00:00.000Z',
      }),
    ).toEqual(['Budget 100% approved']);
    expect(await titles({ publishedBefore: '2026-01-01T00:00:00.000Z' })).toEqual(['Old news']);
    const counted = await api.ok(LIST, { first: 1, filter: { statuses: ['PUBLISHED'] } }, nr.keys.app);
    expect(counted.contentItems.totalCount).toBe(4);

    // A cursor whose id is not a UUID is the client's mistake, said as such.
    const bad = await api.gql(
      LIST,
      { first: 2, after: Buffer.from('c:not-a-uuid').toString('base64url') },
      nr.keys.app,
    );
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('never shows one newsroom the content of another', async () => {
    const d = await api.ok(CREATE, { input: { title: 'Secret scoop of A' } }, a.keys.editor);
    const id = d.createContent.id;
    const list = await api.ok(LIST, { first: 100, filter: { search: 'secret scoop' } }, b.keys.admin);
    expect(list.contentItems.totalCount).toBe(0);
    const get = await api.gql(`query($id: ID!) { contentItem(id: $id) { id } }`, { id }, b.keys.admin);
    expect(get.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const upd = await api.gql(
      `mutation($id: ID!) { updateContent(id: $id, patch: { title: "hijack" }) { id } }`,
      { id },
      b.keys.admin,
    );
    expect(upd.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const del = await api.gql(`mutation($id: ID!) { deleteContent(id: $id) }`, { id }, b.keys.admin);
    expect(del.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const still = await api.ok(`query($id: ID!) { contentItem(id: $id) { title } }`, { id }, a.keys.app);
    expect(still.contentItem.title).toBe('Secret scoop of A');
  });

  it('rejects bad input with messages that say what to fix, writing nothing', async () => {
    const before = await api.ok(LIST, { first: 1 }, a.keys.app);
    const r = await api.gql(CREATE, { input: { title: '', language: 'English' } }, a.keys.editor);
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(/title must be 1 to 1000 characters/);
    expect(r.errors?.[0].message).toMatch(/ISO 639/);
    const wrongType = await api.gql(CREATE, { input: { title: 42 } }, a.keys.editor);
    expect(wrongType.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badId = await api.gql(`query { contentItem(id: "not-a-uuid") { id } }`, {}, a.keys.app);
    expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(badId.errors?.[0].extensions?.code);
    const after = await api.ok(LIST, { first: 1 }, a.keys.app);
    expect(after.contentItems.totalCount).toBe(before.contentItems.totalCount);
  });
});
