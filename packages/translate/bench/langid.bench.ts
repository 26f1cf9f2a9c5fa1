/**
 * Language-ID calibration and benchmark on FLORES devtest (../shared/data/text/flores-langid).
 *
 * Each language file is split by line: lines 1-50 choose the settings (how much CLD3 counts by text
 * length, how a model that does not know a language abstains, the `reliable` thresholds), lines 51-100
 * are held out and only reported. Texts: whole sentences and their first 1, 2, 3, 5 and 8 words.
 * Prints engines alone (baseline), the rule before calibration (today) and the calibrated rule (after),
 * all on the held-out lines from the same model votes, and the settings the fit chose.
 *
 *   pnpm bench:langid        (data from SHARED_DATA_DIR, else <repo>/../shared/data)
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decideLanguage,
  DEFAULT_LANGUAGE_ID_CALIBRATION,
  findLanguage,
  isReliable,
  languageVotes,
  loadLanguageDetectors,
  type LanguageDetection,
  type LanguageIdCalibration,
  type LanguageVotes,
  type ReliabilityEvidence,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const dataDir = process.env.SHARED_DATA_DIR ?? resolve(repoRoot, '../shared/data');
const flores = join(dataDir, 'text/flores-langid');
/** Precision the fit aims for on the calibration lines, above the 99% promised on unseen text. */
const FIT_PRECISION = 0.995;
const LENGTHS = [1, 2, 3, 5, 8, 0] as const; // words; 0 = the whole sentence
const CALIBRATION_LINES = 50;
/** Accuracy (mean over the text lengths) the fit gives up for a lower abstention. */
const ABSTENTION_TOLERANCE = 0.0005;

interface Item {
  iso3: string;
  words: number;
  heldOut: boolean;
  votes: LanguageVotes | null;
}

type Decide = (votes: LanguageVotes | null) => LanguageDetection;

/** The combination in use before this calibration: CLD3's weight letters/80 in [0.25, 1], silence counted as a 0 vote. */
const TODAY_COMBINATION: LanguageIdCalibration = {
  ...DEFAULT_LANGUAGE_ID_CALIBRATION,
  cld3Weight: { perLetters: 80, min: 0.25, max: 1 },
  abstention: 1,
};

/** The rule in use before this calibration (fastText + CLD3 by length, fixed thresholds), kept to report "today". */
function todayRule(votes: LanguageVotes | null): LanguageDetection {
  const d = decideLanguage(votes, { calibration: TODAY_COMBINATION });
  if (!votes) return d;
  const ftTop = votes.fasttext.reduce<LanguageVotes['fasttext'][number] | null>(
    (b, l) => (!b || l.confidence > b.confidence ? l : b),
    null,
  );
  const c3Top = votes.cld3.reduce<LanguageVotes['cld3'][number] | null>(
    (b, l) => (!b || l.confidence > b.confidence ? l : b),
    null,
  );
  const agree = !ftTop || !c3Top || ftTop.iso3 === c3Top.iso3;
  const second = d.alternatives[0]?.confidence ?? 0;
  const reliable = d.confidence >= 0.5 && (agree || d.confidence >= 0.7) && second < d.confidence * 0.6;
  return { ...d, reliable };
}

function main(): Promise<void> | void {
  if (!existsSync(flores)) {
    console.log(`skipping language ID: ${flores} is absent`);
    return;
  }
  return run();
}

