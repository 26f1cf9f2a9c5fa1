import { readFile } from 'node:fs/promises';

/** The phone set of the CMU dictionary and pocketsphinx's en-us acoustic model. */
export const CMU_PHONES: ReadonlySet<string> = new Set(
  'AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH'.split(
    ' ',
  ),
);

export type Pronunciations = Map<string, string[][]>;

/** Reads a pocketsphinx dictionary ("word PH PH ...", alternates as "word(2) ..."). */
export async function readDictionary(file: string): Promise<Pronunciations> {
  return parseDictionary(await readFile(file, 'utf8'));
}

export function parseDictionary(text: string): Pronunciations {
  const dict: Pronunciations = new Map();
  for (const line of text.split('\n')) {
    const hash = line.indexOf('#');
    const fields = (hash >= 0 ? line.slice(0, hash) : line).trim().split(/\s+/);
    if (fields.length < 2 || !fields[0]) continue;
    const word = fields[0].replace(/\(\d+\)$/, '');
    const prons = dict.get(word) ?? [];
    prons.push(fields.slice(1));
    dict.set(word, prons);
  }
  return dict;
}

/** Dictionary lines for the given entries: first pronunciation "word", the others "word(2)", "word(3)"... */
export function formatDictionary(
  entries: Iterable<[string, string[][]]>,
  startIndex: Map<string, number> = new Map(),
): string {
  const lines: string[] = [];
  for (const [word, prons] of entries) {
    let n = startIndex.get(word) ?? 0;
    for (const p of prons) {
      n++;
      lines.push(`${n === 1 ? word : `${word}(${n})`} ${p.join(' ')}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/**
 * Normalises a pronunciation given by a person: "K EH1 N AH0 D IY0", "k eh n ah d iy" or an array.
 * Stress digits are dropped; returns null when a phone is not in the CMU set.
 */
export function parsePhones(phones: string | readonly string[]): string[] | null {
  const list = (typeof phones === 'string' ? phones.trim().split(/\s+/) : [...phones]).map((p) =>
    p.toUpperCase().replace(/[0-2]$/, ''),
  );
  if (list.length === 0 || list.some((p) => !CMU_PHONES.has(p))) return null;
  return list;
}
