/**
 * Read-aloud parity: is the platform's synthesized audio recognised back as well as the engine's own WAV?
 * On ../shared/data/speech/tts_sentences.tsv, three renderings of the same text, each recognised by the
 * same pocketsphinx (batch over the whole file, as `pocketsphinx_batch` does, and the platform's chunked
 * mode):
 *   - engine WAV: the `flite -voice slt` command line on the text as it is;
 *   - platform WAV and platform MP3: LocalSynthesizer (normalisation, sentence pieces, pauses, encoding).
 * Each sentence alone, and the 12 sentences as one article (one paragraph a line).
 *
 *   pnpm bench:read-aloud       (data from SHARED_DATA_DIR, else <repo>/../shared/data)
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  corpusWer,
  decodeAudio,
  LocalSynthesizer,
  PocketsphinxRecognizer,
  wordErrorRate,
  type WerResult,
} from '../src/index.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.SHARED_DATA_DIR ?? path.resolve(here, '../../../../shared/data');
const sentencesFile = path.join(dataDir, 'speech/tts_sentences.tsv');

type Rendering = 'engine WAV' | 'platform WAV' | 'platform MP3';
const RENDERINGS: Rendering[] = ['engine WAV', 'platform WAV', 'platform MP3'];

/** The three renderings of a text as encoded files. */
async function render(tts: LocalSynthesizer, text: string, dir: string): Promise<Record<Rendering, Buffer>> {
  const input = path.join(dir, 'text.txt');
  const output = path.join(dir, 'engine.wav');
  await writeFile(input, text);
  await run('flite', ['-voice', 'slt', '-f', input, '-o', output]);
  return {
    'engine WAV': await readFile(output),
    'platform WAV': (await tts.synthesize(text, { format: 'wav' })).audio,
    'platform MP3': (await tts.synthesize(text, { format: 'mp3' })).audio,
  };
}

async function main(): Promise<void> {
  if (!existsSync(sentencesFile)) {
    console.log(`skipping read-aloud parity: no data at ${sentencesFile}`);
    return;
  }
  try {
    await run('bash', ['-c', 'command -v flite']);
  } catch {
    console.log('skipping read-aloud parity: the flite command is not installed');
    return;
  }
  const sentences = (await readFile(sentencesFile, 'utf8'))
    .split('\n')
    .map((l) => l.split('\t')[1]?.trim() ?? '')
    .filter(Boolean);
  const tts = new LocalSynthesizer({ concurrency: 1 });
  const recognizers = {
    'batch (whole file)': new PocketsphinxRecognizer({ mode: 'whole', concurrency: 2 }),
    chunked: new PocketsphinxRecognizer({ mode: 'chunked', concurrency: 2 }),
  };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'read-aloud-'));
  const started = Date.now();
  const out: string[] = [];
  try {
    const materials: Array<{ name: string; texts: string[]; recognizers: Array<keyof typeof recognizers> }> =
      [
        {
          name: `${sentences.length} sentences, one file each`,
          texts: sentences,
          recognizers: ['batch (whole file)'],
        },
        {
          name: `the ${sentences.length} sentences as one article (a paragraph a line)`,
          texts: [sentences.join('\n')],
          recognizers: ['batch (whole file)', 'chunked'],
        },
      ];
    out.push(
      '| material | recognizer | engine WAV (flite CLI) | platform WAV | platform MP3 |',
      '|---|---|---|---|---|',
    );
    for (const material of materials) {
      const audio = [];
      for (const text of material.texts) audio.push({ text, files: await render(tts, text, dir) });
      for (const name of material.recognizers) {
        const recognizer = recognizers[name];
        const cells: string[] = [];
        for (const rendering of RENDERINGS) {
          const results: WerResult[] = [];
          for (const { text, files } of audio) {
            const { pcm } = await decodeAudio(files[rendering]);
            results.push(wordErrorRate(text, (await recognizer.transcribe(pcm)).text));
          }
          const wer = corpusWer(results);
          cells.push(`${(100 * wer).toFixed(1)}%`);
          console.log(`${material.name} | ${name} | ${rendering}: WER ${(100 * wer).toFixed(1)}%`);
        }
        out.push(`| ${material.name} | pocketsphinx ${name} | ${cells.join(' | ')} |`);
      }
    }
  } finally {
    await Promise.all(Object.values(recognizers).map((r) => r.close()));
    await rm(dir, { recursive: true, force: true });
  }
  const report =
    `# Read-aloud parity\n\nMeasured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${Math.round((Date.now() - started) / 1000)} s. Run: \`pnpm bench:read-aloud\`.\n\n` +
    'Word error rate of pocketsphinx (en-us) on synthesized speech of `tts_sentences.tsv`, against the text. ' +
    'Engine WAV: `flite -voice slt` on the text as it is. Platform: `LocalSynthesizer` (voice flite/slt, 16 kHz; MP3 64 kbit/s), as the `speech.synthesize` job stores it.\n\n' +
    `${out.join('\n')}\n`;
  console.log(`\n${report}`);
  await writeFile(path.join(here, 'READ-ALOUD.md'), report);
}

await main();