async function run(): Promise<void> {
  await loadLanguageDetectors();
  const cache = process.env.LANGID_VOTES_CACHE;
  let items: Item[] = [];
  let languages: string[] = [];
  const t0 = performance.now();
  const fromCache = Boolean(cache && existsSync(cache));
  if (cache && fromCache)
    ({ items, languages } = JSON.parse(readFileSync(cache, 'utf8')) as {
      items: Item[];
      languages: string[];
    });
  else
    for (const file of readdirSync(flores).sort()) {
      const language = findLanguage(file.replace(/\.txt$/, '').split('_')[0]!);
      const lines = readFileSync(join(flores, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      if (!language || lines.length < 2 * CALIBRATION_LINES) {
        console.log(`left out ${file}: not a FLORES sentence file`);
        continue;
      }
      languages.push(language.iso3);
      for (const [i, line] of lines.slice(0, 2 * CALIBRATION_LINES).entries()) {
        const words = line.trim().split(/\s+/);
        for (const n of LENGTHS) {
          // CJK and Thai sentences have no spaces: their "first n words" are the whole line; count them once.
          if (n > 0 && words.length <= n && n !== 5) continue;
          const text = n > 0 ? words.slice(0, n).join(' ') : line;
          items.push({
            iso3: language.iso3,
            words: n,
            heldOut: i >= CALIBRATION_LINES,
            votes: await languageVotes(text),
          });
        }
      }
    }
  const votesMs = (performance.now() - t0) / items.length;
  // A stored copy of the votes lets the report be re-run without the models (set LANGID_VOTES_CACHE).
  if (cache && !existsSync(cache)) writeFileSync(cache, JSON.stringify({ items, languages }));
  const calibration = items.filter((i) => !i.heldOut);
  const heldOut = items.filter((i) => i.heldOut);

  const fitted = fit(calibration);
  const committed = DEFAULT_LANGUAGE_ID_CALIBRATION;
  const same = JSON.stringify(fitted) === JSON.stringify(committed);

  const rules: Array<[string, Decide]> = [
    [
      'fastText lid.176 alone (baseline)',
      (v) => decideLanguage(v, { method: 'fasttext', calibration: committed }),
    ],
    ['CLD3 alone (baseline)', (v) => decideLanguage(v, { method: 'cld3', calibration: committed })],
    ['combined, before calibration (today)', todayRule],
    ['combined, calibrated (after)', (v) => decideLanguage(v, { calibration: committed })],
  ];
  const out: string[] = [];
  out.push(
    `### Language ID, FLORES devtest: ${languages.length} languages known to both models, held-out lines 51-100 (${heldOut.filter((i) => i.words === 0).length} sentences)`,
    '',
    `Settings chosen on lines 1-50 of each file; ${votesMs.toFixed(2)} ms per text for both models' votes.`,
    '',
    '| rule | full sentence | first 5 words | reliable answers right (all lengths) | answers called reliable | wrong answers called reliable |',
    '|---|---|---|---|---|---|',
  );
  for (const [name, decide] of rules) {
    const s = score(heldOut, decide);
    out.push(
      `| ${name} | ${pct(s.accuracy(0))} | ${pct(s.accuracy(5))} | ${pct(s.precision)} (${s.reliableRight}/${s.reliable}) | ${pct(s.coverage)} | ${s.reliableWrong} of ${s.wrong} |`,
    );
  }
  out.push(
    '',
    'Reliable for one model alone: its own probability at or above the calibrated single-model threshold (fastText itself has no reliability flag).',
  );
  out.push('', 'Calibrated rule by text length (held-out):', '');
  out.push('| words | accuracy | reliable answers right | called reliable |', '|---|---|---|---|');
  for (const n of LENGTHS) {
    const s = score(
      heldOut.filter((i) => i.words === n),
      (v) => decideLanguage(v, { calibration: committed }),
    );
    out.push(
      `| ${n === 0 ? 'sentence' : n} | ${pct(s.accuracy(n))} | ${pct(s.precision)} | ${pct(s.coverage)} |`,
    );
  }
  out.push(
    '',
    same
      ? 'The committed calibration (DEFAULT_LANGUAGE_ID_CALIBRATION) is what the fit on lines 1-50 chooses.'
      : `The fit on lines 1-50 now chooses a different calibration than the committed one:\n\n\`\`\`json\n${JSON.stringify(fitted, null, 2)}\n\`\`\``,
  );
  const report = `## Language-ID benchmark\n\nMeasured ${new Date().toISOString().slice(0, 10)}. Run: \`pnpm bench:langid\`.\n\n${out.join('\n')}\n`;
  console.log(`\n${report}`);
  writeFileSync(join(here, 'LANGID.md'), await formatMarkdown(report));
}

/** The repository checks formatting with Prettier (a root dev dependency); keep the written report conformant. */
async function formatMarkdown(markdown: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    return await prettier.format(markdown, { parser: 'markdown' });
  } catch {
    return markdown;
  }
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-';
}

function score(items: readonly Item[], decide: Decide) {
  let reliable = 0;
  let reliableRight = 0;
  let wrong = 0;
  let reliableWrong = 0;
  const byLength = new Map<number, { n: number; right: number }>();
  for (const item of items) {
    const d = decide(item.votes);
    const right = d.iso3 === item.iso3;
    const b = byLength.get(item.words) ?? { n: 0, right: 0 };
    b.n++;
    if (right) b.right++;
    byLength.set(item.words, b);
    if (!right) wrong++;
    if (d.reliable) {
      reliable++;
      if (right) reliableRight++;
      else reliableWrong++;
    }
  }
  return {
    accuracy: (n: number) => {
      const b = byLength.get(n);
      return b ? b.right / b.n : NaN;
    },
    precision: reliableRight / reliable,
    coverage: reliable / items.length,
    reliable,
    reliableRight,
    reliableWrong,
    wrong,
  };
}

/**
 * Chooses the combination on the calibration items: first the CLD3 weight curve and the abstention
 * that give the best mean accuracy over the text lengths, then the loosest `reliable` thresholds whose
 * reliable answers are at least FIT_PRECISION right.
 */
function fit(items: readonly Item[]): LanguageIdCalibration {
  const base = DEFAULT_LANGUAGE_ID_CALIBRATION;
  const tried: Array<{ accuracy: number; calibration: LanguageIdCalibration }> = [];
  for (const perLetters of [20, 40, 80, 160])
    for (const min of [0.1, 0.25, 0.5, 1])
      for (const max of [1, 2, 4])
        for (const abstention of [0, 0.25, 0.5, 1]) {
          if (min > max) continue;
          const calibration = { ...base, cld3Weight: { perLetters, min, max }, abstention };
          const s = score(items, (v) => decideLanguage(v, { calibration }));
          const accuracy = LENGTHS.reduce((sum: number, n) => sum + s.accuracy(n), 0) / LENGTHS.length;
          tried.push({ accuracy, calibration });
        }
  // The lowest abstention within ABSTENTION_TOLERANCE of the best accuracy: the 19 languages here are all
  // known to both models, so they cannot show what abstaining gains for a language only one model knows.
  const top = Math.max(...tried.map((t) => t.accuracy));
  const best = tried
    .filter((t) => t.accuracy >= top - ABSTENTION_TOLERANCE)
    .sort((a, b) => a.calibration.abstention - b.calibration.abstention || b.accuracy - a.accuracy)[0]!;
  const combined = best.calibration;

  // One model alone: the lowest probability at which that model's answers are FIT_PRECISION right.
  const single = (method: 'fasttext' | 'cld3'): number => {
    const answers = items
      .map((i) => {
        const d = decideLanguage(i.votes, { method, calibration: combined });
        return { p: d.confidence, right: d.iso3 === i.iso3 };
      })
      .sort((a, b) => b.p - a.p);
    let right = 0;
    let threshold = 1;
    answers.forEach((a, k) => {
      if (a.right) right++;
      if (right / (k + 1) >= FIT_PRECISION && (answers[k + 1]?.p ?? -1) < a.p) threshold = a.p;
    });
    return threshold;
  };
  const singleModel = { fasttext: single('fasttext'), cld3: single('cld3') };

  // Each item's answer and evidence once; the thresholds are then tried on the evidence alone.
  const answers = items.map((i) => {
    let evidence: ReliabilityEvidence | null = null;
    const d = decideLanguage(i.votes, { calibration: combined, onEvidence: (e) => (evidence = e) });
    return { words: i.words, right: d.iso3 === i.iso3, evidence };
  });
  const grid = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1.01];
  let chosen = { coverage: -1, reliable: combined.reliable };
  for (const agree of grid)
    for (const disagree of grid)
      for (const margin of [0.3, 0.5, 0.6, 0.8, 1])
        for (const minLetters of [0, 4, 8, 12, 16, 24]) {
          if (disagree < agree) continue;
          const reliable = { agree, disagree, singleModel, margin, minLetters };
          const tally = new Map<number, { n: number; right: number }>();
          let n = 0;
          let right = 0;
          for (const a of answers) {
            if (!a.evidence || !isReliable(a.evidence, reliable)) continue;
            n++;
            if (a.right) right++;
            const t = tally.get(a.words) ?? { n: 0, right: 0 };
            t.n++;
            if (a.right) t.right++;
            tally.set(a.words, t);
          }
          // Also at least 99% right at every text length, so that short texts do not lean on long ones.
          const everyLength = [...tally.values()].every((t) => t.right / t.n >= 0.99);
          const coverage = n / answers.length;
          if (right / n >= FIT_PRECISION && everyLength && coverage > chosen.coverage + 1e-9)
            chosen = { coverage, reliable };
        }
  return { ...combined, reliable: chosen.reliable };
}

await main();
