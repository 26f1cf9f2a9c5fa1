import { existsSync } from 'node:fs';
import type { EngineTranslation, LanguagePair, TranslationEngine } from '../src/index.js';
import { parseLanguage } from '../src/index.js';

/**
 * A deterministic engine for structure tests: upper-cases words outside placeholders, so a test can see
 * what was translated and what was not. Records every call.
 */
export class UpperCaseEngine implements TranslationEngine {
  readonly calls: string[][] = [];
  constructor(
    readonly id = 'upper',
    private readonly supported: LanguagePair[] = [
      { from: 'eng', to: 'spa', via: [] },
      { from: 'spa', to: 'eng', via: [] },
    ],
    private readonly transform: (text: string) => string = (text) =>
      text.replace(/[^\u27E6\u27E7\d]+/g, (s) => s.toUpperCase()),
  ) {}

  async pairs(): Promise<LanguagePair[]> {
    return this.supported;
  }

  async translate(texts: readonly string[], from: string, to: string): Promise<EngineTranslation> {
    this.calls.push([...texts]);
    return {
      texts: texts.map(this.transform),
      engine: this.id,
      route: [parseLanguage(from).iso3, parseLanguage(to).iso3],
    };
  }

  get sentencesSent(): number {
    return this.calls.reduce((sum, call) => sum + call.length, 0);
  }
}

/** Returns its input unchanged: a translation round trip must give the document back. */
export function identityEngine(): UpperCaseEngine {
  return new UpperCaseEngine('identity', undefined, (text) => text);
}

export const HAS_APERTIUM =
  existsSync('/usr/share/apertium/modes/eng-spa.mode') && existsSync('/usr/share/apertium/modes/pt-es.mode');
export const NO_APERTIUM_REASON =
  'Apertium eng-spa and es-pt modes are not installed (scripts/debian-packages.txt installs them)';
if (!HAS_APERTIUM) console.warn(`skipping Apertium tests: ${NO_APERTIUM_REASON}`);
