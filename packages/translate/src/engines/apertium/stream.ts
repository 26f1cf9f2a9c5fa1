import { placeholderPattern } from '../../document/placeholders.js';

const SPECIAL = /[[\]{}^$/\\@<>]/g;

/** Letters that spell a placeholder's number in its stand-in word (0 → a … 9 → j). */
const DIGIT_LETTERS = 'abcdefghij';
const STAND_IN = 'zqx';
const STAND_IN_PATTERN = /\bzqx([a-j]+)\b/giu;

/** Before and after a placeholder that stands alone as a word (an inline code span, a URL). */
const WORD_BEFORE = /[\s([{"'“‘«¿¡—–-]/u;
const WORD_AFTER = /[\s.,;:!?)\]}"'”’»—–-]/u;

/**
 * Plain text (with placeholders) to Apertium stream format: special characters escaped and NULs removed.
 * A placeholder inside or against a word (bold, links, tags: `⟦1⟧storm⟦2⟧`) becomes a superblank `[⟦n⟧]`
 * that every stage passes through untouched. A placeholder that stands alone as a word (an inline code
 * span, a URL) becomes an unknown word instead (`zqxb` for ⟦1⟧): as a blank the engine read the next word
 * as the start of a sentence, capitalised it and tagged it wrongly ("`ls` lists" came out "`ls` Listas").
 */
export function toApertiumStream(text: string): string {
  const cleaned = text.replace(/\0/g, '');
  const standIns = !/zqx/i.test(cleaned);
  let out = '';
  let last = 0;
  for (const match of cleaned.matchAll(placeholderPattern())) {
    const before = cleaned[match.index - 1];
    const after = cleaned[match.index + match[0].length];
    const word =
      standIns &&
      (before === undefined || WORD_BEFORE.test(before)) &&
      (after === undefined || WORD_AFTER.test(after));
    out +=
      escapeStream(cleaned.slice(last, match.index)) +
      (word ? standInWord(Number(match[1])) : `[\u27E6${match[1]}\u27E7]`);
    last = match.index + match[0].length;
  }
  return out + escapeStream(cleaned.slice(last));
}

function standInWord(index: number): string {
  return (
    STAND_IN +
    String(index)
      .split('')
      .map((d) => DIGIT_LETTERS[Number(d)])
      .join('')
  );
}

function escapeStream(text: string): string {
  return text.replace(SPECIAL, (ch) => `\\${ch}`);
}

/**
 * Apertium output back to text: escapes undone, superblank brackets dropped (their content kept) and
 * stand-in words back to placeholders. `source` (the text given to `toApertiumStream`) restores the case
 * of the word after a stand-in, which the engine capitalises as if a sentence started there.
 */
export function fromApertiumStream(stream: string, source?: string): string {
  let out = '';
  let inBlank = false;
  for (let i = 0; i < stream.length; i++) {
    const ch = stream[i];
    if (ch === '\\' && i + 1 < stream.length) {
      out += stream[++i];
    } else if (!inBlank && ch === '[') {
      inBlank = true;
    } else if (inBlank && ch === ']') {
      inBlank = false;
    } else {
      out += ch;
    }
  }
  if (source === undefined || /zqx/i.test(source)) return out;
  return out
    .replace(
      new RegExp(`${STAND_IN_PATTERN.source}(\\s+)(\\p{Lu})`, 'giu'),
      (whole, letters: string, space: string, first: string) => {
        const index = letters
          .toLowerCase()
          .split('')
          .map((l) => DIGIT_LETTERS.indexOf(l))
          .join('');
        // lower-case only where the source had a lower-case word after this placeholder
        const after = new RegExp(`\u27E6\\s*${index}\\s*\u27E7\\s+(\\p{L})`, 'u').exec(source)?.[1];
        return after && after === after.toLowerCase() ? `zqx${letters}${space}${first.toLowerCase()}` : whole;
      },
    )
    .replace(STAND_IN_PATTERN, (_m, letters: string) => {
      const index = letters
        .toLowerCase()
        .split('')
        .map((l) => DIGIT_LETTERS.indexOf(l))
        .join('');
      return `\u27E6${index}\u27E7`;
    });
}
