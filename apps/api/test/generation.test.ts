import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataDir } from '@media-ai/core';
import { startWorker, type WorkerRuntime } from '@media-ai/worker';
import {
  createNewsroom,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';

// ---------------------------------------------------------------- data

const cnndmDir = sharedDataDir('text/cnndm');
const cnndmSrc = cnndmDir ? path.join(cnndmDir, 'src.txt') : null;
const haveCnndm = !!cnndmSrc && existsSync(cnndmSrc);
const mindNews = sharedDataDir('recsys/mind-small-sample/news.tsv');
const haveMind = !!mindNews && existsSync(mindNews);
if (!haveCnndm)
  console.log(
    '[generation.test] CNN/DailyMail tests skipped: no text/cnndm/src.txt under the shared data directory',
  );
if (!haveMind)
  console.log(
    '[generation.test] MIND news.tsv absent: the topic classifier trains on synthetic items; the real-paragraph test is skipped',
  );

/** The first CNN/DailyMail test article, its sentence markers removed. */
const article = haveCnndm
  ? readFileSync(cnndmSrc!, 'utf8')
      .split('\n')[0]!
      .replace(/<\/?t>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  : 'The city council approved the budget on Monday. It spends more on schools. The mayor welcomed the vote.';

interface MindRow {
  id: string;
  category: string;
  title: string;
  abstract: string;
}
const mindRows: MindRow[] = haveMind
  ? readFileSync(mindNews!, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [id, category, , title, abstract] = l.split('\t');
        return { id: id!, category: category!, title: title ?? '', abstract: abstract ?? '' };
      })
  : [];

// ---------------------------------------------------------------- a small OpenAI-compatible server

/** Speaks the OpenAI chat wire format, streaming by SSE; its summaries contain an invented number. */
class FakeLlm {
  readonly requests: { messages: { role: string; content: string }[]; stream: boolean }[] = [];
  baseURL = '';
  summary = 'Koirala said 9,999 girls now sleep outdoors in Katmandu after the earthquake.';
  private server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on(
      'end',
      () =>
        void this.answer(
          JSON.parse(raw) as { messages: { role: string; content: string }[]; stream?: boolean },
          res,
        ),
    );
  });

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.baseURL = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async answer(
    body: { messages: { role: string; content: string }[]; stream?: boolean },
    res: ServerResponse,
  ) {
    this.requests.push({ messages: body.messages, stream: !!body.stream });
    const system = body.messages[0]?.content ?? '';
    const text = /Summarise/.test(system)
      ? this.summary
      : JSON.stringify(['Quake survivors shelter outdoors in Nepal']);
    const usage = { prompt_tokens: 321, completion_tokens: 17, total_tokens: 338 };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          model: 'test-llm',
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (o: unknown) => res.write(`data: ${JSON.stringify(o)}\n\n`);
    // Time for the test's subscription to reach the API before the first token.
    await new Promise((r) => setTimeout(r, 1200));
    for (const token of text.match(/\S+\s*/g) ?? []) {
      send({
        id: 'c1',
        object: 'chat.completion.chunk',
        model: 'test-llm',
        choices: [{ index: 0, delta: { content: token }, finish_reason: null }],
      });
      await new Promise((r) => setTimeout(r, 15));
    }
    send({
      id: 'c1',
      object: 'chat.completion.chunk',
      model: 'test-llm',
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
    });
    send({ id: 'c1', object: 'chat.completion.chunk', model: 'test-llm', choices: [], usage });
    res.end('data: [DONE]\n\n');
  }
}

// ---------------------------------------------------------------- platform

let llm: FakeLlm;
let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime;
let n: TestNewsroom;

beforeAll(async () => {
  llm = await new FakeLlm().start();
  const config = testConfig({ WORKER_QUEUES: 'content:1', LLM_BASE_URL: llm.baseURL, LLM_MODEL: 'test-llm' });
  api = await startTestApi(config);
  worker = await startWorker(config, silentLog());
  n = await createNewsroom(api.db, 'Generation Desk');
});
afterAll(async () => {
  await worker?.close(1000);
  await api?.close();
  await llm?.stop().catch(() => undefined);
});

const ITEM = `id kind engine engineVersion status output editedOutput finalOutput outputData input prompt contentId jobId decidedById decidedAt
  guardrails { passed action policy unsupportedNumbers issues { kind severity message } } fallback { from reason }`;
const OUTCOME = `{ items { ${ITEM} } job { id status type } }`;
const SUMMARIZE = `mutation($input: GenerationInput!) { summarize(input: $input) ${OUTCOME} }`;
const JOB = `query($id: ID!) { job(id: $id) { id status result error progress } }`;

async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 150));
  }
}
const jobDone = (id: string) =>
  waitFor(async () => {
    const j = (await api.ok(JOB, { id }, n.keys.app)).job;
    return ['COMPLETED', 'FAILED', 'CANCELLED'].includes(j.status) ? j : null;
  });
