import { afterAll, describe, expect, it } from 'vitest';
import {
  ApertiumEngine,
  NullFlushPipeline,
  isTranslateError,
  nullFlushCommand,
  translateDocument,
} from '../src/index.js';
import { HAS_APERTIUM, NO_APERTIUM_REASON } from './fakes.js';

describe('null-flush command from a mode file', () => {
  it('adds -z to every stage, sets the generator flag and drops the tagger option', () => {
    const mode =
      "lt-proc 'a b/eng-spa.automorf.bin' | apertium-tagger -g $2 'x.prob' | lt-proc $1 'gen.bin' | lt-proc -z -p 'p.bin'";
    expect(nullFlushCommand(mode)).toBe(
      "lt-proc -z 'a b/eng-spa.automorf.bin' | apertium-tagger -z -g x.prob | lt-proc -z -n gen.bin | lt-proc -z -p p.bin",
    );
    expect(nullFlushCommand(mode, { markUnknown: true })).toContain('lt-proc -z -g gen.bin');
  });
});

describe('NullFlushPipeline', () => {
  it('answers requests in order from one process', async () => {
    const pipeline = new NullFlushPipeline({ name: 'echo', command: "sed -u -z 's/^/>/'" });
    const answers = await Promise.all(['a', 'b', 'c'].map((text) => pipeline.request(text)));
    expect(answers).toEqual(['>a', '>b', '>c']);
    expect(pipeline.stats()).toMatchObject({ starts: 1, requests: 3 });
    await pipeline.close();
  });

  it('times out a hung pipeline with ENGINE_TIMEOUT and starts a fresh one for the next request', async () => {
    const pipeline = new NullFlushPipeline({
      name: 'hang',
      command: "read -r -d '' line; sleep 30",
      timeoutMs: 300,
      timeoutPerCharMs: 0,
    });
    const error = await pipeline.request('x').catch((e: unknown) => e);
    expect(isTranslateError(error, 'ENGINE_TIMEOUT')).toBe(true);
    await expect(pipeline.request('y')).rejects.toMatchObject({ code: 'ENGINE_TIMEOUT' });
    expect(pipeline.stats().starts).toBe(2);
    await pipeline.close();
  });

  it('retries once when the pipeline dies, then reports ENGINE_FAILED with its stderr', async () => {
    const pipeline = new NullFlushPipeline({
      name: 'crash',
      command: 'echo "boom: model missing" >&2; exit 3',
    });
    const error = await pipeline.request('x').catch((e: unknown) => e);
    expect(isTranslateError(error, 'ENGINE_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/boom: model missing/);
    expect(pipeline.stats().starts).toBe(2);
  });
});

describe.skipIf(!HAS_APERTIUM)(`Apertium engine (${HAS_APERTIUM ? 'installed' : NO_APERTIUM_REASON})`, () => {
  const engine = new ApertiumEngine();
  afterAll(() => engine.close());

  it('discovers direct pairs and pivot routes from the installed modes', async () => {
    const pairs = await engine.pairs();
    expect(pairs).toContainEqual({ from: 'eng', to: 'spa', via: [] });
    expect(pairs).toContainEqual({ from: 'spa', to: 'por', via: [] });
    expect(pairs).toContainEqual({ from: 'por', to: 'eng', via: ['spa'] });
    expect(pairs).toContainEqual({ from: 'eng', to: 'por', via: ['spa'] });
  });

  it('translates English to Spanish with one warm pipeline', async () => {
    const first = await engine.translate(['The government of the city is green.'], 'en', 'es');
    expect(first.texts[0]).toBe('El gobierno de la ciudad es verde.');
    const second = await engine.translate(['The house.', 'The big news of the day'], 'eng', 'spa');
    expect(second.texts).toEqual(['La casa.', 'El grande noticioso del día']);
    expect(engine.stats()['eng-spa']).toMatchObject({ starts: 1, requests: 3 });
  });

  it('pivots Portuguese to English through Spanish', async () => {
    const result = await engine.translate(['O presidente disse que a economia está a crescer.'], 'pt', 'en');
    expect(result.route).toEqual(['por', 'spa', 'eng']);
    expect(result.texts[0]).toBe('The president said that the economy is growing.');
    const doc = await translateDocument({ text: 'A casa é grande.', from: 'por', to: 'eng', engine });
    expect(doc.text).toBe('The house is big.');
    expect(doc.stats.pivot).toEqual(['spa']);
  });

  it('keeps stream-format characters and placeholders intact', async () => {
    const result = await engine.translate(
      ['The file C:\\x1\\[y2] costs $5 {7} ^ / @ <b>now</b>.', 'Click ⟦1⟧here⟦2⟧ now.'],
      'en',
      'es',
    );
    for (const kept of ['C:\\x1\\[y2]', '$5', '{7}', '^ / @', '<b>', '</b>'])
      expect(result.texts[0]).toContain(kept);
    expect(result.texts[1]).toBe('Clic ⟦1⟧aquí⟦2⟧ ahora.');
  });

  it('reads an inline code span as a word: the next word keeps its case and its part of speech', async () => {
    const md = async (text: string) =>
      (await translateDocument({ text, format: 'markdown', from: 'en', to: 'es', engine })).text;
    // before: "`ls` Listas las limas …" (the span was left out and "lists" read as a sentence-initial noun)
    expect(await md('`ls` lists the files in the folder.')).toBe('`ls` lista las limas en la carpeta.');
    expect(await md('The command `ls` lists the files.')).toBe('La orden `ls` lista las limas.');
    // formatting against a word stays a blank, and a span at the end stays in its sentence
    expect(await md('The **storm** reached the coast.')).toBe('La **tormenta** logró la costa.');
    expect(await md('Open the file with `vim`')).toBe('Abierto la lima con `vim`');
  });

  it('picks a target variant when asked (ca-valencia, pt-BR)', async () => {
    await engine.translate(['La casa.'], 'es', 'ca-valencia');
    await engine.translate(['La casa.'], 'es', 'pt-BR');
    expect(Object.keys(engine.stats())).toEqual(expect.arrayContaining(['spa-cat_valencia', 'es-pt_BR']));
  });

  it('restarts a pipeline that was killed', async () => {
    await engine.translate(['One.'], 'es', 'en');
    const before = engine.stats()['spa-eng'].starts;
    await engine.close();
    expect((await engine.translate(['La casa.'], 'es', 'en')).texts).toEqual(['The house.']);
    expect(engine.stats()['spa-eng'].starts).toBe(before + 1);
  });

  it('rejects a pair with no mode and no route', async () => {
    await expect(engine.translate(['Hallo'], 'de', 'en')).rejects.toMatchObject({ code: 'UNSUPPORTED_PAIR' });
  });
});
