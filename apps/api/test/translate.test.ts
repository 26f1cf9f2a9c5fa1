import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerRuntime } from '@media-ai/worker';
import { closeTranslationEngines } from '../src/translate/engines.js';
import {
  createNewsroom,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';

// Apertium alone, whatever this machine's environment says: the figures below are Apertium's.
for (const name of [
  'MEDIAAI_TRANSLATE_CONFIG',
  'LIBRETRANSLATE_URL',
  'LIBRETRANSLATE_API_KEY',
  'APERTIUM_APY_URL',
  'MEDIAAI_TRANSLATE_ROUTES',
]) {
  delete process.env[name];
}

let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime | undefined;
let n: TestNewsroom;
const config = testConfig({ WORKER_QUEUES: 'translate:1' });

const TRANSLATE = `query($text: String!, $from: String, $to: String!, $format: TranslationFormat) {
  translate(text: $text, from: $from, to: $to, format: $format) {
    text from to format engine provider route pivot warnings
    stats { sentences memoryHits humanMemoryHits fuzzyMemoryHits engineSentences glossaryApplied doNotTranslateApplied }
    sentences { source target origin matchScore matchedSource }
    detected { code reliable }
  }
}`;
const translate = async (vars: Record<string, unknown>) =>
  (await api.ok(TRANSLATE, vars, n.keys.editor)).translate;
const errorOf = async (query: string, vars: Record<string, unknown>, key = n.keys.editor) => {
  const r = await api.gql(query, vars, key);
  expect(r.errors, JSON.stringify(r.data)).toBeDefined();
  return r.errors![0];
};

beforeAll(async () => {
  api = await startTestApi(config);
  n = await createNewsroom(api.db, 'Translation Desk');
  const UPSERT = `mutation($input: GlossaryTermInput!) { upsertGlossaryTerm(input: $input) { id } }`;
  for (const input of [
    { term: 'Home Office', language: 'en', translations: { es: 'Ministerio del Interior británico' } },
    { term: 'Open Arms', language: 'en', doNotTranslate: true },
    { term: 'Washington Post', language: '', doNotTranslate: true },
  ]) {
    await api.ok(UPSERT, { input }, n.keys.editor);
  }
});

afterAll(async () => {
  await worker?.close(1000);
  await api?.close();
  await closeTranslationEngines();
});

describe('language identification', () => {
  it('tells the language of headlines, with a confidence', async () => {
    const data = await api.ok(
      `{
        pt: detectLanguage(text: "Governo anuncia novas medidas para conter a inflação") { code iso3 name confidence reliable model }
        es: detectLanguage(text: "El Gobierno aprueba la reforma de las pensiones") { code confidence reliable }
        ca: detectLanguage(text: "El Govern aprova el pressupost per a l'any vinent") { code confidence reliable alternatives { code } }
        en: detectLanguage(text: "STORM LEAVES THOUSANDS WITHOUT POWER IN THE NORTH") { code confidence reliable }
      }`,
      {},
      n.keys.app,
    );
    expect(data.pt).toMatchObject({
      code: 'pt',
      iso3: 'por',
      name: 'Portuguese',
      reliable: true,
      model: 'fasttext-lid.176+cld3',
    });
    for (const [code, detection] of Object.entries(data) as [
      string,
      { code: string; confidence: number; reliable: boolean },
    ][]) {
      expect(detection.code, code).toBe(code);
      expect(detection.reliable, code).toBe(true);
      expect(detection.confidence, code).toBeGreaterThan(0.6);
    }
  });
});

describe('synchronous translation', () => {
  it('translates HTML and keeps its markup, links and paragraphs', async () => {
    const html =
      '<p>The <b>mayor</b> of the city spoke on <a href="https://example.org/news">Monday</a>.</p><p>Schools will open tomorrow.</p>';
    const t = await translate({ text: html, from: 'en', to: 'es', format: 'HTML' });
    expect(t.text).toBe(
      '<p>El <b>alcalde</b> de la ciudad habló el <a href="https://example.org/news">lunes</a>.</p><p>Las escuelas abrirán mañana.</p>',
    );
    expect(t).toMatchObject({
      from: 'en',
      to: 'es',
      format: 'HTML',
      engine: 'apertium',
      provider: 'apertium',
      route: ['en', 'es'],
      pivot: null,
    });
    expect(t.stats).toMatchObject({ sentences: 2, engineSentences: 2 });
  });

  it('identifies the source language when it is not given', async () => {
    const t = await translate({ text: 'The city council approved the budget.', to: 'ca' });
    expect(t.detected).toMatchObject({ code: 'en', reliable: true });
    expect(t.from).toBe('en');
    expect(t.text).toMatch(/pressupost/);
  });

  it('enforces the newsroom glossary and its do-not-translate terms', async () => {
    const text =
      'The rescue ship Open Arms reached the port. The Washington Post said the Home Office was wrong.';
    const t = await translate({ text, from: 'en', to: 'es' });
    expect(t.text).toContain('Open Arms'); // Apertium alone says "las armas Abiertas"
    expect(t.text).toContain('Washington Post'); // and "Poste de Washington"
    expect(t.text).toContain('Ministerio del Interior británico');
    expect(t.stats).toMatchObject({ glossaryApplied: 1, doNotTranslateApplied: 2 });
    // the glossary requires a translation for Spanish only
    const ca = await translate({ text: 'The Home Office published the figures.', from: 'en', to: 'ca' });
    expect(ca.text).not.toContain('británico');
    expect(ca.stats.glossaryApplied).toBe(0);
  });

  it('reuses the translation memory, and an editor’s correction wins from then on', async () => {
    const text = 'The storm closed the roads in the valley. Trains are running again.';
    const first = await translate({ text, from: 'en', to: 'es' });
    expect(first.stats).toMatchObject({ sentences: 2, memoryHits: 0, engineSentences: 2 });
    const second = await translate({ text, from: 'en', to: 'es' });
    expect(second.stats).toMatchObject({ sentences: 2, memoryHits: 2, engineSentences: 0 });
    expect(second.text).toBe(first.text);
    expect(second.sentences.map((s: { origin: string }) => s.origin)).toEqual([
      'MEMORY_MACHINE',
      'MEMORY_MACHINE',
    ]);

    const corrected = await api.ok(
      `mutation($s: String!, $t: String!) {
        correctTranslation(sourceLanguage: "en", targetLanguage: "es", source: $s, target: $t) { id origin engine source target sourceLanguage targetLanguage }
      }`,
      { s: 'The storm closed the roads in the valley.', t: 'El temporal cortó las carreteras del valle.' },
      n.keys.editor,
    );
    expect(corrected.correctTranslation).toEqual([
      expect.objectContaining({
        origin: 'HUMAN',
        engine: null,
        sourceLanguage: 'en',
        targetLanguage: 'es',
        target: 'El temporal cortó las carreteras del valle.',
      }),
    ]);
    const third = await translate({ text, from: 'en', to: 'es' });
    expect(third.text).toMatch(/^El temporal cortó las carreteras del valle\. /);
    expect(third.stats).toMatchObject({ memoryHits: 2, humanMemoryHits: 1 });
    expect(third.sentences[0]).toMatchObject({ origin: 'MEMORY_HUMAN', matchScore: 1, matchedSource: null });
    // a nearly identical sentence (one word of nine differs only in case) reuses the correction: a fuzzy match
    const near = await translate({ text: 'The storm closed the roads in the Valley.', from: 'en', to: 'es' });
    expect(near.text).toBe('El temporal cortó las carreteras del valle.');
    expect(near.stats).toMatchObject({ memoryHits: 1, fuzzyMemoryHits: 1, engineSentences: 0 });
    expect(near.sentences[0]).toMatchObject({
      origin: 'MEMORY_FUZZY',
      matchedSource: 'The storm closed the roads in the valley.',
    });
    expect(near.sentences[0].matchScore).toBeCloseTo(1 - 1 / 9, 3);

    const memory = await api.ok(
      `query($filter: TranslationMemoryFilter) { translationMemory(first: 10, filter: $filter) { totalCount edges { node { id origin hits source target } } } }`,
      { filter: { search: 'storm closed', targetLanguage: 'es' } },
      n.keys.editor,
    );
    expect(memory.translationMemory.totalCount).toBe(2); // the machine entry and the correction
    const entries = memory.translationMemory.edges.map((e: { node: any }) => e.node);
    const human = entries.find((e: { origin: string }) => e.origin === 'HUMAN');
    const machine = entries.find((e: { origin: string }) => e.origin === 'MACHINE');
    expect(human.hits).toBe(1); // used by the third translation
    expect(machine.hits).toBe(1); // used by the second only: the correction took its place

    // removing the correction brings the machine translation back
    await api.ok(
      `mutation($id: ID!) { deleteTranslationMemoryEntry(id: $id) }`,
      { id: human.id },
      n.keys.editor,
    );
    expect((await translate({ text, from: 'en', to: 'es' })).text).toBe(first.text);
    const gone = await api.gql(
      `mutation($id: ID!) { deleteTranslationMemoryEntry(id: $id) }`,
      { id: human.id },
      n.keys.editor,
    );
    expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('translates a pair without an Apertium mode through a pivot, and lists pairs and languages', async () => {
    const t = await translate({ text: 'O presidente visitou a cidade ontem.', from: 'pt', to: 'en' });
    expect(t.text).toBe('The president visited the city yesterday.');
    expect(t).toMatchObject({ route: ['pt', 'es', 'en'], pivot: ['es'], engine: 'apertium' });

    const data = await api.ok(
      `{ translationPairs { from to via pivot provider engine } translationLanguages { code name asSource asTarget }
         ptEn: translationPairs(from: "por", to: "eng") { from to via } }`,
      {},
      n.keys.app,
    );
    expect(data.translationPairs).toContainEqual({
      from: 'pt',
      to: 'en',
      via: ['es'],
      pivot: true,
      provider: 'apertium',
      engine: 'apertium',
    });
    expect(data.translationPairs).toContainEqual({
      from: 'en',
      to: 'es',
      via: [],
      pivot: false,
      provider: 'apertium',
      engine: 'apertium',
    });
    expect(data.ptEn).toEqual([{ from: 'pt', to: 'en', via: ['es'] }]);
    expect(data.translationLanguages).toContainEqual({
      code: 'pt',
      name: 'Portuguese',
      asSource: true,
      asTarget: true,
    });
  });

  it('answers bad input with BAD_USER_INPUT and a message saying what to fix', async () => {
    const unknown = await errorOf(TRANSLATE, { text: 'Hello.', from: 'en', to: 'xx' });
    expect(unknown.extensions).toMatchObject({ code: 'BAD_USER_INPUT', translateCode: 'UNKNOWN_LANGUAGE' });
    expect(unknown.message).toMatch(/Unknown language "xx"/);

    const pair = await errorOf(TRANSLATE, { text: 'Hello.', from: 'en', to: 'ja' });
    expect(pair.extensions).toMatchObject({ code: 'BAD_USER_INPUT', translateCode: 'UNSUPPORTED_PAIR' });
    expect(pair.message).toMatch(/English to Japanese.*translationPairs/);

    const empty = await errorOf(TRANSLATE, { text: '   ', from: 'en', to: 'es' });
    expect(empty.extensions).toMatchObject({ code: 'BAD_USER_INPUT', translateCode: 'EMPTY_TEXT' });

    const long = await errorOf(TRANSLATE, {
      text: 'The storm hit the coast. '.repeat(250),
      from: 'en',
      to: 'es',
    });
    expect(long.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      translateCode: 'TEXT_TOO_LARGE',
      limit: 5000,
    });
    expect(long.message).toMatch(/6,250 characters.*translateContent/);

    const blank = await errorOf(`{ detectLanguage(text: "") { code } }`, {});
    expect(blank.extensions?.code).toBe('BAD_USER_INPUT');

    const uneven = await errorOf(
      `mutation { correctTranslation(sourceLanguage: "en", targetLanguage: "es", source: "One. Two.", target: "Uno. Dos. Tres.") { id } }`,
      {},
    );
    expect(uneven.message).toMatch(/2 sentences and target 3/);
  });
});

describe('batch forms', () => {
  const BATCH = `query($texts: [String!]!, $from: String, $to: String!, $format: TranslationFormat) {
    translateBatch(texts: $texts, from: $from, to: $to, format: $format) {
      text from to engine stats { sentences memoryHits engineSentences glossaryApplied doNotTranslateApplied } detected { code }
    }
  }`;

  it('translates many fields in one request, in their order, the same as one at a time', async () => {
    const texts = [
      'The mayor of the city spoke on Monday.',
      'Schools will open tomorrow.',
      'The rescue ship Open Arms reached the port.',
      'The mayor of the city spoke on Monday.', // a repeated field
    ];
    const batch = (await api.ok(BATCH, { texts, from: 'en', to: 'es' }, n.keys.app)).translateBatch;
    expect(batch).toHaveLength(4);
    expect(batch[0].text).toBe('El alcalde de la ciudad habló el lunes.');
    expect(batch[1].text).toBe('Las escuelas abrirán mañana.');
    expect(batch[2].text).toContain('Open Arms'); // the newsroom's do-not-translate term
    expect(batch[2].stats.doNotTranslateApplied).toBe(1);
    expect(batch[3].text).toBe(batch[0].text);
    expect(batch.map((t: { from: string; to: string }) => `${t.from}>${t.to}`)).toEqual(
      Array(4).fill('en>es'),
    );
    // stored in the memory like single translations: the single form now reads them from it
    const single = await translate({ text: texts[1], from: 'en', to: 'es' });
    expect(single.text).toBe(batch[1].text);
    expect(single.stats).toMatchObject({ memoryHits: 1, engineSentences: 0 });
  });

  it('answers the translate fields of one request together, each with its own answer or error', async () => {
    const fields = `
      a: translate(text: "The house is big.", from: "en", to: "es") { text }
      b: translate(text: "The storm closed the roads.", from: "en", to: "es") { text }
      d: translate(text: "La casa es grande.", from: "es", to: "en") { text }`;
    const ok = await api.ok(`{ ${fields} }`, {}, n.keys.app);
    expect(ok.a.text).toBe('La casa es grande.');
    expect(ok.b.text).toBe('La tormenta cerró las carreteras.');
    expect(ok.d.text).toBe('The house is big.');
    // a field that cannot be translated fails alone, with its own error
    const bad = await api.gql(
      `{ ${fields} c: translate(text: "Hello.", from: "en", to: "ja") { text } }`,
      {},
      n.keys.app,
    );
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors![0]).toMatchObject({
      path: ['c'],
      extensions: { code: 'BAD_USER_INPUT', translateCode: 'UNSUPPORTED_PAIR' },
    });
  });

  it('identifies each text’s language when from is auto', async () => {
    const batch = (
      await api.ok(
        BATCH,
        {
          texts: ['El Gobierno aprueba la reforma de las pensiones', 'The city council approved the budget.'],
          to: 'ca',
        },
        n.keys.app,
      )
    ).translateBatch;
    expect(batch.map((t: { detected: { code: string } }) => t.detected.code)).toEqual(['es', 'en']);
    expect(batch[0].text).toMatch(/Govern/);
    expect(batch[1].text).toMatch(/pressupost/);
  });

  it('detects the language of many texts in one request', async () => {
    const data = await api.ok(
      `query($texts: [String!]!) { detectLanguageBatch(texts: $texts) { code reliable } }`,
      {
        texts: [
          'Governo anuncia novas medidas para conter a inflação',
          'El Gobierno aprueba la reforma de las pensiones',
          'STORM LEAVES THOUSANDS WITHOUT POWER IN THE NORTH',
        ],
      },
      n.keys.app,
    );
    expect(data.detectLanguageBatch.map((d: { code: string }) => d.code)).toEqual(['pt', 'es', 'en']);
  });

  it('refuses a batch over the limits with BAD_USER_INPUT saying which limit, translating nothing', async () => {
    const many = await errorOf(BATCH, { texts: Array(101).fill('Hello.'), from: 'en', to: 'es' });
    expect(many.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(many)).toMatch(/at most 100 texts/);

    const big = await errorOf(BATCH, {
      texts: Array(11).fill('The storm hit the coast. '.repeat(190)),
      from: 'en',
      to: 'es',
    });
    expect(big.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      translateCode: 'TEXT_TOO_LARGE',
      limit: 50_000,
    });
    expect(big.message).toMatch(/52,250 characters in all/);

    const one = await errorOf(BATCH, { texts: ['Fine.', 'x '.repeat(2600)], from: 'en', to: 'es' });
    expect(one.extensions).toMatchObject({ translateCode: 'TEXT_TOO_LARGE', index: 1, limit: 5000 });
    expect(one.message).toMatch(/^Text 2 has 5,200 characters/);

    const empty = await errorOf(BATCH, { texts: ['Fine.', ' '], from: 'en', to: 'es' });
    expect(empty.extensions).toMatchObject({ translateCode: 'EMPTY_TEXT' });
    expect(empty.message).toMatch(/^Text 2 is empty/);

    const detect = await errorOf(
      `query($texts: [String!]!) { detectLanguageBatch(texts: $texts) { code } }`,
      {
        texts: Array(3).fill('x'.repeat(40_000)),
      },
    );
    expect(detect.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 100_000 });
  });
});

