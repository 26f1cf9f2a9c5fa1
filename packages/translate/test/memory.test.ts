import { describe, expect, it } from 'vitest';
import { InMemoryTranslationMemory, memoryKey, translateDocument } from '../src/index.js';
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
