import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerRuntime } from '@media-ai/worker';
import {
  createNewsroom,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';

// Review at newsroom volume: accept means something for each kind of output, undo, bulk decisions,
// paging with a count and filters, the source beside the output and the editor's diff.

let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime | undefined;
let n: TestNewsroom;
const config = testConfig({ WORKER_QUEUES: 'translate:1' });

const BODY =
  'The city council approved the harbour budget on Monday after a long debate. ' +
  'The plan spends 12 million euros on new quays and a ferry terminal. ' +
  'Mayor Ada Colau said the port would create jobs for the region. ' +
  'Fishermen welcomed the vote but asked for lower fees.';

beforeAll(async () => {
  api = await startTestApi(config);
  n = await createNewsroom(api.db, 'Review Desk');
});
afterAll(async () => {
  await worker?.close(1000);
  await api?.close();
});

const ITEM = `id kind status output editedOutput canUndo
  content { id title summary tags }
  appliedContent { id title summary body language originalId }
  source { contentId title text }
  diff { op text }`;
const REVIEW = `mutation($id: ID!, $d: ReviewDecision!, $e: String) { reviewGeneratedItem(id: $id, decision: $d, editedOutput: $e) { ${ITEM} } }`;
const UNDO = `mutation($id: ID!) { undoReview(id: $id) { ${ITEM} } }`;

async function article(title = 'Council backs harbour plan', tags: string[] = ['city']) {
  const { createContent } = await api.ok(
    `mutation($input: ContentInput!) { createContent(input: $input) { id } }`,
    { input: { title, body: BODY, language: 'en', tags, type: 'ARTICLE' } },
    n.keys.editor,
  );
  return createContent.id as string;
}

async function generate(op: string, contentId: string) {
  const r = await api.ok(
    `mutation($input: GenerationInput!) { ${op}(input: $input) { items { id kind output } } }`,
    { input: { contentId, options: { engine: 'LOCAL' } } },
    n.keys.editor,
  );
  return r[op].items as { id: string; kind: string; output: string }[];
}

describe('accept applies each kind of output to the article, and undo restores it', () => {
  it('a headline becomes the title; undo puts the old title back', async () => {
    const id = await article();
    const [headline] = await generate('generateHeadlines', id);
    const r = await api.ok(REVIEW, { id: headline!.id, d: 'ACCEPT' }, n.keys.editor);
    expect(r.reviewGeneratedItem.status).toBe('ACCEPTED');
    // The updated item comes back at once.
    expect(r.reviewGeneratedItem.content.title).toBe(headline!.output);
    expect(r.reviewGeneratedItem.appliedContent.id).toBe(id);
    expect(r.reviewGeneratedItem.canUndo).toBe(true);
    // The source is shown beside the output.
    expect(r.reviewGeneratedItem.source).toMatchObject({ contentId: id, text: BODY });

    const u = await api.ok(UNDO, { id: headline!.id }, n.keys.editor);
    expect(u.undoReview).toMatchObject({ status: 'PENDING', canUndo: false, appliedContent: null });
    expect(u.undoReview.content.title).toBe('Council backs harbour plan');
    // Undone, it can be decided again.
    await api.ok(REVIEW, { id: headline!.id, d: 'REJECT' }, n.keys.editor);
    const again = await api.gql(REVIEW, { id: headline!.id, d: 'ACCEPT' }, n.keys.editor);
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(again.errors?.[0].message).toMatch(/undoReview/);
  });

  it('an edited summary is published with the diff kept against the model’s text', async () => {
    const id = await article();
    const [summary] = await generate('summarize', id);
    const firstWord = summary!.output.split(' ')[0]!;
    const edited = summary!.output.replace(firstWord, 'Yesterday the') + ' The vote was 30 to 11.';
    const r = await api.ok(REVIEW, { id: summary!.id, d: 'EDIT', e: edited }, n.keys.editor);
    expect(r.reviewGeneratedItem).toMatchObject({
      status: 'EDITED',
      output: summary!.output,
      editedOutput: edited,
    });
    expect(r.reviewGeneratedItem.content.summary).toBe(edited);
    const diff = r.reviewGeneratedItem.diff as { op: string; text: string }[];
    const joined = (op: string) =>
      diff
        .filter((p) => p.op === op)
        .map((p) => p.text.trim())
        .join('|');
    expect(joined('DELETE')).toBe(firstWord);
    expect(joined('INSERT')).toBe('Yesterday the|The vote was 30 to 11.');
    expect(
      diff
        .filter((p) => p.op !== 'INSERT')
        .map((p) => p.text)
        .join(''),
    ).toBe(summary!.output);
    const u = await api.ok(UNDO, { id: summary!.id }, n.keys.editor);
    expect(u.undoReview.content.summary).toBeNull();
    expect(u.undoReview.diff).toBeNull();
  });

  it('accepted keywords and tags become the item’s tags, without duplicates', async () => {
    const id = await article('Harbour vote', ['city']);
    const items = await generate('extractKeywords', id);
    const keywords = items.find((i) => i.kind === 'KEYWORDS')!;
    const r = await api.ok(
      REVIEW,
      { id: keywords.id, d: 'EDIT', e: 'harbour, City, ferry terminal' },
      n.keys.editor,
    );
    expect(r.reviewGeneratedItem.content.tags).toEqual(['city', 'harbour', 'ferry terminal']);
    const [tags] = await generate('suggestTags', id);
    const t = await api.ok(REVIEW, { id: tags!.id, d: 'ACCEPT' }, n.keys.editor);
    const after = t.reviewGeneratedItem.content.tags as string[];
    expect(after.slice(0, 3)).toEqual(['city', 'harbour', 'ferry terminal']);
    expect(new Set(after.map((x) => x.toLowerCase())).size).toBe(after.length);
  });

  it('undo is refused when the article was changed since, and changes nothing', async () => {
    const id = await article();
    const [headline] = await generate('generateHeadlines', id);
    await api.ok(REVIEW, { id: headline!.id, d: 'ACCEPT' }, n.keys.editor);
    await api.ok(
      `mutation($id: ID!, $patch: ContentPatch!) { updateContent(id: $id, patch: $patch) { id } }`,
      { id, patch: { title: 'A title the desk wrote' } },
      n.keys.editor,
    );
    const u = await api.gql(UNDO, { id: headline!.id }, n.keys.editor);
    expect(u.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(u.errors?.[0].message).toMatch(/title .* was changed after this was accepted/);
    const item = await api.db.generatedItem.findUniqueOrThrow({ where: { id: headline!.id } });
    expect(item.status).toBe('ACCEPTED');
    expect((await api.db.contentItem.findUniqueOrThrow({ where: { id } })).title).toBe(
      'A title the desk wrote',
    );
  });

  it('a translation proposed for review becomes a linked translated item when accepted; undo removes it', async () => {
    const id = await article('The council approves the harbour plan');
    worker = await startWorker(config, silentLog());
    const { translateContent } = await api.ok(
      `mutation($id: ID!) { translateContent(contentId: $id, targetLanguages: ["es"], review: true) { id } }`,
      { id },
      n.keys.editor,
    );
    let job: any;
    for (let i = 0; i < 600; i++) {
      job = (
        await api.ok(
          `query($id: ID!) { job(id: $id) { status result error } }`,
          { id: translateContent.id },
          n.keys.editor,
        )
      ).job;
      if (['COMPLETED', 'FAILED'].includes(job.status)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job.status).toBe('COMPLETED');
    expect(job.result.translations[0]).toMatchObject({ language: 'es', status: 'PROPOSED', contentId: null });
    // Nothing is written before an editor accepts.
    expect(await api.db.contentItem.count({ where: { originalId: id } })).toBe(0);

    const pending = await api.ok(
      `query($id: ID!) { generatedItems(filter: { contentId: $id, kind: [TRANSLATION] }) { totalCount edges { node { ${ITEM} } } } }`,
      { id },
      n.keys.editor,
    );
    expect(pending.generatedItems.totalCount).toBe(1);
    const proposal = pending.generatedItems.edges[0].node;
    // The original beside the translation.
    expect(proposal.source.text).toBe(BODY);
    expect(proposal.output).toMatch(/ayuntamiento|consejo|puerto/i);

    const r = await api.ok(REVIEW, { id: proposal.id, d: 'ACCEPT' }, n.keys.editor);
    const translation = r.reviewGeneratedItem.appliedContent;
    expect(translation).toMatchObject({ language: 'es', originalId: id, body: proposal.output });
    expect(translation.title).not.toBe('The council approves the harbour plan');
    const u = await api.ok(UNDO, { id: proposal.id }, n.keys.editor);
    expect(u.undoReview.status).toBe('PENDING');
    expect(await api.db.contentItem.count({ where: { originalId: id } })).toBe(0);
  });
});

describe('review at volume', () => {
  let contentId: string;
  const LIST = `query($first: Int, $after: String, $filter: GeneratedItemFilter) {
    generatedItems(first: $first, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id kind engine status } } } }`;

  beforeAll(async () => {
    contentId = await article('Volume article');
    for (let i = 0; i < 4; i++) await generate('generateHeadlines', contentId);
  });

  it('counts, pages with a cursor and filters by kind, engine, status and article', async () => {
    const filter = { contentId, kind: ['HEADLINE'], engine: 'local:', status: ['PENDING'] };
    const first = await api.ok(LIST, { first: 7, filter }, n.keys.editor);
    const total = first.generatedItems.totalCount as number;
    expect(total).toBeGreaterThanOrEqual(8);
    expect(first.generatedItems.edges).toHaveLength(7);
    expect(first.generatedItems.pageInfo.hasNextPage).toBe(true);
    const seen = new Set<string>(first.generatedItems.edges.map((e: any) => e.node.id));
    let after = first.generatedItems.pageInfo.endCursor;
    while (after) {
      const page = await api.ok(LIST, { first: 7, after, filter }, n.keys.editor);
      for (const e of page.generatedItems.edges) {
        expect(seen.has(e.node.id)).toBe(false);
        seen.add(e.node.id);
      }
      after = page.generatedItems.pageInfo.hasNextPage ? page.generatedItems.pageInfo.endCursor : null;
    }
    expect(seen.size).toBe(total);
    const flagged = await api.ok(LIST, { filter: { contentId, flagged: true } }, n.keys.editor);
    const clean = await api.ok(LIST, { filter: { contentId, flagged: false } }, n.keys.editor);
    const all = await api.ok(LIST, { filter: { contentId } }, n.keys.editor);
    expect(flagged.generatedItems.totalCount + clean.generatedItems.totalCount).toBe(
      all.generatedItems.totalCount,
    );
    const none = await api.ok(LIST, { filter: { contentId, engine: 'llm:' } }, n.keys.editor);
    expect(none.generatedItems.totalCount).toBe(0);
  });

  it('rejects many at once, each on its own, reporting the ones it could not decide', async () => {
    const page = await api.ok(
      LIST,
      { first: 5, filter: { contentId, kind: ['HEADLINE'], status: ['PENDING'] } },
      n.keys.editor,
    );
    const ids = page.generatedItems.edges.map((e: any) => e.node.id as string);
    await api.ok(REVIEW, { id: ids[0], d: 'REJECT' }, n.keys.editor);
    const missing = '00000000-0000-4000-8000-000000000000';
    const BULK = `mutation($ids: [ID!]!, $d: ReviewDecision!) { reviewGeneratedItems(ids: $ids, decision: $d) { decided failed results { id code error item { id status } } } }`;
    const r = await api.ok(BULK, { ids: [...ids, missing], d: 'REJECT' }, n.keys.editor);
    expect(r.reviewGeneratedItems).toMatchObject({ decided: 4, failed: 2 });
    const results = r.reviewGeneratedItems.results;
    expect(results.map((x: any) => x.id)).toEqual([...ids, missing]);
    expect(results[0]).toMatchObject({ code: 'CONFLICT', item: null });
    expect(results[5]).toMatchObject({ code: 'NOT_FOUND', item: null });
    for (const x of results.slice(1, 5)) expect(x.item.status).toBe('REJECTED');

    const tooMany = await api.gql(
      BULK,
      { ids: Array.from({ length: 101 }, () => missing), d: 'REJECT' },
      n.keys.editor,
    );
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(tooMany.errors?.[0].message).toMatch(/at most 100/);
    const edit = await api.gql(BULK, { ids: [ids[1]], d: 'EDIT' }, n.keys.editor);
    expect(edit.errors?.[0].message).toMatch(/ACCEPT or REJECT/);
    const app = await api.gql(BULK, { ids: [ids[1]], d: 'REJECT' }, n.keys.app);
    expect(app.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
