/**
 * Speech benchmark: recognition WER and real-time factor per engine and configuration, and synthesis
 * real-time factor and intelligibility per engine. Prints a markdown report and writes bench/RESULTS.md.
 *
 *   pnpm bench:speech            (data from SHARED_DATA_DIR, else <repo>/../shared/data)
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildNewsroomModel,
  concatPcm,
  corpusWer,
  decodeAudio,
  defaultCacheDir,
  ensureGeneralArpa,
  LocalSynthesizer,
  OpenAiRecognizer,
  pcmDuration,
  PocketsphinxRecognizer,
  silence,
  wordErrorRate,
  type GlossaryTerm,
  type LanguageModelFiles,
  type NewsroomModel,
  type Pcm,
  type Recognizer,
  type WerResult,
} from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const dataDir = process.env.SHARED_DATA_DIR ?? path.resolve(repoRoot, '../shared/data');
const speechDir = path.join(dataDir, 'speech');

/** Names and places a newsroom would list; none is taken from the test recordings' references. */
const GLOSSARY: GlossaryTerm[] = [
  { term: 'Kennedy' },
  { term: 'Obama' },
  { term: 'Zelensky', phones: 'Z EH L EH N S K IY' },
  { term: 'Merkel' },
  { term: 'Macron' },
  { term: 'Dlamini-Zuma' },
  { term: 'Kathmandu' },
  { term: 'Brussels' },
  { term: 'Kyiv', phones: 'K IY V' },
  { term: 'NATO' },
];

interface Recording {
  id: string;
  reference: string;
  pcm: Pcm;
}

interface AsrRow {
  engine: string;
  config: string;
  material: string;
  wer: number;
  rtf: number;
  audioSec: number;
  perFile: Array<[string, number]>;
  note?: string;
}

function tsv(text: string): Array<[string, string]> {
  return text
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f.length >= 2 && f[0].trim())
    .map((f) => [f[0].trim(), f.slice(1).join('\t').trim()]);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, (performance.now() - t) / 1000];
}

/** WER and RTF of one recognizer over the recordings (after one warm-up call so model loading is excluded). */
async function measureAsr(
  recognizer: Recognizer,
  recordings: Recording[],
  label: { engine: string; config: string; material: string; note?: string },
  model?: LanguageModelFiles,
): Promise<AsrRow> {
  await recognizer.transcribe(recordings[0].pcm, { languageModel: model });
  const results: WerResult[] = [];
  const perFile: Array<[string, number]> = [];
  let busy = 0;
  let audio = 0;
  for (const r of recordings) {
    const [t, sec] = await timed(() => recognizer.transcribe(r.pcm, { languageModel: model }));
    const w = wordErrorRate(r.reference, t.text);
    results.push(w);
    perFile.push([r.id, w.wer]);
    busy += sec;
    audio += pcmDuration(r.pcm);
  }
  const row = { ...label, wer: corpusWer(results), rtf: busy / audio, audioSec: audio, perFile };
  console.log(
    `  ${label.engine} | ${label.config} | ${label.material}: WER ${pct(row.wer)}, RTF ${row.rtf.toFixed(2)}`,
  );
  return row;
}

/** cnndm src.txt is lower-cased and tokenised, one article a line with <t> sentence marks: make it prose. */
function cnnArticles(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) =>
      l
        .replace(/<\/?t>/g, '\n')
        .replace(/``|''/g, '"')
        .replace(/ (n't|'s|'re|'ve|'ll|'d|'m)\b/g, '$1')
        .replace(/ ([.,;:!?])/g, '$1'),
    );
}

