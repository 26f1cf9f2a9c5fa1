import { TranslateError } from '../errors.js';
import { memoryKey } from './key.js';
import type { MemoryEntry, MemoryMatch, TranslationMemory } from './types.js';

/** Translation memory in a Map: for tests, scripts and single-process use. */
export class InMemoryTranslationMemory implements TranslationMemory {
  private readonly entries = new Map<string, MemoryMatch>();
  lookups = 0;

  async lookup(
    sourceLang: string,
    targetLang: string,
    keys: readonly string[],
  ): Promise<Map<string, MemoryMatch>> {
    this.lookups++;
    const found = new Map<string, MemoryMatch>();
    for (const key of keys) {
      const match = this.entries.get(this.id(sourceLang, targetLang, key));
      if (match) found.set(key, match);
    }
    return found;
  }

  async store(sourceLang: string, targetLang: string, entries: readonly MemoryEntry[]): Promise<void> {
    for (const entry of entries) {
      if (entry.source.trim() === '')
        throw new TranslateError('INVALID_INPUT', 'A memory entry needs a source sentence', {});
      const id = this.id(sourceLang, targetLang, entry.source);
      const existing = this.entries.get(id);
      if (existing?.origin === 'human' && entry.origin === 'machine') continue;
      this.entries.set(id, {
        target: entry.target,
        origin: entry.origin,
        engine: entry.origin === 'human' ? null : entry.engine,
      });
    }
  }

  async fuzzyCandidates(
    sourceLang: string,
    targetLang: string,
  ): Promise<{ source: string; target: string }[]> {
    const prefix = `${sourceLang}\u0001${targetLang}\u0001`;
    return [...this.entries]
      .filter(([id, m]) => id.startsWith(prefix) && m.origin === 'human')
      .map(([id, m]) => ({ source: id.slice(prefix.length), target: m.target }));
  }

  get size(): number {
    return this.entries.size;
  }

  private id(sourceLang: string, targetLang: string, key: string): string {
    return `${sourceLang}\u0001${targetLang}\u0001${memoryKey(key)}`;
  }
}
