import { describe, expect, it } from 'vitest';
import { InMemoryTranslationMemory, memoryKey, translateDocument, translateDocuments } from '../src/index.js';
import { UpperCaseEngine } from './fakes.js';

const TEXT = 'The storm hit the coast. Roads are closed.\nSchools open on Monday.';

describe('translation memory', () => {
  it('reuses sentences on a second run without calling the engine', async () => {
    const memory = new InMemoryTranslationMemory();
    const engine = new UpperCaseEngine();
    const first = await translateDocument({ text: TEXT, from: 'en', to: 'es', engine, memory });
    expect(first.stats).toMatchObject({ sentences: 3, memoryHits: 0, engineSentences: 3 });
    const second = await translateDocument({
      text: `${TEXT}\nA new sentence.`,
      from: 'en',
      to: 'es',
      engine,
      memory,
    });
    expect(second.stats).toMatchObject({ sentences: 4, memoryHits: 3, engineSentences: 1 });
    expect(engine.calls.at(-1)).toEqual(['A new sentence.']);
    expect(second.text).toBe(
      'THE STORM HIT THE COAST. ROADS ARE CLOSED.\nSCHOOLS OPEN ON MONDAY.\nA NEW SENTENCE.',
    );
  });

  it("uses an editor's correction over machine output, from any engine, and keeps it", async () => {
    const memory = new InMemoryTranslationMemory();
    await translateDocument({ text: TEXT, from: 'en', to: 'es', engine: new UpperCaseEngine(), memory });
    await memory.store('eng', 'spa', [
      {
        source: memoryKey('Roads are closed.'),
        target: 'Las carreteras están cortadas.',
        origin: 'human',
        engine: null,
      },
    ]);
    const other = new UpperCaseEngine('another-engine');
    const result = await translateDocument({ text: TEXT, from: 'en', to: 'es', engine: other, memory });
    expect(result.text).toBe(
      'THE STORM HIT THE COAST. Las carreteras están cortadas.\nSCHOOLS OPEN ON MONDAY.',
    );
    expect(result.stats).toMatchObject({ memoryHits: 1, humanMemoryHits: 1, engineSentences: 2 }); // machine entries of another engine are not reused
    expect(result.sentences.map((s) => s.origin)).toEqual(['engine', 'memory-human', 'engine']);
    // a later machine run must not overwrite the correction
    const again = await translateDocument({
      text: 'Roads are closed.',
      from: 'en',
      to: 'es',
      engine: other,
      memory,
    });
    expect(again.text).toBe('Las carreteras están cortadas.');
  });

  it('never lets a machine entry replace a human one, and returns human entries to any engine', async () => {
    const memory = new InMemoryTranslationMemory();
    await memory.store('eng', 'spa', [
      { source: 'The house.', target: 'La casa.', origin: 'human', engine: null },
    ]);
    await memory.store('eng', 'spa', [
      { source: 'The  house. ', target: 'LA CASA.', origin: 'machine', engine: 'upper' },
    ]);
    const found = await memory.lookup('eng', 'spa', ['The house.']);
    expect(found.get('The house.')).toEqual({ target: 'La casa.', origin: 'human', engine: null });
    expect((await memory.lookup('eng', 'cat', ['The house.'])).size).toBe(0);
  });

  it('matches sentences with markup whatever the tags, and normalises whitespace', async () => {
    const memory = new InMemoryTranslationMemory();
    await memory.store('eng', 'spa', [
      { source: 'Click ⟦1⟧here⟦2⟧ now.', target: 'Pulse ⟦1⟧aquí⟦2⟧ ya.', origin: 'human', engine: null },
    ]);
    const engine = new UpperCaseEngine();
    const result = await translateDocument({
      text: '<p>Click   <a href="/b">here</a> now.</p>',
      format: 'html',
      from: 'en',
      to: 'es',
      engine,
      memory,
    });
    expect(result.text).toBe('<p>Pulse <a href="/b">aquí</a> ya.</p>');
    expect(engine.calls).toHaveLength(0);
  });

  it('reports progress up to the total', async () => {
    const seen: Array<[number, number]> = [];
    await translateDocument({
      text: Array.from({ length: 10 }, (_, i) => `Sentence number ${i}.`).join(' '),
      from: 'en',
      to: 'es',
      engine: new UpperCaseEngine(),
      batchSize: 4,
      onProgress: ({ done, total }) => void seen.push([done, total]),
    });
    expect(seen.at(-1)).toEqual([10, 10]);
    expect(seen.map(([done]) => done)).toEqual([0, 4, 8, 10]);
  });
});

describe('several documents in one call', () => {
  it('sends each distinct sentence once, looks the memory up once and keeps each document apart', async () => {
    const memory = new InMemoryTranslationMemory();
    const engine = new UpperCaseEngine();
    await memory.store('eng', 'spa', [
      {
        source: memoryKey('Roads are closed.'),
        target: 'Carreteras cerradas.',
        origin: 'human',
        engine: null,
      },
    ]);
    const results = await translateDocuments({
      texts: ['The storm hit the coast. Roads are closed.', 'Roads are closed.', 'The storm hit the coast.'],
      from: 'en',
      to: 'es',
      engine,
      memory,
    });
    expect(results.map((r) => r.text)).toEqual([
      'THE STORM HIT THE COAST. Carreteras cerradas.',
      'Carreteras cerradas.',
      'THE STORM HIT THE COAST.',
    ]);
    expect(engine.calls).toEqual([['The storm hit the coast.']]);
    expect(results[0].stats).toMatchObject({
      sentences: 2,
      memoryHits: 1,
      humanMemoryHits: 1,
      engineSentences: 1,
    });
    expect(results[1].stats).toMatchObject({ sentences: 1, memoryHits: 1, engineSentences: 0 });
    expect(results[2].stats).toMatchObject({ sentences: 1, memoryHits: 0, engineSentences: 1 });
  });

  it('groups texts by their identified language when from is auto', async () => {
    const engine = new UpperCaseEngine();
    const results = await translateDocuments({
      texts: [
        'El Gobierno aprueba la reforma de las pensiones',
        'The government approves the pension reform',
      ],
      from: 'auto',
      to: 'en',
      engine,
    });
    expect(results.map((r) => r.from)).toEqual(['spa', 'eng']);
    expect(results[0].text).toBe('EL GOBIERNO APRUEBA LA REFORMA DE LAS PENSIONES');
    expect(results[1].text).toBe('The government approves the pension reform'); // already English
    expect(engine.calls).toHaveLength(1);
  });

  it('names the text that is empty or too long', async () => {
    const engine = new UpperCaseEngine();
    await expect(
      translateDocuments({ texts: ['Fine.', '  '], from: 'en', to: 'es', engine }),
    ).rejects.toMatchObject({ code: 'EMPTY_TEXT', message: expect.stringMatching(/^Text 2 is empty/) });
    await expect(
      translateDocuments({ texts: ['Fine.', 'x'.repeat(20)], from: 'en', to: 'es', engine, maxChars: 10 }),
    ).rejects.toMatchObject({ code: 'TEXT_TOO_LARGE', details: { index: 1, limit: 10 } });
    expect(engine.calls).toHaveLength(0);
  });
});