async function main(): Promise<void> {
  if (!existsSync(path.join(speechDir, 'transcripts.tsv'))) {
    console.log(
      `Skipping the speech benchmark: ${speechDir} is absent (set SHARED_DATA_DIR to the shared data folder).`,
    );
    return;
  }
  const started = Date.now();
  const recordings: Recording[] = [];
  for (const [id, reference] of tsv(await readFile(path.join(speechDir, 'transcripts.tsv'), 'utf8'))) {
    recordings.push({ id, reference, pcm: (await decodeAudio(path.join(speechDir, `${id}.wav`))).pcm });
  }
  // One long programme: every recording, 1.5 s apart, as a newsroom would upload an interview.
  const gap = silence(1.5, 16_000);
  const long: Recording = {
    id: 'all-concatenated',
    reference: recordings.map((r) => r.reference).join(' '),
    pcm: concatPcm(recordings.flatMap((r) => [r.pcm, gap])),
  };
  const totalSec = recordings.reduce((s, r) => s + pcmDuration(r.pcm), 0);
  console.log(
    `Recognition: ${recordings.length} recordings, ${totalSec.toFixed(1)} s; long file ${pcmDuration(long.pcm).toFixed(1)} s`,
  );

  // Newsroom models: honest (unrelated news text + glossary) and oracle (also the test references).
  const textDir = path.join(dataDir, 'text');
  const news: string[] = [];
  const sources: string[] = [];
  if (existsSync(path.join(textDir, 'cnndm/src.txt'))) {
    news.push(...cnnArticles(await readFile(path.join(textDir, 'cnndm/src.txt'), 'utf8')));
    sources.push('50 CNN/DailyMail articles (text/cnndm)');
  }
  if (existsSync(path.join(textDir, 'newstest2013/eng.txt'))) {
    news.push(await readFile(path.join(textDir, 'newstest2013/eng.txt'), 'utf8'));
    sources.push('500 WMT newstest2013 English sentences');
  }
  const general = await ensureGeneralArpa();
  console.log(
    `General model as ARPA: ${general.path} (${general.method}${general.cached ? ', cached' : ''})`,
  );
  const modelDir = path.join(defaultCacheDir(), 'bench-models');
  const build = async (name: string, texts: string[], description: string) => {
    const [m, sec] = await timed(() =>
      buildNewsroomModel({ texts, glossary: GLOSSARY, outDir: modelDir, name, description, reuse: true }),
    );
    console.log(`  built ${m.id} in ${sec.toFixed(0)} s (lambda ${m.metadata.params.lambda})`);
    return { model: m, sec };
  };
  const honest = news.length
    ? await build('bench-honest', news, `honest: ${sources.join(' + ')} + glossary`)
    : null;
  const oracle = await build(
    'bench-oracle',
    [...news, ...recordings.map((r) => r.reference)],
    'ORACLE: includes the reference transcripts of the test recordings',
  );

  const rows: AsrRow[] = [];
  const whole = new PocketsphinxRecognizer({ mode: 'whole', concurrency: 2 });
  const chunked = new PocketsphinxRecognizer({ mode: 'chunked', concurrency: 2 });
  const lmLabel = (m: NewsroomModel) => ({ lmPath: m.lmPath, dictPath: m.dictPath, id: m.id });
  rows.push(
    await measureAsr(whole, recordings, {
      engine: 'pocketsphinx',
      config: 'batch (whole file), en-us LM',
      material: 'recordings',
    }),
  );
  rows.push(
    await measureAsr(chunked, recordings, {
      engine: 'pocketsphinx',
      config: 'chunked (VAD, 2 warm decoders), en-us LM',
      material: 'recordings',
    }),
  );
  if (honest) {
    rows.push(
      await measureAsr(
        chunked,
        recordings,
        {
          engine: 'pocketsphinx',
          config: 'chunked + newsroom LM (news text + glossary)',
          material: 'recordings',
        },
        lmLabel(honest.model),
      ),
    );
  }
  rows.push(
    await measureAsr(
      chunked,
      recordings,
      {
        engine: 'pocketsphinx',
        config: 'chunked + ORACLE LM (test references in the text)',
        material: 'recordings',
        note: 'upper bound, not a result',
      },
      lmLabel(oracle.model),
    ),
  );
  rows.push(
    await measureAsr(whole, [long], {
      engine: 'pocketsphinx',
      config: 'batch (whole file), en-us LM',
      material: 'long file',
    }),
  );
  rows.push(
    await measureAsr(chunked, [long], {
      engine: 'pocketsphinx',
      config: 'chunked (VAD, 2 warm decoders), en-us LM',
      material: 'long file',
    }),
  );
  if (honest) {
    rows.push(
      await measureAsr(
        chunked,
        [long],
        {
          engine: 'pocketsphinx',
          config: 'chunked + newsroom LM (news text + glossary)',
          material: 'long file',
        },
        lmLabel(honest.model),
      ),
    );
  }
  if (process.env.SPEECH_ASR_URL && process.env.SPEECH_ASR_MODEL) {
    const http = new OpenAiRecognizer({
      baseUrl: process.env.SPEECH_ASR_URL,
      model: process.env.SPEECH_ASR_MODEL,
      apiKey: process.env.SPEECH_ASR_API_KEY,
    });
    rows.push(
      await measureAsr(http, recordings, {
        engine: 'openai-http',
        config: process.env.SPEECH_ASR_MODEL,
        material: 'recordings',
      }),
    );
  }
  await whole.close();

  // Synthesis: RTF and intelligibility (pocketsphinx WER on the synthetic audio).
  const sentences = tsv(await readFile(path.join(speechDir, 'tts_sentences.tsv'), 'utf8'));
  const tts = new LocalSynthesizer({ concurrency: 1 });
  const ttsRows: Array<{ engine: string; voice: string; rtf: number; wer: number; audioSec: number }> = [];
  console.log(`Synthesis: ${sentences.length} sentences`);
  for (const voice of ['flite/slt', 'festival/kal_diphone', 'espeak/en-us']) {
    let busy = 0;
    let audio = 0;
    const results: WerResult[] = [];
    await tts.synthesize('Warm up.', { voice, format: 'wav' });
    for (const [, text] of sentences) {
      const [r, sec] = await timed(() => tts.synthesize(text, { voice, format: 'wav' }));
      busy += sec;
      audio += r.durationSec;
      const t = await chunked.transcribe(r.audio);
      results.push(wordErrorRate(text, t.text));
    }
    const row = {
      engine: voice.startsWith('espeak/') ? 'espeak-ng' : voice.split('/')[0],
      voice,
      rtf: busy / audio,
      wer: corpusWer(results),
      audioSec: audio,
    };
    ttsRows.push(row);
    console.log(`  ${voice}: RTF ${row.rtf.toFixed(3)}, recognizer WER ${pct(row.wer)}`);
  }
  await chunked.close();

  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  const lines: string[] = [];
  lines.push('# Speech benchmark results', '');
  lines.push(
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ` +
      `load average at the end ${load} (other work shared the machine: times are upper bounds). ` +
      `Run: \`pnpm bench:speech\` (${Math.round((Date.now() - started) / 1000)} s).`,
    '',
  );
  lines.push('## Recognition', '');
  lines.push(
    `Data: ${recordings.length} real English recordings of ../shared/data/speech (${totalSec.toFixed(1)} s, references in transcripts.tsv); ` +
      `"long file" is all of them joined with 1.5 s pauses (${pcmDuration(long.pcm).toFixed(1)} s). WER over all reference words after ` +
      'normalising case, punctuation and numbers ("$5" = "five dollars"). RTF = processing seconds / audio seconds, warm decoders, wall clock.',
    '',
  );
  lines.push('| engine | configuration | material | WER | RTF |', '|---|---|---|---|---|');
  for (const r of rows)
    lines.push(
      `| ${r.engine} | ${r.config}${r.note ? ` (${r.note})` : ''} | ${r.material} | ${pct(r.wer)} | ${r.rtf.toFixed(2)} |`,
    );
  lines.push('', 'Per recording (WER):', '');
  const cols = rows.filter((r) => r.material === 'recordings');
  lines.push(
    `| recording | ${cols.map((c) => c.config).join(' | ')} |`,
    `|---|${cols.map(() => '---|').join('')}`,
  );
  for (const rec of recordings) {
    lines.push(
      `| ${rec.id} | ${cols.map((c) => pct(c.perFile.find(([id]) => id === rec.id)?.[1] ?? NaN)).join(' | ')} |`,
    );
  }
  lines.push('', '### Newsroom language models', '');
  lines.push(
    '| model | text | lambda (EM, held-out 10%) | held-out perplexity general → adapted | new words | n-grams (1/2/3) | build |',
    '|---|---|---|---|---|---|---|',
  );
  for (const b of [honest, oracle]) {
    if (!b) continue;
    const m = b.model.metadata;
    lines.push(
      `| ${m.name} | ${m.description ?? ''}: ${m.data.sentences} sentences, ${m.data.tokens} words, ${m.data.glossaryTerms} glossary terms | ${m.params.lambda} | ` +
        `${m.metrics.perplexityGeneral ?? '-'} → ${m.metrics.perplexityAdapted ?? '-'} | ${m.vocabulary.newWords} | ${m.counts.adapted.join(' / ')} | ${b.sec.toFixed(0)} s${b.sec < 5 ? ' (reused)' : ''} |`,
    );
  }
  lines.push(
    '',
    `General model: en-us.lm.bin converted to ARPA by ${general.method === 'trie-reader' ? "this package's trie reader (Debian's sphinx_lm_convert aborts on this file)" : 'sphinx_lm_convert'}, cached in ${path.dirname(general.path)}.`,
    'The oracle row includes the test references in its adaptation text: it shows what in-domain text can do, it is not a result.',
    '',
  );
  lines.push('## Synthesis', '');
  lines.push(
    `Data: ${sentences.length} news sentences (tts_sentences.tsv), each synthesised to WAV. RTF = synthesis seconds / audio seconds. ` +
      'Intelligibility = WER of pocketsphinx (chunked, en-us LM) on the synthetic audio against the sentence.',
    '',
  );
  lines.push('| engine | voice | RTF | recognizer WER | audio |', '|---|---|---|---|---|');
  for (const r of ttsRows)
    lines.push(
      `| ${r.engine} | ${r.voice} | ${r.rtf.toFixed(3)} | ${pct(r.wer)} | ${r.audioSec.toFixed(1)} s |`,
    );
  if (!process.env.SPEECH_ASR_URL) {
    lines.push(
      '',
      'HTTP engines (OpenAI-compatible) are not measured here: set SPEECH_ASR_URL and SPEECH_ASR_MODEL to include one.',
    );
  }
  const report = lines.join('\n') + '\n';
  console.log(`\n${report}`);
  await writeFile(path.join(here, 'RESULTS.md'), report);
  console.log(`Written to ${path.join(here, 'RESULTS.md')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
