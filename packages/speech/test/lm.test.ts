import { readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildNewsroomModel,
  estimateModel,
  interpolateModels,
  logProb2,
  logProb3,
  PocketsphinxRecognizer,
  POCKETSPHINX_MODEL_DIR,
  readArpa,
  readTrieBinary,
  textToSentences,
  wordErrorRate,
  wordIndex,
  writeArpa,
  type NgramModel,
} from '../src/index.js';
import { ipaToCmu, ruleBasedPhones } from '../src/lm/g2p.js';
import { CMU_PHONES, parseDictionary } from '../src/lm/dictionary.js';
import { hasSpeechData, reportSkip, speechDataDir, withTmp } from './helpers.js';

const CORPUS = [
  'She had your dark suit in greasy wash water all year.',
  "Don't ask me to carry an oily rag like that.",
  'The city council approved a new budget on Tuesday.',
  'She had a dark coat and a suit for the year.',
  'Heavy rain is expected across the region all year.',
  'The council said the water was greasy.',
].join('\n');

/** Sum over the vocabulary of P(w | history): 1 for a proper model. */
function mass(m: NgramModel, h1: number | null, h2: number): number {
  let s = 0;
  for (let w = 0; w < m.vocab.length; w++) {
    if (m.vocab[w] === '<s>') continue;
    s += 10 ** (h1 === null ? logProb2(m, h2, w) : logProb3(m, h1, h2, w));
  }
  return s;
}

describe('n-gram estimation and ARPA', () => {
  const sentences = textToSentences(CORPUS);
  const model = estimateModel(sentences);
  const ix = wordIndex(model);

  it('normalises text into sentences of dictionary-style tokens', () => {
    expect(sentences[1]).toEqual(["don't", 'ask', 'me', 'to', 'carry', 'an', 'oily', 'rag', 'like', 'that']);
    expect(sentences).toHaveLength(6);
  });

  it('gives a proper distribution after every history (absolute discounting with backoff)', () => {
    for (const h of ['<s>', 'she', 'the', 'year', 'greasy'])
      expect(mass(model, null, ix.get(h) as number)).toBeCloseTo(1, 4);
    for (const [a, b] of [
      ['<s>', 'she'],
      ['she', 'had'],
      ['the', 'council'],
      ['dark', 'suit'],
    ]) {
      expect(mass(model, ix.get(a) as number, ix.get(b) as number)).toBeCloseTo(1, 4);
    }
    // Seen continuations beat backoff.
    expect(
      logProb3(model, ix.get('she') as number, ix.get('had') as number, ix.get('your') as number),
    ).toBeGreaterThan(
      logProb3(model, ix.get('she') as number, ix.get('had') as number, ix.get('council') as number),
    );
  });

  it('writes ARPA that reads back identically and that sphinx_lm_convert and the trie reader agree on', async () => {
    await withTmp(async (dir) => {
      const arpa = path.join(dir, 'small.arpa');
      await writeArpa(model, arpa, ['test model']);
      const text = await readFile(arpa, 'utf8');
      expect(text).toMatch(/\\data\\\nngram 1=\d+\nngram 2=\d+\nngram 3=\d+\n/);
      expect(text.trimEnd().endsWith('\\end\\')).toBe(true);
      const back = await readArpa(arpa);
      expect(back.vocab).toEqual(model.vocab);
      expect(back.w3.length).toBe(model.w3.length);
      const bin = path.join(dir, 'small.lm.bin');
      execFileSync('sphinx_lm_convert', ['-i', arpa, '-o', bin], { stdio: 'ignore' });
      const trie = await readTrieBinary(bin);
      const tix = wordIndex(trie);
      for (const s of sentences) {
        const ids = ['<s>', ...s, '</s>'];
        for (let i = 2; i < ids.length; i++) {
          const p = logProb3(
            model,
            ix.get(ids[i - 2]) as number,
            ix.get(ids[i - 1]) as number,
            ix.get(ids[i]) as number,
          );
          const q = logProb3(
            trie,
            tix.get(ids[i - 2]) as number,
            tix.get(ids[i - 1]) as number,
            tix.get(ids[i]) as number,
          );
          expect(Math.abs(p - q)).toBeLessThan(0.01);
        }
      }
    });
  });
});

