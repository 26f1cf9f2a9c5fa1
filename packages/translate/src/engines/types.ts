/** A direction an engine can translate, in ISO 639-3 codes; `via` lists pivot languages, empty when direct. */
export interface LanguagePair {
  readonly from: string;
  readonly to: string;
  readonly via: readonly string[];
}

export interface EngineTranslation {
  /** One output per input text, same order. */
  readonly texts: string[];
  /** Identity of what produced the texts (stored with results so outputs of different engines are never mixed). */
  readonly engine: string;
  /** Languages the text went through, source first and target last: ['por', 'spa', 'eng'] for a pivot. */
  readonly route: readonly string[];
}

/**
 * A machine translation engine. Texts may contain placeholder tokens (see `document/placeholders.ts`,
 * `⟦n⟧`) that stand for markup or protected terms: an engine must keep them, in order where it can.
 * Language arguments accept any code `parseLanguage` knows (en, eng, pt-BR ...).
 */
export interface TranslationEngine {
  readonly id: string;
  pairs(): Promise<LanguagePair[]>;
  translate(texts: readonly string[], from: string, to: string): Promise<EngineTranslation>;
  /** Releases processes and sockets; the engine may be used again afterwards (it restarts lazily). */
  close?(): Promise<void>;
}
