import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ApertiumEngine,
  InMemoryTranslationMemory,
  carryOver,
  fuzzyScore,
  memoryKey,
  translateDocument,
} from '../src/index.js';
import { HAS_APERTIUM, NO_APERTIUM_REASON } from './fakes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const newstest = path.resolve(here, '../../../../shared/data/text/newstest2013');
const HAS_DATA = existsSync(path.join(newstest, 'eng.txt'));
const why = !HAS_APERTIUM ? NO_APERTIUM_REASON : !HAS_DATA ? 'shared/data/text/newstest2013 is absent' : '';
if (why) console.warn(`skipping fuzzy translation memory tests on real sentences: ${why}`);

describe('fuzzy match scores and carrying a translation over', () => {
  it('scores word-level similarity and carries over numbers, names, case and punctuation only', () => {
    expect(fuzzyScore('The storm hit the coast.', 'The storm hit the coast.')).toBe(1);
    expect(
      fuzzyScore('The storm hit the coast on Monday.', 'The storm hit the coast on Tuesday.'),
    ).toBeCloseTo(1 - 1 / 8, 10);
    expect(carryOver('It cost 7 euros.', 'It cost 5 euros.', 'Costó 5 euros.')).toBe('Costó 7 euros.');
    expect(
      carryOver('Smith met ⟦1⟧Jones⟦2⟧.', 'Smith met ⟦1⟧Brown⟦2⟧.', 'Smith conoció a ⟦1⟧Brown⟦2⟧.'),
    ).toBe('Smith conoció a ⟦1⟧Jones⟦2⟧.');
    expect(
      carryOver('the storm hit the coast', 'The storm hit the coast.', 'La tormenta azotó la costa.'),
    ).toBe('La tormenta azotó la costa.');
    // a word the translation renders differently cannot be carried over
    expect(
      carryOver('The storm hit on Tuesday.', 'The storm hit on Monday.', 'La tormenta llegó el lunes.'),
    ).toBeNull();
    // nor a lower-case word the translation happens to hold: a cognate, not the word carried over
    // (newstest2013 line 304: "It's normal …" / "Es normal …")
    expect(
      carryOver('It is remarkable for them.', 'It is normal for them.', 'Es normal para ellos.'),
    ).toBeNull();
    // nor a number that appears twice in the translation
    expect(carryOver('From 3 to 4.', 'From 2 to 2.', 'De 2 a 2.')).toBeNull();
  });
});

describe.skipIf(!!why)('fuzzy translation memory with Apertium on WMT newstest2013 sentences', () => {
  const engine = new ApertiumEngine();
  afterAll(() => engine.close());
  const eng = HAS_DATA ? readFileSync(path.join(newstest, 'eng.txt'), 'utf8').split('\n') : [];
  const spa = HAS_DATA ? readFileSync(path.join(newstest, 'spa.txt'), 'utf8').split('\n') : [];

  it("reuses an editor's correction for a nearly identical sentence, with its score; other sentences go to the engine", async () => {
    // line 10: "As a result, 180 bills restricting the exercise of the right to vote in 41 States were introduced in 2011 alone."
    const source = eng[9]!;
    const corrected = spa[9]!;
    expect(source).toMatch(/180 bills/);
    const memory = new InMemoryTranslationMemory();
    await memory.store('eng', 'spa', [
      { source: memoryKey(source), target: corrected, origin: 'human', engine: null },
    ]);

    const variant = source.replace('180', '210');
    const unrelated = eng[3]!; // "Indeed, Republican lawyers identified only 300 cases …"
    const changedWord = source.replace('2011 alone', '2011 too');
    const translate = (text: string, fuzzyMatch?: number) =>
      translateDocument({
        text,
        from: 'en',
        to: 'es',
        engine,
        memory,
        storeInMemory: false,
        ...(fuzzyMatch ? { fuzzyMatch } : {}),
      });

    const fuzzy = await translate(`${variant} ${unrelated} ${changedWord}`, 0.8);
    const [a, b, c] = fuzzy.sentences;
    expect(a).toMatchObject({ origin: 'memory-fuzzy', matchedSource: memoryKey(source) });
    expect(a!.score).toBeCloseTo(1 - 1 / 23, 3); // one token of 23 differs
    expect(a!.target).toBe(corrected.replace('180', '210'));
    expect(b).toMatchObject({ origin: 'engine', score: null });
    // "alone" → "too": the correction says "durante el año 2011" and cannot carry the new word: engine
    expect(c).toMatchObject({ origin: 'engine', score: null });
    expect(fuzzy.stats).toMatchObject({
      memoryHits: 1,
      fuzzyMemoryHits: 1,
      humanMemoryHits: 0,
      engineSentences: 2,
    });
    expect(fuzzy.text.startsWith(corrected.replace('180', '210'))).toBe(true);

    // the threshold is the caller's: above the score, or not given, the engine translates it
    expect((await translate(variant, 0.99)).sentences[0]).toMatchObject({ origin: 'engine' });
    expect((await translate(variant)).sentences[0]).toMatchObject({ origin: 'engine' });
    // the exact sentence is an exact hit, score 1
    expect((await translate(source, 0.8)).sentences[0]).toMatchObject({
      origin: 'memory-human',
      score: 1,
      target: corrected,
    });
    await expect(translate(variant, -1)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