const itemsOfJob = async (jobId: string) =>
  (
    await api.ok(
      `query($f: GeneratedItemFilter) { generatedItems(filter: $f, first: 50) { edges { node { ${ITEM} } } } }`,
      { f: { jobId } },
      n.keys.app,
    )
  ).generatedItems.edges.map((e: { node: unknown }) => e.node);

async function createContent(input: Record<string, unknown>): Promise<string> {
  const d = await api.ok(
    `mutation($input: ContentInput!) { createContent(input: $input) { id } }`,
    { input },
    n.keys.editor,
  );
  return d.createContent.id;
}

// ---------------------------------------------------------------- tests

describe('summaries', () => {
  it.skipIf(!haveCnndm)(
    'summarizes a real CNN/DailyMail article at once, and as a job when asked',
    async () => {
      const now = await api.ok(
        SUMMARIZE,
        { input: { text: article, options: { engine: 'LOCAL', method: 'TEXTRANK', maxSentences: 3 } } },
        n.keys.editor,
      );
      expect(now.summarize.job).toBeNull();
      const [s] = now.summarize.items;
      expect(s).toMatchObject({
        kind: 'SUMMARY',
        engine: 'local:textrank',
        status: 'PENDING',
        contentId: null,
      });
      expect(s.output.length).toBeGreaterThan(80);
      expect(s.output.length).toBeLessThan(article.length / 2);
      // Extractive: every chosen sentence is in the article.
      for (const sentence of s.outputData.sentences) expect(article).toContain(sentence.text);
      expect(s.input.source.text).toBe(article);

      const contentId = await createContent({
        title: 'CNN heroes struggle after the Nepal earthquake',
        body: article,
        language: 'en',
      });
      const queued = await api.ok(
        SUMMARIZE,
        { input: { contentId, options: { engine: 'LOCAL', method: 'LEAD', runAsJob: true } } },
        n.keys.editor,
      );
      expect(queued.summarize.items).toEqual([]);
      expect(queued.summarize.job).toMatchObject({ type: 'content.generate', status: 'QUEUED' });
      const job = await jobDone(queued.summarize.job.id);
      expect(job.status).toBe('COMPLETED');
      expect(job.result).toMatchObject({
        contentId,
        items: [{ kind: 'SUMMARY', engine: 'local:lead', status: 'PENDING' }],
        fallbacks: [],
      });
      const [stored] = await itemsOfJob(job.id);
      expect(stored).toMatchObject({ kind: 'SUMMARY', engine: 'local:lead', contentId, jobId: job.id });
      expect(article.startsWith(stored.output.slice(0, 40))).toBe(true);
    },
  );
});

describe('hostile article bodies', () => {
  it('summarizes a body with an invalid character reference at once and as a job, decoding hex references', async () => {
    const contentId = await createContent({
      title: 'Prices',
      body:
        '<p>The council set the fare at &#x41;&#x42;&#x43; rates on Monday &#99999999; after a long debate.</p>' +
        '<p>Critics said the change would hurt commuters who travel every day.</p>' +
        '<p>The new fares start next month across the whole network.</p>',
      language: 'en',
    });
    const now = await api.ok(
      SUMMARIZE,
      { input: { contentId, options: { engine: 'LOCAL', method: 'LEAD', maxSentences: 1 } } },
      n.keys.editor,
    );
    expect(now.summarize.items[0].output).toBe(
      'The council set the fare at ABC rates on Monday \uFFFD after a long debate.',
    );
    const queued = await api.ok(
      SUMMARIZE,
      { input: { contentId, options: { engine: 'LOCAL', method: 'LEAD', runAsJob: true } } },
      n.keys.editor,
    );
    const job = await jobDone(queued.summarize.job.id);
    expect(job.status).toBe('COMPLETED');
    expect(job.error).toBeNull();
  });
});

