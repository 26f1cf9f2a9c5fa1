import type { Prisma, TenantDb, TranslationMemoryEntry } from '@media-ai/db';
import {
  memoryKey,
  TranslateError,
  type MemoryEntry,
  type MemoryMatch,
  type TranslationMemory,
} from '@media-ai/translate';

/** Most recent editor's corrections of a direction that fuzzy matching compares a translation's sentences with. */
export const FUZZY_CANDIDATES = 5000;

/**
 * The newsroom's translation memory in PostgreSQL (table TranslationMemoryEntry), one row per sentence,
 * origin and engine. Languages are ISO 639-3. Behaves like packages/translate's InMemoryTranslationMemory:
 * a lookup returns the human entry of a sentence if there is one, else its latest machine entry; machine
 * output is not stored over an editor's correction; an editor's correction is stored over anything.
 */
export class PostgresTranslationMemory implements TranslationMemory {
  /**
   * Rows a lookup read, by direction and key: a store of the same sentences (the machine output of what
   * was looked up) needs no second read. One instance serves one translation, so this never goes stale
   * for long; a row written meanwhile by another translation is skipped by the insert.
   */
  private readonly seen = new Map<
    string,
    Pick<TranslationMemoryEntry, 'id' | 'sourceKey' | 'origin' | 'engine' | 'target'>[]
  >();
  private readonly looked = new Set<string>();

  constructor(private readonly db: TenantDb) {}

  async lookup(
    sourceLang: string,
    targetLang: string,
    keys: readonly string[],
  ): Promise<Map<string, MemoryMatch>> {
    const found = new Map<string, MemoryMatch>();
    if (keys.length === 0) return found;
    const byKey = new Map(keys.map((key) => [memoryKey(key), key]));
    const rows = await this.db.translationMemoryEntry.findMany({
      where: { sourceLang, targetLang, sourceKey: { in: [...byKey.keys()] } },
      orderBy: { updatedAt: 'desc' },
    });
    for (const sourceKey of byKey.keys())
      this.looked.add(`${sourceLang}\u0001${targetLang}\u0001${sourceKey}`);
    for (const row of rows) {
      const k = `${sourceLang}\u0001${targetLang}\u0001${row.sourceKey}`;
      this.seen.set(k, [...(this.seen.get(k) ?? []), row]);
    }
    const best = new Map<string, TranslationMemoryEntry>();
    for (const row of rows) {
      const current = best.get(row.sourceKey);
      if (!current || (row.origin === 'HUMAN' && current.origin !== 'HUMAN')) best.set(row.sourceKey, row);
    }
    for (const [sourceKey, row] of best) {
      found.set(byKey.get(sourceKey)!, {
        target: row.target,
        origin: row.origin === 'HUMAN' ? 'human' : 'machine',
        engine: row.origin === 'HUMAN' ? null : row.engine,
      });
    }
    return found;
  }

  /**
   * Editors' corrections that may nearly match `keys`: the most recent human entries of the direction whose
   * source length is within `maxLengthRatio` of some key's (at most FUZZY_CANDIDATES rows; scoring and the
   * decision are packages/translate's fuzzy matching).
   */
  async fuzzyCandidates(
    sourceLang: string,
    targetLang: string,
    keys: readonly string[],
    maxLengthRatio: number,
  ): Promise<{ source: string; target: string }[]> {
    if (keys.length === 0) return [];
    const lengths = keys.map((k) => k.length);
    const min = Math.floor(Math.min(...lengths) / maxLengthRatio);
    const max = Math.ceil(Math.max(...lengths) * maxLengthRatio);
    const rows = await this.db.translationMemoryEntry.findMany({
      where: { sourceLang, targetLang, origin: 'HUMAN' },
      orderBy: { updatedAt: 'desc' },
      select: { sourceKey: true, target: true },
      take: FUZZY_CANDIDATES,
    });
    return rows
      .filter((r) => r.sourceKey.length >= min && r.sourceKey.length <= max)
      .map((r) => ({ source: r.sourceKey, target: r.target }));
  }

  /** Counts reuses: the sentences a translation took from the memory (as `translateDocument` reports them). */
  async recordHits(
    sourceLang: string,
    targetLang: string,
    engine: string,
    sentences: readonly { key: string; origin: string }[],
  ): Promise<void> {
    const keys = (origin: string) => [
      ...new Set(sentences.filter((s) => s.origin === origin).map((s) => s.key)),
    ];
    const human = keys('memory-human');
    const machine = keys('memory-machine');
    const where = { sourceLang, targetLang };
    await Promise.all([
      human.length > 0 &&
        this.db.translationMemoryEntry.updateMany({
          where: { ...where, origin: 'HUMAN', sourceKey: { in: human } },
          data: { hits: { increment: 1 } },
        }),
      machine.length > 0 &&
        this.db.translationMemoryEntry.updateMany({
          where: { ...where, origin: 'MACHINE', engine, sourceKey: { in: machine } },
          data: { hits: { increment: 1 } },
        }),
    ]);
  }

  async store(sourceLang: string, targetLang: string, entries: readonly MemoryEntry[]): Promise<void> {
    const rows = new Map<
      string,
      { sourceKey: string; source: string; target: string; origin: 'HUMAN' | 'MACHINE'; engine: string }
    >();
    for (const entry of entries) {
      const sourceKey = memoryKey(entry.source);
      if (sourceKey === '' || entry.target.trim() === '') {
        throw new TranslateError(
          'INVALID_INPUT',
          'A translation memory entry needs a source and a target sentence',
          {},
        );
      }
      const origin = entry.origin === 'human' ? 'HUMAN' : 'MACHINE';
      const engine = origin === 'HUMAN' ? '' : (entry.engine ?? '');
      rows.set(`${origin}\u0001${engine}\u0001${sourceKey}`, {
        sourceKey,
        source: entry.source,
        target: entry.target,
        origin,
        engine,
      });
    }
    if (rows.size === 0) return;
    const keys = [...new Set([...rows.values()].map((r) => r.sourceKey))];
    const direction = `${sourceLang}\u0001${targetLang}\u0001`;
    const existing = keys.every((k) => this.looked.has(direction + k))
      ? keys.flatMap((k) => this.seen.get(direction + k) ?? [])
      : await this.db.translationMemoryEntry.findMany({
          where: { sourceLang, targetLang, sourceKey: { in: keys } },
          select: { id: true, sourceKey: true, origin: true, engine: true, target: true },
        });
    const corrected = new Set(existing.filter((e) => e.origin === 'HUMAN').map((e) => e.sourceKey));
    const byId = new Map(existing.map((e) => [`${e.origin}\u0001${e.engine}\u0001${e.sourceKey}`, e]));
    const creates: Omit<Prisma.TranslationMemoryEntryCreateManyInput, 'newsroomId'>[] = [];
    const updates = [];
    for (const [id, row] of rows) {
      if (row.origin === 'MACHINE' && corrected.has(row.sourceKey)) continue; // the editor's version stays
      const current = byId.get(id);
      if (!current) creates.push({ sourceLang, targetLang, ...row });
      else if (current.target !== row.target) {
        updates.push(
          this.db.translationMemoryEntry.update({
            where: { id: current.id },
            data: { target: row.target, source: row.source },
          }),
        );
      }
    }
    // skipDuplicates: a concurrent translation of the same sentence may have stored it a moment ago
    if (creates.length > 0)
      await this.db.translationMemoryEntry.createMany({ data: creates, skipDuplicates: true });
    await Promise.all(updates);
  }
}
