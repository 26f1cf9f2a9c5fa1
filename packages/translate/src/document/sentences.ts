/** A sentence and the whitespace after it; joining `text + separator` of all pieces gives the input back. */
export interface SentencePiece {
  readonly text: string;
  readonly separator: string;
}

// Words after which a period does not end a sentence (compared lower-case, without the period).
const ABBREVIATIONS = new Set(
  [
    // English
    'mr',
    'mrs',
    'ms',
    'dr',
    'prof',
    'sr',
    'jr',
    'st',
    'mt',
    'ft',
    'gen',
    'gov',
    'sen',
    'rep',
    'rev',
    'lt',
    'col',
    'capt',
    'cmdr',
    'sgt',
    'maj',
    'hon',
    'pres',
    'supt',
    'insp',
    'vs',
    'etc',
    'inc',
    'ltd',
    'co',
    'corp',
    'no',
    'nos',
    'vol',
    'fig',
    'approx',
    'est',
    'dept',
    'univ',
    'jan',
    'feb',
    'mar',
    'apr',
    'jun',
    'jul',
    'aug',
    'sep',
    'sept',
    'oct',
    'nov',
    'dec',
    'mon',
    'tue',
    'wed',
    'thu',
    'fri',
    'sat',
    'sun',
    'al',
    'cf',
    'op',
    'pp',
    'p',
    // Spanish, Catalan, Portuguese, French, Italian, German
    'sra',
    'srta',
    'dra',
    'sres',
    'dña',
    'dn',
    'd',
    'ud',
    'uds',
    'vd',
    'vds',
    'avda',
    'av',
    'pág',
    'págs',
    'núm',
    'tel',
    'aprox',
    'sto',
    'sta',
    'ee',
    'uu',
    'cía',
    'admón',
    'lic',
    'ing',
    'arq',
    'mme',
    'mlle',
    'mm',
    'm',
    'me',
    'cie',
    'env',
    'sig',
    'dott',
    'ecc',
    'nr',
    'bzw',
    'ca',
    'usw',
    'vgl',
    'z',
    'b',
    'sr',
    'exmo',
    'exma',
    'dº',
  ].map((w) => w.normalize('NFC')),
);

const TERMINATOR = /[.!?…。！？؟।]/u;
const CLOSERS = /["'”’»)\]}›]/u;
const PLACEHOLDER_AT = /^\u27E6\s*\d+\s*\u27E7/;

/**
 * Splits text (which may hold ⟦n⟧ placeholders) into sentences. Rule based: a terminator, optional closing
 * quotes, brackets or placeholders, then whitespace and a sentence start; known abbreviations, initials and
 * dotted acronyms (U.S.) do not end sentences. Full-width terminators (。！？) need no following space.
 */
export function splitSentences(text: string): SentencePiece[] {
  const pieces: SentencePiece[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (!TERMINATOR.test(ch)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < text.length && TERMINATOR.test(text[end])) end++;
    // closing quotes, brackets and placeholders (closing tags) stay with the sentence
    for (;;) {
      if (end < text.length && CLOSERS.test(text[end])) {
        end++;
        continue;
      }
      const ph = PLACEHOLDER_AT.exec(text.slice(end));
      if (ph) {
        end += ph[0].length;
        continue;
      }
      break;
    }
    let next = end;
    while (next < text.length && /\s/u.test(text[next])) next++;
    const fullWidth = /[。！？]/u.test(ch);
    const spaced = next > end;
    if (
      next < text.length &&
      (spaced || fullWidth) &&
      startsSentence(text.slice(next)) &&
      !isAbbreviation(text, start, i)
    ) {
      pieces.push({ text: text.slice(start, end), separator: text.slice(end, next) });
      start = next;
    }
    i = Math.max(end, i + 1);
  }
  if (start < text.length || pieces.length === 0) {
    const rest = text.slice(start);
    const trimmed = rest.replace(/\s+$/u, '');
    pieces.push({ text: trimmed, separator: rest.slice(trimmed.length) });
  }
  return pieces;
}

function startsSentence(rest: string): boolean {
  const body = rest.replace(/^(?:\u27E6\s*\d+\s*\u27E7|["'“‘«¿¡(\[—–-]\s?)+/u, '');
  const first = body[0];
  if (first === undefined) return rest.length > 0;
  if (/\p{Lu}|\p{N}/u.test(first)) return true;
  // scripts without case (CJK, Arabic, Devanagari ...) start sentences with any letter
  return /\p{L}/u.test(first) && first.toLowerCase() === first.toUpperCase();
}

/** Is the word that ends at the period `dot` an abbreviation? */
function isAbbreviation(text: string, from: number, dot: number): boolean {
  if (text[dot] !== '.') return false;
  const before = text.slice(from, dot);
  const word = /([\p{L}\p{N}.]+)$/u.exec(before)?.[1] ?? '';
  if (word === '') return false;
  if (/^\p{L}$/u.test(word)) {
    // "a. C.", "d. C." (antes / después de Cristo): the lower-case letter is the first half of the era
    if (/\p{Ll}/u.test(word)) return /^\s+\p{Lu}\./u.test(text.slice(dot + 1));
    // the era's second half ends a sentence like any word; other capitals are initials: "J. K. Rowling"
    return !/(?:^|[^\p{L}.])\p{Ll}\.\s+$/u.test(text.slice(from, dot - 1));
  }
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return true; // "U.S." "e.g." (the last dot is this one)
  return ABBREVIATIONS.has(word.toLowerCase());
}
