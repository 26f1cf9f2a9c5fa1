/**
 * Fuzzy translation-memory matches on WMT newstest2013 (eng→spa), against the engine alone.
 *
 *   pnpm --filter @media-ai/translate bench:fuzzy   (also run by pnpm bench:translate)
 *
 * For every English line holding a number, the Spanish reference stands as an editor's correction in the
 * memory; the "new" sentence is the same line with that number changed (the next one up), and its reference
 * the Spanish line with the same change. Each new sentence is translated by Apertium alone and through the
 * memory with fuzzy matching at several thresholds. The threshold was chosen on lines 1–250 (selection);
 * lines 251–500 are held out.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApertiumEngine,
  InMemoryTranslationMemory,
  corpusBleu,
  memoryKey,
  translateDocument,
} from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.SHARED_DATA_DIR ?? path.resolve(here, '../../../../shared/data');
const dir = path.join(dataDir, 'text', 'newstest2013');
const THRESHOLDS = [0.6, 0.7, 0.8, 0.9, 0.95];

interface Case {
  line: number;
  source: string;
  corrected: string;
  variant: string;
  reference: string;
  /** The line with one longer word changed: its translation cannot be carried over, so it must not be reused. */
  changedWord: string;
}

function cases(eng: string[], spa: string[]): Case[] {
  const out: Case[] = [];
  eng.forEach((source, i) => {
    const m = /(?<![\d.,])(\d{1,4})(?![\d.,])/.exec(source);
    const corrected = spa[i] ?? '';
    if (!m || !corrected) return;
    const n = m[1]!;
    // only where the number appears once on each side, so the reference of the variant is known
    const once = (s: string) => s.split(new RegExp(`(?<!\\d)${n}(?!\\d)`)).length === 2;
    if (!once(source) || !once(corrected)) return;
    const next = String(Number(n) + 1);
    const swap = (s: string) => s.replace(new RegExp(`(?<!\\d)${n}(?!\\d)`), next);
    const word = /\b([a-z]{6,})\b/.exec(source)?.[1];
    const changedWord = word ? source.replace(new RegExp(`\\b${word}\\b`), 'remarkable') : source;
    out.push({
      line: i + 1,
      source,
      corrected,
      variant: swap(source),
      reference: swap(corrected),
      changedWord,
    });
  });
  return out;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(dir, 'eng.txt'))) {
    console.log(`Skipping the fuzzy memory benchmark: ${dir} is absent.`);
    return;
  }
  const eng = readFileSync(path.join(dir, 'eng.txt'), 'utf8').split('\n');
  const spa = readFileSync(path.join(dir, 'spa.txt'), 'utf8').split('\n');
  const all = cases(eng, spa);
  const halves = { selection: all.filter((c) => c.line <= 250), 'held-out': all.filter((c) => c.line > 250) };
  const engine = new ApertiumEngine();
  const lines = ['# Fuzzy translation memory benchmark', ''];
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ');
  lines.push(
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Run: \`pnpm --filter @media-ai/translate bench:fuzzy\`.`,
    '',
    'WMT newstest2013 eng→spa, the lines holding a number (once on each side): the reference translation is an ' +
      "editor's correction in the memory; the new sentence has that number changed (n → n+1), its reference likewise. " +
      'BLEU of the new sentences; "reused" = sentences taken from the memory (origin memory-fuzzy). The same lines ' +
      'with one word of 6+ letters changed ("remarkable") cannot be carried over and must go to the engine. On the ' +
      'selection lines (1–250) every threshold up to 0.8 reuses all number changes; 0.8 is the strictest of those ' +
      '(the default). Lines 251–500 are held out.',
    '',
    '| half | sentences | translation | reused | BLEU | word-changed variants reused (must be 0) |',
    '|---|---|---|---|---|---|',
  );
  for (const [half, set] of Object.entries(halves)) {
    const memory = new InMemoryTranslationMemory();
    await memory.store(
      'eng',
      'spa',
      set.map((c) => ({
        source: memoryKey(c.source),
        target: c.corrected,
        origin: 'human' as const,
        engine: null,
      })),
    );
    const refs = set.map((c) => c.reference);
    const run = async (fuzzyMatch?: number) => {
      const outs = await Promise.all(
        set.map((c) =>
          translateDocument({
            text: c.variant,
            from: 'en',
            to: 'es',
            engine,
            memory,
            storeInMemory: false,
            ...(fuzzyMatch ? { fuzzyMatch } : {}),
          }),
        ),
      );
      const reused = outs.filter((o) => o.stats.fuzzyMemoryHits > 0).length;
      return {
        bleu: corpusBleu(
          outs.map((o) => o.text),
          refs,
        ).score,
        reused,
      };
    };
    const falseReuse = async (fuzzyMatch: number) => {
      const outs = await Promise.all(
        set
          .filter((c) => c.changedWord !== c.source)
          .map((c) =>
            translateDocument({
              text: c.changedWord,
              from: 'en',
              to: 'es',
              engine,
              memory,
              storeInMemory: false,
              fuzzyMatch,
            }),
          ),
      );
      return outs.filter((o) => o.stats.fuzzyMemoryHits > 0).length;
    };
    const engineOnly = await run();
    lines.push(
      `| ${half} | ${set.length} | Apertium alone (today) | 0 | ${engineOnly.bleu.toFixed(2)} | 0 |`,
    );
    console.log(`${half}: ${set.length} sentences, engine BLEU ${engineOnly.bleu.toFixed(2)}`);
    for (const t of THRESHOLDS) {
      const r = await run(t);
      lines.push(
        `| ${half} | ${set.length} | fuzzy memory ≥ ${t}${t === 0.8 ? ' (default)' : ''} | ${r.reused} | ${r.bleu.toFixed(2)} | ${await falseReuse(t)} |`,
      );
      console.log(`  fuzzy ≥ ${t}: reused ${r.reused}, BLEU ${r.bleu.toFixed(2)}`);
    }
  }
  await engine.close();
  lines.push('', `Load average at the end: ${load()}.`, '');
  writeFileSync(path.join(here, 'FUZZY.md'), lines.join('\n'));
  console.log(`Wrote ${path.join(here, 'FUZZY.md')}`);
}

await main();
