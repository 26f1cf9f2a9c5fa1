import { TranslateError } from '../errors.js';
import { placeholder, placeholderIndexes, replacePlaceholders } from './placeholders.js';

export interface GlossaryEntry {
  /** Term in the source language. */
  readonly source: string;
  /** The translation it must get. */
  readonly target: string;
  /** Match case exactly (default false). */
  readonly caseSensitive?: boolean;
}

/** Source term → required target term, as a record or a list. */
export type Glossary = Readonly<Record<string, string>> | readonly GlossaryEntry[];

interface Term {
  readonly pattern: RegExp;
  /** Replacement for a match: the glossary target, or the match itself for do-not-translate terms. */
  readonly output: (match: string) => string;
  readonly kind: 'glossary' | 'keep' | 'auto';
  readonly length: number;
}

export interface ProtectedSentence {
  /** Sentence with protected terms as placeholders numbered after its own. */
  readonly text: string;
  readonly terms: ReadonlyMap<number, string>;
  readonly glossaryHits: number;
  readonly keepHits: number;
}

/** Do-not-translate terms and glossary entries, matched as whole words, longest first. */
export class TermProtector {
  private readonly terms: Term[];
  private readonly userTerms: Term[];

  constructor(glossary: Glossary | undefined, doNotTranslate: readonly string[] | undefined) {
    const entries: GlossaryEntry[] = Array.isArray(glossary)
      ? [...(glossary as readonly GlossaryEntry[])]
      : Object.entries((glossary ?? {}) as Record<string, string>).map(([source, target]) => ({
          source,
          target,
        }));
    const terms: Term[] = [];
    for (const entry of entries) {
      if (
        typeof entry.source !== 'string' ||
        typeof entry.target !== 'string' ||
        entry.source.trim() === ''
      ) {
        throw new TranslateError(
          'INVALID_INPUT',
          'Each glossary entry needs a non-empty source term and a target term',
          { entry },
        );
      }
      terms.push({
        pattern: termPattern(entry.source, entry.caseSensitive ?? false),
        output: () => entry.target,
        kind: 'glossary',
        length: entry.source.length,
      });
    }
    for (const term of doNotTranslate ?? []) {
      if (typeof term !== 'string' || term.trim() === '')
        throw new TranslateError('INVALID_INPUT', 'Do-not-translate terms must be non-empty strings', {
          term,
        });
      terms.push({
        pattern: termPattern(term, true),
        output: (match) => match,
        kind: 'keep',
        length: term.length,
      });
    }
    this.userTerms = terms.sort((a, b) => b.length - a.length);
    this.terms = [...this.userTerms, ...AUTO_PROTECTED];
  }

  get isEmpty(): boolean {
    return this.userTerms.length === 0;
  }

  /** Does the sentence contain a glossary or do-not-translate term? */
  matches(sentence: string): boolean {
    return this.userTerms.some((term) => {
      term.pattern.lastIndex = 0;
      return term.pattern.test(sentence);
    });
  }

  /** Replaces terms by placeholders numbered after the sentence's highest one. */
  protect(sentence: string): ProtectedSentence {
    let next = Math.max(0, ...placeholderIndexes(sentence)) + 1;
    const terms = new Map<number, string>();
    let text = sentence;
    let glossaryHits = 0;
    let keepHits = 0;
    for (const term of this.terms) {
      term.pattern.lastIndex = 0;
      text = text.replace(term.pattern, (match: string) => {
        const index = next++;
        terms.set(index, term.output(match));
        if (term.kind === 'glossary') glossaryHits++;
        else if (term.kind === 'keep') keepHits++;
        return placeholder(index);
      });
    }
    return { text, terms, glossaryHits, keepHits };
  }

  /** Puts the protected terms back into a translation; other placeholders are left alone. */
  static restore(translated: string, terms: ReadonlyMap<number, string>): string {
    return replacePlaceholders(translated, (index) => terms.get(index) ?? placeholder(index));
  }
}

/** What no engine should touch in running text: URLs, e-mail addresses, handles, snake_case identifiers. */
const AUTO_PROTECTED: readonly Term[] = [
  /\b(?:https?:\/\/|www\.)[^\s\u27E6\u27E7<>"]*[^\s\u27E6\u27E7<>".,;:!?')\]]/giu,
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu,
  /(?<![\p{L}\p{N}_])@[\p{L}\p{N}_]{2,}/gu,
  /(?<![\p{L}\p{N}_\u27E6])[\p{L}\p{N}]+(?:_[\p{L}\p{N}]+)+(?:\.[\p{L}\p{N}]+)*(?![\p{L}\p{N}_\u27E7])/gu,
].map((pattern) => ({ pattern, output: (match: string) => match, kind: 'auto' as const, length: 0 }));

function termPattern(term: string, caseSensitive: boolean): RegExp {
  const body = term
    .trim()
    .split(/\s+/u)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  return new RegExp(
    `(?<![\\p{L}\\p{N}_\u27E6])${body}(?![\\p{L}\\p{N}_\u27E7])`,
    caseSensitive ? 'gu' : 'giu',
  );
}
