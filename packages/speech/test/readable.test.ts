import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PocketsphinxRecognizer,
  formattedWordErrorRate,
  learnTruecase,
  readableTranscript,
  toSrt,
  wordErrorRate,
} from '../src/index.js';
import { hasSpeechData, readTranscripts, reportSkip, sharedDataDir, speechDataDir } from './helpers.js';

const word = (w: string, start: number, end: number) => ({ word: w, start, end, confidence: null });

describe('readable transcripts', () => {
  it('without the punctuation model: ends sentences at pauses, capitalises them and "I", keeps words and timings, and starts paragraphs at long pauses', () => {
    const words = [
      word('so', 0, 0.2),
      word('i', 0.25, 0.3),
      word('met', 0.32, 0.5),
      word('obama', 0.52, 0.9),
      word('then', 1.6, 1.7),
      word('we', 1.72, 1.8),
      word('left', 1.82, 2.1),
      word('later', 4.5, 4.9),
    ];
    const t = {
      text: words.map((w) => w.word).join(' '),
      segments: [
        { id: 0, start: 0, end: 2.1, text: '', confidence: null, words: words.slice(0, 7) },
        { id: 1, start: 4.5, end: 4.9, text: '', confidence: null, words: words.slice(7) },
      ],
    };
    const r = readableTranscript(t, { truecase: new Map([['obama', 'Obama']]), punctuation: null });
    expect(r.text).toBe('So I met Obama. Then we left.\n\nLater.');
    expect(r.segments.map((s) => s.text)).toEqual(['So I met Obama. Then we left.', 'Later.']);
    expect(r.segments[0]!.words).toEqual(words.slice(0, 7)); // as recognised
    expect(toSrt(r)).toContain('So I met Obama. Then we left.');
    // With the punctuation model (the default) the long pauses still end sentences and start the paragraph.
    const withModel = readableTranscript(t, { truecase: new Map([['obama', 'Obama']]) });
    expect(withModel.text).toMatch(/^So I met Obama\. Then,? we left\.\n\nLater\.$/);
  });

  it('leaves transcripts in other languages to the pauses (the model reads English)', () => {
    const words = ['que', 'pasa', 'hoy'].map((w, i) => word(w, i * 0.3, i * 0.3 + 0.2));
    const t = {
      language: 'es',
      text: 'que pasa hoy',
      segments: [{ id: 0, start: 0, end: 0.8, text: '', confidence: null, words }],
    };
    expect(readableTranscript(t).text).toBe('Que pasa hoy.');
  });

  it('learns how a newsroom writes names from its text, not from sentence starts', () => {
    const table = learnTruecase([
      'The talks in Paris ended. Paris said no. Officials in Paris and NASA agreed.',
      'A visit to NASA. Then the market opened in Paris.',
    ]);
    expect(table.get('paris')).toBe('Paris');
    expect(table.get('nasa')).toBe('NASA');
    expect(table.has('the')).toBe(false);
    expect(table.has('then')).toBe(false);
  });
});

describe.skipIf(reportSkip(hasSpeechData, 'readable transcripts of real recordings'))(
  'readable transcripts of real recordings',
  () => {
    const recognizer = new PocketsphinxRecognizer({ concurrency: 2 });
    afterAll(() => recognizer.close());

    it('keeps the WER, lowers the case- and sentence-aware WER and puts commas at pauses (jfk, ldc93s1)', async () => {
      const refs = readTranscripts(readFileSync(path.join(speechDataDir, 'transcripts.tsv'), 'utf8'));
      const newsText = path.join(sharedDataDir, 'text', 'newstest2013', 'eng.txt');
      const truecase = existsSync(newsText)
        ? learnTruecase(readFileSync(newsText, 'utf8').split('\n'))
        : new Map();
      for (const id of ['jfk', 'ldc93s1']) {
        const raw = await recognizer.transcribe(path.join(speechDataDir, `${id}.wav`));
        const readable = readableTranscript(raw, { truecase });
        const ref = refs.get(id)!;
        expect(wordErrorRate(ref, readable.text).wer).toBe(wordErrorRate(ref, raw.text).wer);
        const before = formattedWordErrorRate(ref, raw.text).wer;
        const after = formattedWordErrorRate(ref, readable.text).wer;
        expect(after).toBeLessThan(before);
        expect(readable.text).toMatch(/^[A-Z][^]*\.$/);
        const pausesOnly = readableTranscript(raw, { truecase, punctuation: null });
        expect(after).toBeLessThanOrEqual(formattedWordErrorRate(ref, pausesOnly.text).wer);
        expect(readable.segments.flatMap((s) => s.words)).toEqual(raw.segments.flatMap((s) => s.words));
        // jfk: "my fellow Americans, ask not …, ask what you can do": the speaker pauses at both commas.
        if (id === 'jfk') expect(readable.text.match(/,/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
      }
    }, 120_000);
  },
);
