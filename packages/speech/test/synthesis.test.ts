import { afterAll, describe, expect, it } from 'vitest';
import {
  AUDIO_FORMATS,
  decodeAudio,
  isSpeechError,
  LocalSynthesizer,
  PocketsphinxRecognizer,
  wordErrorRate,
  type SpeechErrorCode,
} from '../src/index.js';

const tts = new LocalSynthesizer();
const SENTENCE =
  'The city council approved a new budget on Tuesday after a long debate about public transport.';

async function code(p: Promise<unknown>): Promise<SpeechErrorCode | 'none'> {
  try {
    await p;
    return 'none';
  } catch (error) {
    if (isSpeechError(error)) return error.code;
    throw error;
  }
}

describe('local synthesis', () => {
  for (const format of AUDIO_FORMATS) {
    it(`reads a sentence with flite slt as ${format}, of plausible duration`, async () => {
      const r = await tts.synthesize(SENTENCE, { format });
      expect(r.identity).toEqual({ engine: 'flite', version: '2.2', voice: 'flite/slt' });
      expect(r.format).toBe(format);
      // 16 words at a newsreader's 2-3.5 words a second, plus lead-in and tail.
      expect(r.durationSec).toBeGreaterThan(4);
      expect(r.durationSec).toBeLessThan(9);
      const decoded = await decodeAudio(r.audio);
      expect(decoded.durationSec).toBeGreaterThan(r.durationSec - 0.1);
      expect(decoded.durationSec).toBeLessThan(r.durationSec + 0.15);
      expect(decoded.info.format).toContain(format === 'opus' ? 'ogg' : format);
      if (format === 'opus') expect(decoded.info.audio[0].codec).toBe('opus');
      if (format === 'ogg') expect(decoded.info.audio[0].codec).toBe('vorbis');
    });
  }

  it('pauses at paragraph breaks', async () => {
    const one = await tts.synthesize('Rain is expected. Winds will be strong.', { format: 'wav' });
    const two = await tts.synthesize('Rain is expected.\n\nWinds will be strong.', { format: 'wav' });
    expect(two.pieces).toBe(2);
    expect(two.durationSec - one.durationSec).toBeGreaterThan(0.4);
  });

  it('chunks a long article into pieces and reports progress', async () => {
    const paragraph = Array.from(
      { length: 12 },
      (_v, i) => `Sentence number ${i + 1} of the report is here.`,
    ).join(' ');
    const seen: number[] = [];
    const r = await tts.synthesize(`${paragraph}\n${paragraph}`, {
      format: 'mp3',
      onProgress: (f) => seen.push(f),
    });
    expect(r.pieces).toBeGreaterThanOrEqual(4);
    expect(seen.at(-1)).toBe(1);
    expect(r.durationSec).toBeGreaterThan(40);
  });

  it('uses espeak-ng for other languages and festival when asked', async () => {
    const es = await tts.synthesize('El gobierno abrirá tres hospitales nuevos el próximo mes.', {
      language: 'es',
      format: 'wav',
    });
    expect(es.identity.engine).toBe('espeak-ng');
    expect(es.identity.voice).toBe('espeak/es');
    expect(es.durationSec).toBeGreaterThan(2);
    const fest = await tts.synthesize('Good evening.', { voice: 'festival/kal_diphone', format: 'wav' });
    expect(fest.identity.engine).toBe('festival');
    expect(fest.durationSec).toBeGreaterThan(0.6);
    expect(fest.durationSec).toBeLessThan(3);
    const voices = (await tts.voices()).map((v) => v.id);
    expect(voices).toEqual(expect.arrayContaining(['flite/slt', 'espeak/es', 'festival/kal_diphone']));
  });

  it('rejects empty text, unknown voices and languages, and oversize text', async () => {
    expect(await code(tts.synthesize('  \n \n'))).toBe('EMPTY_TEXT');
    expect(await code(tts.synthesize('Hello.', { voice: 'flite/nobody' }))).toBe('UNKNOWN_VOICE');
    expect(await code(tts.synthesize('Hello.', { voice: 'acme/robot' }))).toBe('UNKNOWN_VOICE');
    expect(await code(tts.synthesize('nuqneH', { language: 'tlh' }))).toBe('UNSUPPORTED_LANGUAGE');
    expect(await code(new LocalSynthesizer({ maxChars: 10 }).synthesize('This text is too long.'))).toBe(
      'TEXT_TOO_LONG',
    );
    expect(await code(tts.synthesize('Hello.', { speed: 5 }))).toBe('INVALID_INPUT');
  });
});

describe('synthesis is intelligible and reads numbers as words', () => {
  const asr = new PocketsphinxRecognizer({ concurrency: 1 });
  afterAll(() => asr.close());

  it('flite output of a normalised sentence is recognised by pocketsphinx', async () => {
    const text = 'The company said profits rose 12% in the third quarter.';
    const r = await tts.synthesize(text, { format: 'wav' });
    const t = await asr.transcribe(r.audio);
    expect(wordErrorRate(text, t.text).wer).toBeLessThan(0.35);
    expect(t.text).toMatch(/twelve/);
  });
});
