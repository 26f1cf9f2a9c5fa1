import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudio, LocalSynthesizer, PocketsphinxRecognizer, wordErrorRate } from '../src/index.js';
import { reportSkip, speechDataDir } from './helpers.js';

const run = promisify(execFile);
const sentencesFile = path.join(speechDataDir, 'tts_sentences.tsv');
const skip = reportSkip(existsSync(sentencesFile), 'read-aloud parity on tts_sentences.tsv');

describe.skipIf(skip)('read-aloud parity with the engine', () => {
  const asr = new PocketsphinxRecognizer({ mode: 'whole', concurrency: 1 });
  afterAll(() => asr.close());

  it('the platform’s WAV and MP3 are recognised back with no more errors than flite’s own WAV', async () => {
    const lines = (await readFile(sentencesFile, 'utf8')).split('\n').filter((l) => l.includes('\t'));
    // Two paragraphs of real test sentences: assembly, pauses and encoding all take part.
    const text = ['s01', 's07']
      .map((id) => lines.find((l) => l.startsWith(`${id}\t`))!.split('\t')[1])
      .join('\n');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'read-aloud-test-'));
    try {
      await writeFile(path.join(dir, 'text.txt'), text);
      await run('flite', [
        '-voice',
        'slt',
        '-f',
        path.join(dir, 'text.txt'),
        '-o',
        path.join(dir, 'engine.wav'),
      ]);
      const tts = new LocalSynthesizer();
      const errors = async (audio: Buffer) => {
        const w = wordErrorRate(text, (await asr.transcribe((await decodeAudio(audio)).pcm)).text);
        return w.substitutions + w.deletions + w.insertions;
      };
      const engine = await errors(await readFile(path.join(dir, 'engine.wav')));
      const wav = await errors((await tts.synthesize(text, { format: 'wav' })).audio);
      const mp3 = await errors((await tts.synthesize(text, { format: 'mp3' })).audio);
      expect(wav).toBeLessThanOrEqual(engine);
      expect(mp3).toBeLessThanOrEqual(engine);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
