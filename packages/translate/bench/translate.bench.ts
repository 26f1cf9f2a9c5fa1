/**
 * Translation and language-ID benchmark on real data from ../shared/data:
 *   - BLEU / chrF (sacreBLEU-compatible, 13a, chrF β=2) and words/s on WMT newstest2013 (500 lines), eng→spa and
 *     spa→eng, beside plain `apertium -u` and the reference figures in ENGINES.md;
 *   - cost of the warm null-flush pipeline against a new `apertium` process per request;
 *   - language-ID accuracy on FLORES (full sentences and their first five words).
 * Prints a markdown table and writes it to bench/RESULTS.md. Skips, saying why, when the data is absent.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  ApertiumEngine,
  corpusBleu,
  corpusChrf,
  detectLanguage,
  findLanguage,
  loadLanguageDetectors,
  translateDocument,
  type DetectionMethod,
} from '../src/index.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const dataDir = process.env.SHARED_DATA_DIR ?? resolve(repoRoot, '../shared/data');
const newstest = join(dataDir, 'text/newstest2013');
const flores = join(dataDir, 'text/flores-langid');

const REFERENCE: Record<string, { bleu: number; chrf: number }> = {
  'eng-spa': { bleu: 18.9, chrf: 50.0 },
  'spa-eng': { bleu: 19.4, chrf: 51.3 },
};
const sections: string[] = [];
const fmt = (x: number, digits = 1): string => x.toFixed(digits);
const lines = (path: string): string[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
const words = (texts: readonly string[]): number =>
  texts.reduce((sum, t) => sum + t.split(/\s+/).filter(Boolean).length, 0);

async function hasApertium(): Promise<boolean> {
  try {
    await run('bash', ['-c', 'command -v apertium && test -e /usr/share/apertium/modes/eng-spa.mode']);
    return true;
  } catch {
    return false;
  }
}

async function translationQuality(): Promise<void> {
  if (!existsSync(join(newstest, 'eng.txt')) || !existsSync(join(newstest, 'spa.txt'))) {
    console.log(`skipping translation quality: ${newstest} is absent`);
    return;
  }
  if (!(await hasApertium())) {
    console.log('skipping translation quality: Apertium with eng-spa is not installed');
    return;
  }
  const data = { eng: lines(join(newstest, 'eng.txt')), spa: lines(join(newstest, 'spa.txt')) };
  const rows: string[] = ['| direction | system | BLEU | chrF | words/s |', '|---|---|---|---|---|'];
  const engine = new ApertiumEngine();
  const tmp = mkdtempSync(join(tmpdir(), 'translate-bench-'));
  try {
    for (const [from, to] of [
      ['eng', 'spa'],
      ['spa', 'eng'],
    ] as const) {
      const source = data[from];
      const reference = data[to];
      const pair = `${from}-${to}`;
      const sourceWords = words(source);

      // plain Apertium: the wrapper, one process over the whole file
      const file = join(tmp, `${from}.txt`);
      writeFileSync(file, source.join('\n') + '\n');
      let t = performance.now();
      const plain = (await run('apertium', ['-u', pair, file], { maxBuffer: 64 << 20 })).stdout
        .split('\n')
        .slice(0, source.length);
      const plainSeconds = (performance.now() - t) / 1000;

      // this package: warm pipeline, document API (line = segment, sentence split, placeholders)
      await engine.translate(['Warm up.'], from, to);
      t = performance.now();
      const doc = await translateDocument({ text: source.join('\n'), format: 'text', from, to, engine });
      const oursSeconds = (performance.now() - t) / 1000;
      const ours = doc.text.split('\n');

      const ref = REFERENCE[pair];
      rows.push(
        `| ${from}→${to} | reference: plain Apertium (ENGINES.md) | ${fmt(ref.bleu)} | ${fmt(ref.chrf)} | |`,
      );
      rows.push(
        `| ${from}→${to} | \`apertium -u ${pair}\`, one process for the file | ${fmt(corpusBleu(plain, reference).score)} | ${fmt(corpusChrf(plain, reference))} | ${Math.round(sourceWords / plainSeconds)} |`,
      );
      rows.push(
        `| ${from}→${to} | ApertiumEngine warm pipeline via translateDocument | ${fmt(corpusBleu(ours, reference).score)} | ${fmt(corpusChrf(ours, reference))} | ${Math.round(sourceWords / oursSeconds)} |`,
      );
      console.log(`${pair}: done (${doc.stats.sentences} sentences in ${fmt(oursSeconds, 2)} s)`);
    }

    // warm pipeline against a new process per request, a few requests
    const requests = data.eng.slice(0, 5);
    const perProcess: number[] = [];
    for (const [k, sentence] of requests.entries()) {
      const file = join(tmp, `req${k}.txt`);
      writeFileSync(file, sentence + '\n');
      const t = performance.now();
      await run('apertium', ['-u', 'eng-spa', file]);
      perProcess.push(performance.now() - t);
    }
    const cold = new ApertiumEngine();
    let t = performance.now();
    await cold.translate([requests[0]], 'eng', 'spa');
    const firstWarm = performance.now() - t;
    const warm: number[] = [];
    for (const sentence of requests) {
      t = performance.now();
      await cold.translate([sentence], 'eng', 'spa');
      warm.push(performance.now() - t);
    }
    await cold.close();
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    rows.push('');
    rows.push('| eng→spa, one sentence a request (5 requests) | ms per request |');
    rows.push('|---|---|');
    rows.push(`| new \`apertium\` process per request | ${fmt(mean(perProcess), 0)} |`);
    rows.push(`| warm null-flush pipeline: first request (starts it) | ${fmt(firstWarm, 0)} |`);
    rows.push(`| warm null-flush pipeline: later requests | ${fmt(mean(warm), 1)} |`);
    sections.push('### Machine translation, WMT newstest2013 (500 lines)\n\n' + rows.join('\n'));
  } finally {
    await engine.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function languageId(): Promise<void> {
  if (!existsSync(flores)) {
    console.log(`skipping language ID: ${flores} is absent`);
    return;
  }
  const sets: Array<{ iso3: string; texts: string[] }> = [];
  const skipped: string[] = [];
  for (const file of readdirSync(flores).sort()) {
    const texts = lines(join(flores, file));
    const language = findLanguage(file.replace(/\.txt$/, '').split('_')[0]);
    // a file that is a link stub, not sentences, is reported and left out
    if (!language || texts.length < 10) skipped.push(file);
    else sets.push({ iso3: language.iso3, texts });
  }
  await loadLanguageDetectors();
  const methods: DetectionMethod[] = ['fasttext', 'cld3', 'combined'];
  const rows = ['| method | full sentence | first 5 words | ms per text |', '|---|---|---|---|'];
  let total = 0;
  for (const method of methods) {
    let full = 0;
    let short = 0;
    let n = 0;
    const t = performance.now();
    for (const { iso3, texts } of sets) {
      for (const text of texts) {
        n++;
        if ((await detectLanguage(text, { method })).iso3 === iso3) full++;
        if ((await detectLanguage(text.split(/\s+/).slice(0, 5).join(' '), { method })).iso3 === iso3)
          short++;
      }
    }
    total = n;
    const label =
      method === 'combined'
        ? 'combined (fastText + CLD3 by length)'
        : method === 'fasttext'
          ? 'fastText lid.176'
          : 'CLD3';
    rows.push(
      `| ${label} | ${fmt((100 * full) / n)}% | ${fmt((100 * short) / n)}% | ${fmt((performance.now() - t) / (2 * n), 2)} |`,
    );
  }
  const note = skipped.length ? `\n\nLeft out (not sentence files): ${skipped.join(', ')}.` : '';
  sections.push(
    `### Language ID, FLORES devtest (${sets.length} languages, ${total} sentences)\n\n${rows.join('\n')}${note}`,
  );
}

await translationQuality();
await languageId();
if (sections.length === 0) {
  console.log('Nothing measured (see the reasons above).');
} else {
  const report = `## @media-ai/translate benchmark\n\nMeasured ${new Date().toISOString().slice(0, 10)} on this machine (2 cores, shared). Run: \`pnpm --filter @media-ai/translate bench\`.\n\n${sections.join('\n\n')}\n`;
  console.log(`\n${report}`);
  writeFileSync(join(here, 'RESULTS.md'), report);
}