describe('summarizeBatch', () => {
  const BATCH = `mutation($inputs: [GenerationInput!]!) { summarizeBatch(inputs: $inputs) ${OUTCOME} }`;
  const local = { engine: 'LOCAL', method: 'LEAD', maxSentences: 1 };

  it('summarizes many texts and items in one request, in their order, stored and linked', async () => {
    const contentId = await createContent({
      title: 'Bridge reopens',
      body: 'The Elm Street bridge reopened on Tuesday after repairs. Traffic is light. Buses run again.',
      language: 'en',
    });
    const d = await api.ok(
      BATCH,
      {
        inputs: [
          {
            text: 'The council voted to build a new library. It opens in 2027. Locals cheered.',
            options: local,
          },
          { contentId, options: local },
          {
            text: 'Heavy rain flooded the valley overnight. Roads are closed. Schools shut.',
            options: local,
          },
          {
            text: 'The museum extends its hours. Visitors can stay until ten.',
            options: { ...local, runAsJob: true },
          },
        ],
      },
      n.keys.editor,
    );
    const out = d.summarizeBatch;
    expect(out).toHaveLength(4);
    expect(out.slice(0, 3).map((o: { job: unknown }) => o.job)).toEqual([null, null, null]);
    expect(out[0].items).toEqual([
      expect.objectContaining({ kind: 'SUMMARY', engine: 'local:lead', contentId: null }),
    ]);
    expect(out[0].items[0].output).toMatch(/^The council voted to build a new library\./);
    expect(out[1].items[0]).toMatchObject({ kind: 'SUMMARY', contentId });
    expect(out[1].items[0].output).toMatch(/Elm Street bridge/);
    expect(out[2].items[0].output).toMatch(/^Heavy rain flooded the valley overnight\./);
    // the one asked to run as a job is queued, as summarize would queue it
    expect(out[3]).toMatchObject({ items: [], job: { type: 'content.generate' } });
    const job = await jobDone(out[3].job.id);
    expect(job.result.items).toEqual([expect.objectContaining({ kind: 'SUMMARY', engine: 'local:lead' })]);
  });

  it('refuses a wrong input or a batch over the limits, naming it, and stores nothing', async () => {
    const before = (await api.ok(`{ generatedItems(first: 1) { totalCount } }`, {}, n.keys.app))
      .generatedItems.totalCount;
    const wrong = await api.gql(
      BATCH,
      { inputs: [{ text: 'A fine text. It has sentences.', options: local }, { options: local }] },
      n.keys.editor,
    );
    expect(wrong.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(wrong.errors?.[0].message).toMatch(/^inputs\[1\]: Give either contentId/);
    const many = await api.gql(BATCH, { inputs: Array(51).fill({ text: 'Short.' }) }, n.keys.editor);
    expect(many.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(many.errors)).toMatch(/at most 50 inputs/);
    const big = await api.gql(
      BATCH,
      { inputs: Array(11).fill({ text: 'The storm hit the coast. '.repeat(800), options: local }) },
      n.keys.editor,
    );
    expect(big.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 200_000 });
    const after = (await api.ok(`{ generatedItems(first: 1) { totalCount } }`, {}, n.keys.app)).generatedItems
      .totalCount;
    expect(after).toBe(before);
  });
});