describe('translateContent job', () => {
  const TRANSLATE_CONTENT = `mutation($id: ID!, $to: [String!]!) { translateContent(contentId: $id, targetLanguages: $to) { id type status input } }`;
  const JOB = `query($id: ID!) { job(id: $id) { id status progress result error errorCode retryable attempts } }`;
  const waitForJob = async (id: string) => {
    const end = Date.now() + 60_000;
    for (;;) {
      const job = (await api.ok(JOB, { id }, n.keys.editor)).job;
      if (['COMPLETED', 'FAILED'].includes(job.status)) return job;
      if (Date.now() > end) throw new Error(`job ${id} still ${job.status}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };

  it('translates an article into several languages with progress, as linked content items, and updates them when run again', async () => {
    const body =
      '<h2>Storm warning</h2><p>The rescue ship <b>Open Arms</b> reached the port on <a href="https://example.org/live">Monday</a>.</p>' +
      '<p>The Home Office published the figures.</p><p>Schools in the region will stay closed.</p>';
    const created = await api.ok(
      `mutation($input: ContentInput!) { createContent(input: $input) { id } }`,
      {
        input: {
          title: 'Storm leaves thousands without power',
          body,
          language: 'en',
          tags: ['weather', 'uk'],
          category: 'news',
          type: 'ARTICLE',
        },
      },
      n.keys.editor,
    );
    const originalId = created.createContent.id as string;

    worker = await startWorker(config, silentLog());
    const ws = api.ws(n.keys.editor);
    const events: { jobId: string; status: string; progress: number; message: string | null; data: any }[] =
      [];
    let jobId = '';
    const finished = new Promise<void>((resolve, reject) => {
      ws.subscribe(
        { query: `subscription { jobProgress { jobId status progress message data } }` },
        {
          next: (m) => {
            const e = (m.data as { jobProgress?: (typeof events)[number] } | undefined)?.jobProgress;
            if (!e) return;
            events.push(e);
            if (e.jobId === jobId && ['COMPLETED', 'FAILED'].includes(e.status)) resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await new Promise((r) => setTimeout(r, 300)); // let the subscription settle
    const job = (await api.ok(TRANSLATE_CONTENT, { id: originalId, to: ['es', 'pt'] }, n.keys.editor))
      .translateContent;
    jobId = job.id;
    expect(job).toMatchObject({ type: 'translate.content', status: 'QUEUED' });
    expect(job.input).toMatchObject({
      contentId: originalId,
      targetLanguages: ['es', 'pt'],
      sourceLanguage: 'en',
      format: 'html',
    });
    await Promise.race([finished, waitForJob(jobId)]);
    const done = await waitForJob(jobId);
    await ws.dispose();
    expect(done.status, done.error).toBe('COMPLETED');

    const progress = events.filter(
      (e) => e.jobId === jobId && e.status === 'ACTIVE' && /sentences/.test(e.message ?? ''),
    );
    expect(progress.map((e) => e.message)).toContainEqual(expect.stringMatching(/^Spanish \(1 of 2\)/));
    expect(progress.map((e) => e.message)).toContainEqual(expect.stringMatching(/^Portuguese \(2 of 2\)/));
    expect(progress.map((e) => e.progress)).toEqual(
      [...progress.map((e) => e.progress)].sort((a, b) => a - b),
    );

    const result = done.result as { sourceLanguage: string; translations: any[] };
    expect(result.sourceLanguage).toBe('en');
    expect(result.translations).toEqual([
      expect.objectContaining({
        language: 'es',
        status: 'CREATED',
        engine: 'apertium',
        route: ['en', 'es'],
        glossaryApplied: 1,
      }),
      expect.objectContaining({
        language: 'pt',
        status: 'CREATED',
        engine: 'apertium',
        route: ['en', 'es', 'pt'],
      }),
    ]);

    const ITEM = `query($id: ID!) { contentItem(id: $id) { translations { id language title body type category tags status originalId } } }`;
    const translations = (await api.ok(ITEM, { id: originalId }, n.keys.editor)).contentItem
      .translations as any[];
    expect(translations).toHaveLength(2);
    const es = translations.find((t) => t.language === 'es');
    expect(es).toMatchObject({
      originalId,
      type: 'ARTICLE',
      category: 'news',
      tags: ['weather', 'uk'],
      status: 'DRAFT',
    });
    expect(es.id).toBe(result.translations[0].contentId);
    expect(es.title).toMatch(/tormenta/i);
    expect(es.body).toContain('<h2>');
    expect(es.body).toContain('<b>Open Arms</b>');
    expect(es.body).toContain('<a href="https://example.org/live">lunes</a>');
    expect(es.body).toContain('Ministerio del Interior británico');
    const pt = translations.find((t) => t.language === 'pt');
    expect(pt.body).toContain('<b>Open Arms</b>');
    expect(pt.body).toContain('href="https://example.org/live"');

    // run again after an edit: the Spanish item is updated, not duplicated, and unchanged sentences come from memory
    await api.ok(
      `mutation($id: ID!) { updateContent(id: $id, patch: { title: "Storm leaves the north without power" }) { id } }`,
      { id: originalId },
      n.keys.editor,
    );
    const again = (await api.ok(TRANSLATE_CONTENT, { id: originalId, to: ['es'] }, n.keys.editor))
      .translateContent;
    const redone = await waitForJob(again.id);
    expect(redone.status, redone.error).toBe('COMPLETED');
    expect(redone.result.translations[0]).toMatchObject({
      language: 'es',
      status: 'UPDATED',
      contentId: es.id,
    });
    // the heading and the last sentence; sentences with glossary terms are translated afresh, the new title too
    expect(redone.result.translations[0]).toMatchObject({ sentences: 5, memoryHits: 2 });
    const after = (await api.ok(ITEM, { id: originalId }, n.keys.editor)).contentItem.translations as any[];
    expect(after).toHaveLength(2);
    expect(after.find((t) => t.language === 'es').title).toMatch(/norte/);
  });

  it('refuses bad requests before queueing, and fails a bad queued job at once without retries', async () => {
    const item = await api.ok(
      `mutation { createContent(input: { title: "Local elections", body: "Polls open at eight.", language: "en" }) { id } }`,
      {},
      n.keys.editor,
    );
    const id = item.createContent.id;
    const pair = await errorOf(TRANSLATE_CONTENT, { id, to: ['es', 'ja'] });
    expect(pair.extensions).toMatchObject({ code: 'BAD_USER_INPUT', translateCode: 'UNSUPPORTED_PAIR' });
    const same = await errorOf(TRANSLATE_CONTENT, { id, to: ['en'] });
    expect(same.message).toMatch(/language of the item/);
    const none = await errorOf(TRANSLATE_CONTENT, { id, to: [] });
    expect(none.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await errorOf(TRANSLATE_CONTENT, {
      id: '00000000-0000-4000-8000-000000000000',
      to: ['es'],
    });
    expect(missing.extensions?.code).toBe('NOT_FOUND');
    const forbidden = await errorOf(TRANSLATE_CONTENT, { id, to: ['es'] }, n.keys.app);
    expect(forbidden.extensions?.code).toBe('FORBIDDEN');

    const queued = await api.ok(
      `mutation($input: EnqueueJobInput!) { enqueueJob(input: $input) { id } }`,
      { input: { type: 'translate.content', payload: { contentId: id, targetLanguages: ['xx'] } } },
      n.keys.editor,
    );
    const failed = await waitForJob(queued.enqueueJob.id);
    expect(failed).toMatchObject({
      status: 'FAILED',
      errorCode: 'UNKNOWN_LANGUAGE',
      retryable: false,
      attempts: 1,
    });
    expect(failed.error).toMatch(/Unknown language "xx"/);
  });
});
