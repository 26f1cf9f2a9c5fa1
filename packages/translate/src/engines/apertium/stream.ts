import { placeholderPattern } from '../../document/placeholders.js';

const SPECIAL = /[[\]{}^$/\\@<>]/g;

/**
 * Plain text (with placeholders) to Apertium stream format: special characters escaped, each placeholder
 * as a superblank `[⟦n⟧]` that every stage passes through untouched, and NULs removed.
 */
export function toApertiumStream(text: string): string {
  const cleaned = text.replace(/\0/g, '');
  let out = '';
  let last = 0;
  for (const match of cleaned.matchAll(placeholderPattern())) {
    out += escapeStream(cleaned.slice(last, match.index)) + `[\u27E6${match[1]}\u27E7]`;
    last = match.index + match[0].length;
  }
  return out + escapeStream(cleaned.slice(last));
}

function escapeStream(text: string): string {
  return text.replace(SPECIAL, (ch) => `\\${ch}`);
}

/** Apertium output back to text: escapes undone and superblank brackets dropped (their content kept). */
export function fromApertiumStream(stream: string): string {
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
  return out;
}
