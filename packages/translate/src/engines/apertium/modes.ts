import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findLanguage } from '../../languages.js';

export const DEFAULT_MODES_DIR = '/usr/share/apertium/modes';

/** An installed translation mode such as `eng-spa`, `es-pt_BR` or `eng-cat_valencia`. */
export interface ApertiumMode {
  readonly name: string;
  /** ISO 639-3 */
  readonly from: string;
  /** ISO 639-3 */
  readonly to: string;
  /** Target variant: `BR`, `US`, `valencia` ...; null for the pair's default. */
  readonly variant: string | null;
  readonly file: string;
}

const MODE_NAME = /^([a-z]{2,3})-([a-z]{2,3})(?:_([A-Za-z0-9_]+))?\.mode$/;

/** Translation modes installed in `dir` (analysis-only and debugging modes are skipped). */
export async function discoverModes(dir: string = DEFAULT_MODES_DIR): Promise<ApertiumMode[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const modes: ApertiumMode[] = [];
  for (const name of names.sort()) {
    const match = MODE_NAME.exec(name);
    if (!match) continue;
    const from = findLanguage(match[1]);
    const to = findLanguage(match[2]);
    if (!from || !to || from.iso3 === to.iso3) continue;
    const variant = match[3] ?? null;
    modes.push({
      name: name.slice(0, -'.mode'.length),
      from: from.iso3,
      to: to.iso3,
      variant: variant && /^[a-z]{2}$/i.test(variant) ? variant.toUpperCase() : variant,
      file: join(dir, name),
    });
  }
  return modes;
}

/**
 * Splits a mode file (a shell pipeline) into stages of argument lists. Handles single and double quotes,
 * which is all mode files use.
 */
export function parseModePipeline(text: string): string[][] {
  const stages: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '|') {
      endWord();
      if (words.length) stages.push(words);
      words = [];
    } else if (/\s/.test(ch)) {
      endWord();
    } else {
      word += ch;
      inWord = true;
    }
  }
  endWord();
  if (words.length) stages.push(words);
  return stages;
}

export interface PipelineCommandOptions {
  /** Keep Apertium's `*` marks on unknown words (default false: `-n`, as `apertium -u`). */
  readonly markUnknown?: boolean;
}

/**
 * The mode's pipeline as one bash command with `-z` (null flush) on every stage, `$1` as the generator
 * flag and `$2` (tagger option) dropped. The `apertium` wrapper cannot be used: it drops `-z` and opens
 * /dev/stdin, which fails on a socket.
 */
export function nullFlushCommand(modeText: string, options: PipelineCommandOptions = {}): string {
  const generatorFlag = options.markUnknown ? '-g' : '-n';
  const stages = parseModePipeline(modeText).map((words) => {
    const [program, ...args] = words;
    const rest = args.flatMap((arg) => (arg === '$1' ? [generatorFlag] : arg === '$2' ? [] : [arg]));
    if (!rest.includes('-z')) rest.unshift('-z');
    return [program, ...rest].map(shellQuote).join(' ');
  });
  return stages.join(' | ');
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./=:-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export async function readModeCommand(
  mode: ApertiumMode,
  options: PipelineCommandOptions = {},
): Promise<string> {
  return nullFlushCommand(await readFile(mode.file, 'utf8'), options);
}