describe('interpolation', () => {
  it('mixes two models into one that sums to one everywhere and matches the mixture on explicit n-grams', () => {
    const general = estimateModel(
      textToSentences('The council met. The council said no. A budget was approved on Monday.'),
    );
    const news = estimateModel(
      textToSentences('The council approved the budget. Kennedy said the budget was late.'),
      {
        baseVocab: general.vocab,
      },
    );
    const mix = interpolateModels(general, news, 0.3);
    const ix = wordIndex(mix);
    for (const h of ['<s>', 'the', 'council', 'kennedy', 'monday'])
      expect(mass(mix, null, ix.get(h) as number)).toBeCloseTo(1, 3);
    for (const [a, b] of [
      ['<s>', 'the'],
      ['the', 'council'],
      ['the', 'budget'],
    ]) {
      expect(mass(mix, ix.get(a) as number, ix.get(b) as number)).toBeCloseTo(1, 3);
    }
    const [t, c, a] = ['the', 'council', 'approved'].map((w) => ix.get(w) as number);
    const expected = 0.3 * 10 ** logProb3(news, t, c, a) + 0.7 * 10 ** logProb3(general, t, c, a);
    expect(10 ** logProb3(mix, t, c, a)).toBeCloseTo(expected, 4);
    // A word only the newsroom text knows gets probability from it.
    expect(logProb2(mix, ix.get('<s>') as number, ix.get('kennedy') as number)).toBeGreaterThan(-3);
  });
});

describe('pronunciations', () => {
  it('maps espeak IPA to CMU phones and has a rule fallback that only emits CMU phones', () => {
    expect(ipaToCmu('kˈɛnədi')).toEqual(['K', 'EH', 'N', 'AH', 'D', 'IY']);
    expect(ipaToCmu('zɛlˈɛnski')).toEqual(['Z', 'EH', 'L', 'EH', 'N', 'S', 'K', 'IY']);
    expect(ipaToCmu('tʃˈɜːtʃɪl')).toEqual(['CH', 'ER', 'CH', 'IH', 'L']);
    for (const w of ['ouagadougou', 'xi', 'nkosazana', 'brexit', 'schwarzenegger', 'é']) {
      const phones = ruleBasedPhones(w);
      expect(phones.length).toBeGreaterThan(0);
      for (const p of phones) expect(CMU_PHONES.has(p)).toBe(true);
    }
    expect(ruleBasedPhones('chess')).toEqual(['CH', 'EH', 'S']);
  });
});

