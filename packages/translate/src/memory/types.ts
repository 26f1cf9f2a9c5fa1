export type MemoryOrigin = 'human' | 'machine';

/**
 * One sentence pair. `source` is the key form (`memoryKey`): whitespace-normalised, NFC, markup as
 * placeholders numbered from 1 within the sentence. `target` uses the same placeholders.
 */
export interface MemoryEntry {
  readonly source: string;
  readonly target: string;
  /** 'human' for an editor's correction: it always wins over machine output. */
  readonly origin: MemoryOrigin;
  /** Engine id for machine entries (reused only with the same engine); null for human ones. */
  readonly engine: string | null;
}

export interface MemoryMatch {
  readonly target: string;
  readonly origin: MemoryOrigin;
  readonly engine: string | null;
}

/**
 * Translation memory, exact match per sentence. Languages are ISO 639-3. The platform implements it over
 * PostgreSQL; `InMemoryTranslationMemory` is the reference behaviour:
 * - `lookup` returns, per key found, the best entry: a human one if any, else the latest machine one;
 * - `store` never lets a machine entry replace a human one; a human entry replaces anything.
 */
export interface TranslationMemory {
  lookup(sourceLang: string, targetLang: string, keys: readonly string[]): Promise<Map<string, MemoryMatch>>;
  store(sourceLang: string, targetLang: string, entries: readonly MemoryEntry[]): Promise<void>;
  /**
   * Human entries that may nearly match `keys` (fuzzy matching scores them): at least those whose source
   * is within `maxLengthRatio` of a key's length. Optional: a memory without it has exact matches only.
   */
  fuzzyCandidates?(
    sourceLang: string,
    targetLang: string,
    keys: readonly string[],
    maxLengthRatio: number,
  ): Promise<readonly { source: string; target: string }[]>;
}
