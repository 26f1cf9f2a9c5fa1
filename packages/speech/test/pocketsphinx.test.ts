import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  concatPcm,
  decodeAudio,
  isSpeechError,
  PocketsphinxRecognizer,
  silence,
  wordErrorRate,
  type TranscribeProgress,
} from '../src/index.js';
import { hasSpeechData, noise, readTranscripts, reportSkip, speechDataDir } from './helpers.js';

const recognizer = new PocketsphinxRecognizer({ concurrency: 2 });
afterAll(() => recognizer.close());

describe.skipIf(reportSkip(hasSpeechData, 'pocketsphinx on real recordings'))(
  'pocketsphinx on real recordings',
  () => {
    it('transcribes the JFK recording with WER below 35%, with timed, confident words', async () => {
      const refs = readTranscripts(await readFile(path.join(speechDataDir, 'transcripts.tsv'), 'utf8'));
      const progress: TranscribeProgress[] = [];
      const t = await recognizer.transcribe(path.join(speechDataDir, 'jfk.wav'), {}, (p) => progress.push(p));
      const wer = wordErrorRate(refs.get('jfk') as string, t.text).wer;
      expect(wer).toBeLessThan(0.35);
      expect(t.text).toContain('what your country can do for you');
      expect(t.identity).toMatchObject({ engine: 'pocketsphinx', model: 'en-us' });
      expect(t.durationSec).toBeCloseTo(11, 1);
      const words = t.segments.flatMap((s) => s.words);
      expect(words.length).toBeGreaterThan(15);
      for (let i = 0; i < words.length; i++) {
        expect(words[i].end).toBeGreaterThan(words[i].start);
        if (i > 0) expect(words[i].start).toBeGreaterThanOrEqual(words[i - 1].end - 0.011);
        expect(words[i].confidence).toBeGreaterThanOrEqual(0);
        expect(words[i].confidence).toBeLessThanOrEqual(1);
        expect(words[i].word).not.toMatch(/^[<[]|\(\d\)$/);
      }
      expect(words[words.length - 1].end).toBeLessThanOrEqual(11);
      for (const s of t.segments) expect(s.confidence).toBeGreaterThan(0.2);
      expect(progress[progress.length - 1]).toMatchObject({ stage: 'done' });
      expect(progress.at(-1)?.fraction).toBeCloseTo(1, 5);
    });

    it('splits long audio at pauses, decodes chunks in parallel, and puts no words in the silence', async () => {
      const a = (await decodeAudio(path.join(speechDataDir, 'ldc93s1.wav'))).pcm;
      const b = (await decodeAudio(path.join(speechDataDir, 'lj_LJ001-0002.wav'))).pcm;
      const pcm = concatPcm([silence(1.5, 16_000), a, silence(3, 16_000), b, silence(2, 16_000)]);
      const progress: TranscribeProgress[] = [];
      const t = await recognizer.transcribe(pcm, {}, (p) => progress.push(p));
      expect(t.segments).toHaveLength(2);
      const secondStart = 1.5 + a.samples.length / 16_000 + 3;
      const [first, second] = t.segments;
      expect(first.start).toBeGreaterThan(1.4);
      expect(first.end).toBeLessThan(secondStart - 2.5);
      expect(second.start).toBeGreaterThan(secondStart - 0.3);
      expect(second.text).toMatch(/being .*comparatively/);
      expect(
        wordErrorRate('She had your dark suit in greasy wash water all year.', first.text).wer,
      ).toBeLessThan(0.8);
      expect(progress.filter((p) => p.stage === 'recognizing').map((p) => p.chunksDone)).toEqual([0, 1, 2]);
      // Each finished chunk's text comes with its report: in chunk order they make the transcript.
      const chunks = progress.flatMap((p) => (p.chunk ? [p.chunk] : [])).sort((x, y) => x.index - y.index);
      expect(chunks.map((c) => c.index)).toEqual([0, 1]);
      expect(chunks.map((c) => c.text).join(' ')).toBe(t.text);
    });
  },
);

describe('pocketsphinx input handling', () => {
  it('turns steady noise into no words at all', async () => {
    const t = await recognizer.transcribe(noise(4, -30));
    expect(t.segments).toEqual([]);
    expect(t.text).toBe('');
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const long = concatPcm(
      Array.from({ length: 8 }, (_v, i) =>
        concatPcm([noise(0.8, -60, 16_000, i + 1), noise(3, -20, 16_000, i + 9)]),
      ),
    );
    // Steady noise is skipped by the VAD, so give the chunks some rhythm: alternate loud and quiet stretches.
    const pending = recognizer.transcribe(long, { signal: controller.signal }, (p) => {
      if (p.stage === 'recognizing') controller.abort();
    });
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('refuses languages it has no model for, and missing model files', async () => {
    await expect(recognizer.transcribe(noise(1, -30), { language: 'fr-FR' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_LANGUAGE',
    });
    const error = await recognizer
      .transcribe(noise(1, -30), {
        languageModel: { lmPath: '/nonexistent.lm', dictPath: '/nonexistent.dict' },
      })
      .catch((e: unknown) => e);
    expect(isSpeechError(error, 'INVALID_CONFIG')).toBe(true);
  });
});