describe.skipIf(reportSkip(hasSpeechData, 'newsroom model on a real recording'))('newsroom model', () => {
  const recognizer = new PocketsphinxRecognizer({ concurrency: 1 });
  afterAll(() => recognizer.close());

  it('builds lm, dictionary and metadata that pocketsphinx accepts, and the vocabulary helps', async () => {
    await withTmp(async (dir) => {
      // A small general model keeps the test fast; the bench uses the full en-us model.
      const generalArpa = path.join(dir, 'general.arpa');
      await writeArpa(
        estimateModel(textToSentences(CORPUS.split('\n').slice(1).join('\n') + '\nThe year was dark.')),
        generalArpa,
      );
      const model = await buildNewsroomModel({
        texts: [CORPUS],
        glossary: [
          { term: 'Zelensky', phones: 'Z EH1 L EH1 N S K IY0' },
          { term: 'Dlamini-Zuma' },
          { term: 'Kennedy' },
        ],
        outDir: path.join(dir, 'model'),
        name: 'test-newsroom',
        generalModel: generalArpa,
        lambda: 0.5,
      });
      expect((await stat(model.lmPath)).size).toBeGreaterThan(0);
      expect(model.lmPath.endsWith('.lm.bin')).toBe(true);
      const ext = parseDictionary(await readFile(model.dictExtensionPath, 'utf8'));
      expect(ext.get('zelensky')).toEqual([['Z', 'EH', 'L', 'EH', 'N', 'S', 'K', 'IY']]);
      expect(ext.get('dlamini')?.[0].length).toBeGreaterThan(3);
      expect(ext.has('kennedy')).toBe(false); // cmudict has it
      const dict = parseDictionary(await readFile(model.dictPath, 'utf8'));
      const cmu = parseDictionary(
        await readFile(path.join(POCKETSPHINX_MODEL_DIR, 'cmudict-en-us.dict'), 'utf8'),
      );
      expect(dict.get('greasy')).toEqual(cmu.get('greasy'));
      expect(dict.get('zelensky')).toEqual([['Z', 'EH', 'L', 'EH', 'N', 'S', 'K', 'IY']]);
      const lmWords = new Set((await readArpa(model.arpaPath)).vocab);
      for (const w of dict.keys()) expect(lmWords.has(w)).toBe(true);
      for (const w of lmWords) if (w !== '<s>' && w !== '</s>') expect(dict.has(w)).toBe(true);
      const meta = JSON.parse(await readFile(model.metadataPath, 'utf8'));
      expect(meta).toMatchObject({
        kind: 'speech-language-model',
        name: 'test-newsroom',
        params: { lambda: 0.5, order: 3 },
      });
      expect(meta.id).toBe(model.id);
      expect(meta.vocabulary.newWords).toBeGreaterThanOrEqual(3);

      const t = await recognizer.transcribe(path.join(speechDataDir, 'ldc93s1.wav'), {
        languageModel: { lmPath: model.lmPath, dictPath: model.dictPath, id: model.id },
      });
      expect(t.identity.model).toBe(model.id);
      expect(wordErrorRate('She had your dark suit in greasy wash water all year.', t.text).wer).toBeLessThan(
        0.25,
      );

      // The same model as plain ARPA is accepted too.
      await writeFile(path.join(dir, 'copy.arpa'), await readFile(model.arpaPath));
      const t2 = await recognizer.transcribe(path.join(speechDataDir, 'ldc93s1.wav'), {
        languageModel: { lmPath: path.join(dir, 'copy.arpa'), dictPath: model.dictPath },
      });
      expect(t2.text).toBe(t.text);
    });
  });
});

const textDir = path.join(speechDataDir, '..', 'text');
const hasNewsText = existsSync(path.join(textDir, 'cnndm', 'src.txt'));

describe.skipIf(reportSkip(hasNewsText, 'cross-validated scores of a newsroom model on real news text'))(
  'evidence for the activation gate',
  () => {
    it('scores every sentence out of fold (5 folds) under the general and the adapted model', async () => {
      await withTmp(async (dir) => {
        // General model: WMT news sentences; newsroom text: CNN/DailyMail articles (another source).
        const wmt = (await readFile(path.join(textDir, 'newstest2013', 'eng.txt'), 'utf8')).split('\n');
        const generalArpa = path.join(dir, 'general.arpa');
        await writeArpa(estimateModel(textToSentences(wmt.join('\n'))), generalArpa);
        const articles = (await readFile(path.join(textDir, 'cnndm', 'src.txt'), 'utf8'))
          .split('\n')
          .filter(Boolean)
          .slice(0, 20)
          .map((l) => l.replace(/<\/?t>/g, ' '));
        const model = await buildNewsroomModel({
          texts: articles,
          outDir: path.join(dir, 'model'),
          name: 'gate',
          generalModel: generalArpa,
          binary: false,
        });
        const held = model.heldOut!;
        expect(held.folds).toBe(5);
        const sentences = articles.flatMap(textToSentences).length;
        expect(held.general.length).toBeGreaterThanOrEqual(sentences * 0.9);
        expect(held.adapted.length).toBe(held.general.length);
        expect(held.words.every((w) => w > 0)).toBe(true);
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        const words = sum(held.words);
        // In-domain text raises the probability per word of unseen sentences of the same source.
        expect(sum(held.adapted) / words).toBeGreaterThan(sum(held.general) / words);
        const better = held.adapted.filter((a, i) => a > held.general[i]!).length;
        expect(better / held.adapted.length).toBeGreaterThan(0.5);
      });
    }, 120_000);
  },
);