describe('review', () => {
  it('lets editors accept, edit and reject, writes accepted summaries and tags to the content, and keeps a review queue', async () => {
    const body =
      'The city council of Springfield approved a new budget on Monday after a long debate. The budget raises spending on public schools by 4 percent. ' +
      'Mayor Maria Lopez said the vote was a victory for families. Opponents warned that property taxes would rise next year. ' +
      'The council will vote on the transport plan in December.';
    const contentId = await createContent({
      title: 'Springfield approves budget',
      body,
      language: 'en',
      tags: ['local'],
    });
    const editor = (await api.db.apiClient.findFirst({ where: { newsroomId: n.id, role: 'EDITOR' } }))!;

    const sum = (
      await api.ok(
        SUMMARIZE,
        { input: { contentId, options: { engine: 'LOCAL', maxSentences: 2 } } },
        n.keys.editor,
      )
    ).summarize.items[0];
    const REVIEW = `mutation($id: ID!, $d: ReviewDecision!, $e: String) { reviewGeneratedItem(id: $id, decision: $d, editedOutput: $e) { ${ITEM} content { summary tags title } } }`;
    const accepted = (await api.ok(REVIEW, { id: sum.id, d: 'ACCEPT' }, n.keys.editor)).reviewGeneratedItem;
    expect(accepted).toMatchObject({ status: 'ACCEPTED', decidedById: editor.id, finalOutput: sum.output });
    expect(accepted.decidedAt).toBeTruthy();
    expect(accepted.content.summary).toBe(sum.output);

    const tags = (
      await api.ok(
        `mutation($input: GenerationInput!) { suggestTags(input: $input) ${OUTCOME} }`,
        { input: { contentId, options: { engine: 'LOCAL' } } },
        n.keys.editor,
      )
    ).suggestTags.items[0];
    expect(tags).toMatchObject({ kind: 'TAGS', engine: 'local:tags' });
    expect(tags.outputData.tags.length).toBeGreaterThan(0);
    const edited = (
      await api.ok(REVIEW, { id: tags.id, d: 'EDIT', e: 'springfield, city-budget, Local' }, n.keys.editor)
    ).reviewGeneratedItem;
    expect(edited).toMatchObject({
      status: 'EDITED',
      editedOutput: 'springfield, city-budget, Local',
      finalOutput: 'springfield, city-budget, Local',
    });
    expect(edited.content.tags).toEqual(['local', 'springfield', 'city-budget']);

    const heads = (
      await api.ok(
        `mutation($input: GenerationInput!) { generateHeadlines(input: $input) ${OUTCOME} }`,
        { input: { contentId, options: { engine: 'LOCAL', count: 4 } } },
        n.keys.editor,
      )
    ).generateHeadlines.items;
    expect(heads.length).toBeGreaterThanOrEqual(2);
    expect(
      heads.every((h: { kind: string; output: string }) => h.kind === 'HEADLINE' && h.output.length <= 80),
    ).toBe(true);
    const rejected = (await api.ok(REVIEW, { id: heads[0].id, d: 'REJECT' }, n.keys.editor))
      .reviewGeneratedItem;
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.content.title).toBe('Springfield approves budget');

    // Decided once; EDIT needs the text; APP keys cannot decide.
    const again = await api.gql(REVIEW, { id: sum.id, d: 'REJECT' }, n.keys.editor);
    expect(again.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(again.errors?.[0]?.message).toMatch(/already decided \(accepted/);
    const noText = await api.gql(REVIEW, { id: heads[1].id, d: 'EDIT' }, n.keys.editor);
    expect(noText.errors?.[0]?.message).toMatch(/EDIT needs editedOutput/);
    expect(
      (await api.gql(REVIEW, { id: heads[1].id, d: 'ACCEPT' }, n.keys.app)).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');

    // The review queue: what is still PENDING for this content, newest first, in pages.
    const QUEUE = `query($f: GeneratedItemFilter, $after: String) { generatedItems(filter: $f, first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id kind status } } } }`;
    const p1 = (await api.ok(QUEUE, { f: { status: ['PENDING'], contentId } }, n.keys.app)).generatedItems;
    expect(p1.totalCount).toBe(heads.length - 1);
    expect(p1.pageInfo.hasNextPage).toBe(heads.length - 1 > 2);
    const seen = p1.edges.map((e: { node: { id: string } }) => e.node.id);
    if (p1.pageInfo.hasNextPage) {
      const p2 = (
        await api.ok(
          QUEUE,
          { f: { status: ['PENDING'], contentId }, after: p1.pageInfo.endCursor },
          n.keys.app,
        )
      ).generatedItems;
      seen.push(...p2.edges.map((e: { node: { id: string } }) => e.node.id));
    }
    expect(seen.sort()).toEqual(
      heads
        .slice(1)
        .map((h: { id: string }) => h.id)
        .sort(),
    );
    const decided = (
      await api.ok(QUEUE, { f: { status: ['ACCEPTED', 'EDITED', 'REJECTED'], contentId } }, n.keys.app)
    ).generatedItems;
    expect(decided.totalCount).toBe(3);
  });
});

describe('keywords, entities and tags', () => {
  const paragraph = mindRows.find((r) => r.id === 'N62636');
  it.skipIf(!paragraph)('finds the people, places and topics of a real news paragraph', async () => {
    const d = await api.ok(
      `mutation($input: GenerationInput!) { extractKeywords(input: $input) ${OUTCOME} }`,
      {
        input: {
          text: paragraph!.abstract,
          title: paragraph!.title,
          language: 'en',
          options: { engine: 'LOCAL' },
        },
      },
      n.keys.editor,
    );
    const [keywords, entities] = d.extractKeywords.items;
    expect(keywords).toMatchObject({ kind: 'KEYWORDS', engine: 'local:keywords' });
    expect(
      keywords.outputData.keywords.map((k: { term: string }) => k.term.toLowerCase()).join(' | '),
    ).toMatch(/drug addiction|simsbury/);
    expect(entities).toMatchObject({ kind: 'ENTITIES', engine: 'local:entities' });
    const found = entities.outputData.entities.map(
      (e: { text: string; type: string }) => `${e.text}/${e.type}`,
    );
    expect(found).toContain('Lisa Gray/person');
    expect(found.some((f: string) => f.startsWith('Simsbury'))).toBe(true);
    expect(entities.guardrails.passed).toBe(true);

    const tags = (
      await api.ok(
        `mutation($input: GenerationInput!) { suggestTags(input: $input) ${OUTCOME} }`,
        { input: { text: paragraph!.abstract, title: paragraph!.title, options: { engine: 'LOCAL' } } },
        n.keys.editor,
      )
    ).suggestTags.items[0];
    const slugs = tags.outputData.tags.map((t: { tag: string }) => t.tag);
    expect(slugs).toContain('lisa-gray');
    expect(
      tags.outputData.tags.every((t: { confidence: number }) => t.confidence > 0 && t.confidence <= 1),
    ).toBe(true);
  });
});

describe('drafts from data', () => {
  it('seeds the default templates, renders the earnings draft with every number traced, and explains template errors', async () => {
    const list = (
      await api.ok(
        `{ draftTemplates(first: 10) { totalCount edges { node { id name kind version } } } }`,
        {},
        n.keys.app,
      )
    ).draftTemplates;
    expect(list.edges.map((e: { node: { name: string } }) => e.node.name).sort()).toEqual([
      'company-earnings',
      'election-results',
      'sports-result',
      'weather-forecast',
    ]);

    const data = {
      company: 'Acme Corp',
      ticker: 'ACME',
      quarter: 2,
      year: 2024,
      currency: '$',
      revenue: 12_400_000_000,
      revenueChangePct: 5.2,
      netIncome: 1_830_000_000,
      netIncomeChangePct: -3.1,
      eps: 1.27,
      epsEstimate: 1.21,
    };
    const RENDER = `mutation($t: String!, $data: JSON!) { renderDraft(template: $t, data: $data) { text provenance { text value path } untraced { text } template { name } item { ${ITEM} } } }`;
    const draft = (await api.ok(RENDER, { t: 'company-earnings', data }, n.keys.editor)).renderDraft;
    expect(draft.text).toMatch(/^Acme Corp \(ACME\) reported revenue of \$12\.4 billion/);
    expect(draft.untraced).toEqual([]);
    const paths = draft.provenance.map((p: { path: string }) => p.path);
    for (const p of ['revenue', 'revenueChangePct', 'netIncome', 'eps', 'epsEstimate', 'year'])
      expect(paths).toContain(p);
    expect(draft.provenance.find((p: { path: string }) => p.path === 'revenueChangePct')).toMatchObject({
      text: '5.2',
      value: 5.2,
    });
    expect(draft.item).toMatchObject({
      kind: 'DRAFT',
      engine: 'template:company-earnings',
      status: 'PENDING',
      output: draft.text,
    });
    expect(draft.item.guardrails.passed).toBe(true);

    const missing = await api.gql(
      RENDER,
      { t: 'company-earnings', data: { company: 'Acme' } },
      n.keys.editor,
    );
    expect(missing.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(missing.errors?.[0]?.message).toMatch(/revenue is required/);

    const UPSERT = `mutation($name: String!, $kind: String!, $body: String!, $sample: JSON) { upsertDraftTemplate(name: $name, kind: $kind, body: $body, sampleData: $sample) { id name version } }`;
    const broken = await api.gql(
      UPSERT,
      {
        name: 'rainfall',
        kind: 'weather',
        body: 'Rain in {{city}}:\n{{#if mm > 0}}{{mm | number}} mm.',
        sample: { city: 'Leeds', mm: 12 },
      },
      n.keys.editor,
    );
    expect(broken.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(broken.errors?.[0]?.message).toMatch(/line 2, column \d+/);
    expect(broken.errors?.[0]?.message).toMatch(/#if/);
    const typo = await api.gql(
      UPSERT,
      {
        name: 'rainfall',
        kind: 'weather',
        body: 'Rain in {{city}}: {{milimetres | number}} mm.',
        sample: { city: 'Leeds', millimetres: 12 },
      },
      n.keys.editor,
    );
    expect(typo.errors?.[0]?.message).toMatch(
      /line 1, column \d+: unknown field 'milimetres' \(did you mean 'millimetres'\?\)/,
    );
    const ok = (
      await api.ok(
        UPSERT,
        {
          name: 'rainfall',
          kind: 'weather',
          body: 'Rain in {{city}}: {{millimetres | number}} mm.',
          sample: { city: 'Leeds', millimetres: 12 },
        },
        n.keys.editor,
      )
    ).upsertDraftTemplate;
    expect(ok).toMatchObject({ name: 'rainfall', version: 1 });
    const rain = (await api.ok(RENDER, { t: ok.id, data: { city: 'Leeds', millimetres: 31 } }, n.keys.editor))
      .renderDraft;
    expect(rain.text).toBe('Rain in Leeds: 31 mm.');
    expect(rain.provenance).toEqual([{ text: '31', value: 31, path: 'millimetres' }]);
    expect(
      await api.ok(`mutation($id: ID!) { deleteDraftTemplate(id: $id) }`, { id: ok.id }, n.keys.editor),
    ).toEqual({ deleteDraftTemplate: true });
  });
});

describe('guardrail policy and batches', () => {
  const text =
    'The city council approved the budget on Monday. Mayor Maria Lopez called the vote a victory for families. Opponents warned that taxes would rise.';

  it('stores texts that fail the guardrails as REJECTED under the reject policy, which only admins set', async () => {
    const SET = `mutation($i: GenerationPolicyInput!) { setGenerationPolicy(input: $i) { guardrails bannedTerms headlineMaxChars } }`;
    expect(
      (await api.gql(SET, { i: { guardrails: 'REJECT' } }, n.keys.editor)).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    const set = (await api.ok(SET, { i: { guardrails: 'REJECT', bannedTerms: ['victory'] } }, n.keys.admin))
      .setGenerationPolicy;
    expect(set).toEqual({ guardrails: 'REJECT', bannedTerms: ['victory'], headlineMaxChars: 80 });
    const [item] = (
      await api.ok(
        SUMMARIZE,
        { input: { text, options: { engine: 'LOCAL', method: 'LEAD', maxSentences: 3 } } },
        n.keys.editor,
      )
    ).summarize.items;
    expect(item).toMatchObject({
      status: 'REJECTED',
      guardrails: { passed: false, action: 'reject', policy: 'reject' },
    });
    expect(item.guardrails.issues).toContainEqual(
      expect.objectContaining({ kind: 'banned_term', severity: 'error' }),
    );
    await api.ok(SET, { i: { guardrails: 'FLAG', bannedTerms: [] } }, n.keys.admin);
    expect(
      (await api.ok(`{ generationPolicy { guardrails bannedTerms } }`, {}, n.keys.app)).generationPolicy,
    ).toEqual({ guardrails: 'FLAG', bannedTerms: [] });
    // The policy is one key of the newsroom settings; the others are kept.
    const settings = (await api.db.newsroom.findUniqueOrThrow({ where: { id: n.id } })).settings as Record<
      string,
      unknown
    >;
    expect(Object.keys(settings).sort()).toEqual(['draftTemplatesSeededAt', 'generationPolicy']);
  });

  it('runs operations over many content items as one job', async () => {
    const a = await createContent({ title: 'Budget approved', body: text, language: 'en' });
    const missing = '3f2b9c1e-8a4d-4c1b-9f0e-2d7a6b5c4e3f';
    const enq = await api.ok(
      `mutation($ids: [ID!]!) { generateForContent(contentIds: $ids, operations: [SUMMARY, TAGS], options: { engine: LOCAL }) { id type } }`,
      { ids: [a, missing] },
      n.keys.editor,
    );
    expect(enq.generateForContent.type).toBe('content.generate-batch');
    const job = await jobDone(enq.generateForContent.id);
    expect(job.result).toMatchObject({
      items: 2,
      contents: [
        { contentId: a, status: 'GENERATED', items: 2 },
        { contentId: missing, status: 'NOT_FOUND', items: 0 },
      ],
    });
    expect(
      (await itemsOfJob(job.id))
        .map((i: { kind: string; contentId: string }) => `${i.kind}:${i.contentId === a}`)
        .sort(),
    ).toEqual(['SUMMARY:true', 'TAGS:true']);
  });
});

describe('trained models', () => {
  it('trains the topic classifier on categorised content with per-epoch loss, keeps it CANDIDATE on 12 held-out items (the gate says why), serves it once activated', async () => {
    const categories = ['sports', 'foodanddrink', 'weather'];
    const examples = haveMind
      ? categories.flatMap((c) =>
          mindRows.filter((r) => r.category === c && r.abstract.length > 60).slice(0, 20),
        )
      : categories.flatMap((c, ci) =>
          Array.from({ length: 20 }, (_, i) => ({
            id: `S${ci}-${i}`,
            category: c,
            title: [`Team wins match ${i}`, `Recipe for dinner ${i}`, `Storm brings rain ${i}`][ci]!,
            abstract: [
              'The coach praised the players after the game, the team scored twice and won the league match.',
              'Cook the pasta with garlic, olive oil and cheese; the recipe serves four for dinner.',
              'Forecasters expect heavy rain and strong wind, with temperatures falling overnight.',
            ][ci]!,
          })),
        );
    expect(examples.length).toBe(60);
    await api.db.contentItem.createMany({
      data: examples.map((r) => ({
        newsroomId: n.id,
        externalId: `mind-${r.id}`,
        title: r.title,
        body: r.abstract,
        category: r.category,
        language: 'en',
      })),
    });

    const ws = api.ws(n.keys.app);
    const epochs: { epoch: number; loss: number }[] = [];
    ws.subscribe(
      { query: `subscription { jobProgress { jobId type data } }` },
      {
        next: (m) => {
          const e = (
            m.data as
              { jobProgress?: { type: string; data: { epoch?: number; loss?: number } | null } } | undefined
          )?.jobProgress;
          if (e?.type === 'content.train-topic-classifier' && typeof e.data?.epoch === 'number')
            epochs.push({ epoch: e.data.epoch, loss: e.data.loss! });
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await new Promise((r) => setTimeout(r, 300));
    const enq = await api.ok(
      `mutation { trainTopicClassifier(options: { epochs: 25 }) { id type } }`,
      {},
      n.keys.editor,
    );
    const job = await jobDone(enq.trainTopicClassifier.id);
    await ws.dispose();
    expect(job.status).toBe('COMPLETED');
    // 12 held-out items are too few for the gate (100, or k-fold): it stays CANDIDATE and says why.
    expect(job.result).toMatchObject({
      status: 'TRAINED',
      modelStatus: 'CANDIDATE',
      metric: 'macroF1',
      version: 1,
      examples: 60,
      baseline: { name: 'majority class' },
    });
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(epochs.at(-1)!.loss).toBeLessThan(epochs[0]!.loss);

    const mv = (
      await api.ok(
        `query($id: ID!) { modelVersion(id: $id) { id area name version status metrics history artifactBytes dataWindowStart dataWindowEnd trainingJobId backend notes gate { passed reason metric against items candidate reference pValue } } }`,
        { id: job.result.modelVersionId },
        n.keys.app,
      )
    ).modelVersion;
    expect(mv).toMatchObject({
      area: 'content',
      name: 'topic-classifier',
      version: 1,
      status: 'CANDIDATE',
      trainingJobId: job.id,
      gate: { passed: false, metric: 'macroF1', against: 'majority class', items: 12, pValue: null },
    });
    expect(mv.gate.reason).toMatch(/validated on 12 item\(s\); activation needs at least 100/);
    expect(mv.notes).toBe(mv.gate.reason);
    expect(mv.gate.candidate).toBeCloseTo(mv.metrics.macroF1, 10);
    // an editor may still activate it by hand
    expect(
      (
        await api.ok(
          `mutation($id: ID!) { activateContentModel(id: $id) { status } }`,
          { id: mv.id },
          n.keys.editor,
        )
      ).activateContentModel.status,
    ).toBe('ACTIVE');
    // Three categories, 12 held-out items (chance: 0.33).
    expect(mv.metrics.accuracy).toBeGreaterThan(0.5);
    expect(mv.metrics.macroF1).toBeGreaterThan(0.45);
    expect(mv.history).toHaveLength(25);
    expect(mv.artifactBytes).toBeGreaterThan(1000);
    expect(mv.dataWindowStart).toBeTruthy();

    const sportsText = haveMind
      ? mindRows.filter((r) => r.category === 'sports' && r.abstract.length > 100)[40]!
      : {
          title: 'Team wins the final',
          abstract: 'The team scored late and won the match; the coach praised the players.',
        };
    const tags = (
      await api.ok(
        `mutation($input: GenerationInput!) { suggestTags(input: $input) ${OUTCOME} }`,
        { input: { text: sportsText.abstract, title: sportsText.title, options: { engine: 'LOCAL' } } },
        n.keys.editor,
      )
    ).suggestTags.items[0];
    expect(tags.engineVersion).toMatch(/topic-classifier@1$/);
    expect(tags.outputData.modelVersionId).toBe(mv.id);
    expect(tags.outputData.tags).toContainEqual(
      expect.objectContaining({ tag: 'sports', kind: 'topic', source: 'classifier' }),
    );

    // The same version again can be re-activated; an unknown id is NOT_FOUND.
    expect(
      (
        await api.ok(
          `mutation($id: ID!) { activateContentModel(id: $id) { status } }`,
          { id: mv.id },
          n.keys.editor,
        )
      ).activateContentModel.status,
    ).toBe('ACTIVE');
    const unknown = await api.gql(
      `mutation { activateContentModel(id: "3f2b9c1e-8a4d-4c1b-9f0e-2d7a6b5c4e3f") { status } }`,
      {},
      n.keys.editor,
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('says clearly when there are too few human summaries to train the summary scorer', async () => {
    const enq = await api.ok(
      `mutation { trainSummaryScorer(options: { minExamples: 20 }) { id } }`,
      {},
      n.keys.editor,
    );
    const job = await jobDone(enq.trainSummaryScorer.id);
    expect(job.status).toBe('COMPLETED');
    expect(job.result).toMatchObject({ status: 'NOT_ENOUGH_DATA', modelVersionId: null });
    expect(job.result.message).toMatch(/needs at least 20/);
  });

  it.skipIf(!haveCnndm)(
    'trains the summary scorer on articles and their human summaries, scores it on held-out ROUGE, and serves it once active',
    async () => {
      const clean = (l: string) =>
        l
          .replace(/<\/?t>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim();
      const src = readFileSync(cnndmSrc!, 'utf8').split('\n').filter(Boolean).map(clean);
      const ref = readFileSync(path.join(cnndmDir!, 'ref.txt'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(clean);
      await api.db.contentItem.createMany({
        data: src.map((body, i) => ({
          newsroomId: n.id,
          externalId: `cnndm-${i}`,
          title: `CNN/DailyMail ${i}`,
          body,
          summary: ref[i],
          language: 'en',
        })),
      });
      const enq = await api.ok(
        `mutation { trainSummaryScorer(options: { epochs: 30 }) { id } }`,
        {},
        n.keys.editor,
      );
      const job = await jobDone(enq.trainSummaryScorer.id);
      expect(job.status).toBe('COMPLETED');
      expect(job.result).toMatchObject({
        status: 'TRAINED',
        metric: 'valRouge1',
        version: 1,
        examples: src.length,
        baseline: { name: 'lead-3' },
      });
      expect(job.result.value).toBeGreaterThan(25);
      const mv = (
        await api.ok(
          `query($id: ID!) { modelVersion(id: $id) { id status metrics history notes } }`,
          { id: job.result.modelVersionId },
          n.keys.app,
        )
      ).modelVersion;
      expect(mv.metrics).toMatchObject({ validationPairs: 10, trainPairs: src.length - 10 });
      for (const k of ['valRouge1', 'valRouge2', 'valRougeL', 'leadRouge1'])
        expect(mv.metrics[k]).toBeGreaterThan(5);
      expect(mv.history).toHaveLength(30);
      // 10 held-out articles are too few to activate on (the gate needs 100, or k-fold): CANDIDATE.
      expect(mv.status).toBe('CANDIDATE');
      expect(job.result.modelStatus).toBe('CANDIDATE');
      expect(mv.notes).toMatch(/^kept as CANDIDATE: validated on 10 item\(s\)/);
      await api.ok(
        `mutation($id: ID!) { activateContentModel(id: $id) { id } }`,
        { id: mv.id },
        n.keys.editor,
      );
      const [s] = (
        await api.ok(SUMMARIZE, { input: { text: src[0], options: { engine: 'LOCAL' } } }, n.keys.editor)
      ).summarize.items;
      expect(s).toMatchObject({ engine: 'local:scorer', outputData: { modelVersionId: mv.id } });
      expect(s.engineVersion).toMatch(/summary-scorer@1$/);
    },
  );
});

describe('the LLM', () => {
  it('streams tokens to the subscription, records usage, flags an invented number, and carries the glossary', async () => {
    await api.ok(
      `mutation { upsertGlossaryTerm(input: { term: "Katmandu", preferredSpelling: "Kathmandu" }) { id } }`,
      {},
      n.keys.editor,
    );
    const before = Date.now();
    const d = await api.ok(
      SUMMARIZE,
      { input: { text: article, title: 'Nepal quake survivors' } },
      n.keys.editor,
    );
    expect(d.summarize.items).toEqual([]);
    const jobId = d.summarize.job.id;

    const ws = api.ws(n.keys.app);
    const tokens: string[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.subscribe(
        {
          query: `subscription($id: ID!) { generationTokens(jobId: $id) { jobId operation token index done status } }`,
          variables: { id: jobId },
        },
        {
          next: (m) => {
            const e = (m.data as { generationTokens?: { token: string | null; done: boolean } } | undefined)
              ?.generationTokens;
            if (e?.token) tokens.push(e.token);
            if (e?.done) resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await ws.dispose();
    const job = await jobDone(jobId);
    expect(job.status).toBe('COMPLETED');
    expect(tokens.join('')).toBe(llm.summary);

    const [item] = await itemsOfJob(jobId);
    expect(item).toMatchObject({
      kind: 'SUMMARY',
      engine: 'llm:test-llm',
      status: 'PENDING',
      fallback: null,
    });
    // The guardrails replaced the variant with the preferred spelling and flagged the number the article does not have.
    expect(item.output).toBe(llm.summary.replace('Katmandu', 'Kathmandu'));
    expect(item.guardrails).toMatchObject({
      passed: false,
      action: 'flag',
      policy: 'flag',
      unsupportedNumbers: ['9,999'],
    });
    expect(item.guardrails.issues).toContainEqual(
      expect.objectContaining({ kind: 'unsupported_number', severity: 'error' }),
    );
    expect(item.prompt).toContain('Kathmandu');
    expect(item.prompt).toContain(article.slice(0, 60));
    const system = llm.requests.at(-1)!.messages[0]!.content;
    expect(system).toMatch(/"Kathmandu" \(not "Katmandu"\)/);
    expect(llm.requests.at(-1)!.stream).toBe(true);

    const flagged = (
      await api.ok(
        `query($f: GeneratedItemFilter) { generatedItems(filter: $f) { edges { node { id } } } }`,
        { f: { flagged: true, engine: 'llm:' } },
        n.keys.app,
      )
    ).generatedItems.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(flagged).toEqual([item.id]);
    expect(
      (await api.ok(`{ generationEngines { llmModel maxSyncChars } }`, {}, n.keys.app)).generationEngines,
    ).toEqual({ llmModel: 'test-llm', maxSyncChars: 20000 });

    expect(job.result.llm).toMatchObject({ calls: 1, promptTokens: 321, completionTokens: 17 });
    const usage = (
      await api.ok(
        `query($since: DateTime) { llmUsage(since: $since) { calls promptTokens completionTokens totalTokens byOperation { key calls } byModel { key } byJob { key promptTokens } } }`,
        { since: new Date(before).toISOString() },
        n.keys.editor,
      )
    ).llmUsage;
    expect(usage).toMatchObject({
      calls: 1,
      promptTokens: 321,
      completionTokens: 17,
      totalTokens: 338,
      byOperation: [{ key: 'summary', calls: 1 }],
      byModel: [{ key: 'test-llm' }],
      byJob: [{ key: jobId, promptTokens: 321 }],
    });
  });

  it('falls back to the local engine when the LLM server is down, and says so', async () => {
    await llm.stop();
    const d = await api.ok(
      SUMMARIZE,
      { input: { text: article, title: 'Nepal quake survivors' } },
      n.keys.editor,
    );
    const job = await jobDone(d.summarize.job.id);
    expect(job.status).toBe('COMPLETED');
    // The local engine answers: the active trained scorer when there is one, else lead.
    expect(job.result.fallbacks).toEqual([
      expect.objectContaining({
        operation: 'summary',
        from: 'llm:test-llm',
        to: expect.stringMatching(/^local:(scorer|lead)$/),
      }),
    ]);
    const [item] = await itemsOfJob(job.id);
    expect(item).toMatchObject({
      kind: 'SUMMARY',
      engine: job.result.fallbacks[0].to,
      fallback: { from: 'llm:test-llm' },
    });
    expect(item.fallback.reason).toMatch(/failed|ECONNREFUSED|fetch/i);
    expect(item.prompt).toBeNull();
    expect(job.result.llm.calls).toBe(0);
  });
});
