import { DomainError } from '@media-ai/core';
import type { Prisma, TenantDb, TranslationMemoryEntry } from '@media-ai/db';
import { memoryKey, parseLanguage, splitSentences, type MemoryEntry } from '@media-ai/translate';
import { PostgresTranslationMemory } from '@media-ai/translate-platform';
import { paginate, type PageArgs } from '../common/pagination.js';
import { code } from './translate.service.js';
import type {
  CorrectTranslationArgs,
  TranslationMemoryEntryGQL,
  TranslationMemoryFilter,
} from './translate.types.js';

/** The newsroom's translation memory: browse it, correct machine output, remove entries. */
export class TranslationMemoryService {
  constructor(private readonly db: TenantDb) {}

  async list(page: PageArgs, filter: TranslationMemoryFilter = {}) {
    const where: Prisma.TranslationMemoryEntryWhereInput = {};
    if (filter.sourceLanguage) where.sourceLang = parseLanguage(filter.sourceLanguage).iso3;
    if (filter.targetLanguage) where.targetLang = parseLanguage(filter.targetLanguage).iso3;
    if (filter.origin) where.origin = filter.origin;
    if (filter.search) {
      where.OR = [
        { source: { contains: filter.search, mode: 'insensitive' } },
        { target: { contains: filter.search, mode: 'insensitive' } },
      ];
    }
    const connection = await paginate(
      page,
      (q) =>
        this.db.translationMemoryEntry.findMany({
          where,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          ...q,
        }),
      () => this.db.translationMemoryEntry.count({ where }),
    );
    return {
      ...connection,
      edges: connection.edges.map((e) => ({ cursor: e.cursor, node: entryGQL(e.node) })),
    };
  }

  /**
   * Stores an editor's translation of a sentence (or of several, paired in order): from now on it is used
   * for that sentence in place of any engine's output, in `translate` and in translateContent jobs.
   */
  async correct(args: CorrectTranslationArgs): Promise<TranslationMemoryEntryGQL[]> {
    const source = parseLanguage(args.sourceLanguage);
    const target = parseLanguage(args.targetLanguage);
    if (source.iso3 === target.iso3) {
      throw new DomainError('BAD_USER_INPUT', 'sourceLanguage and targetLanguage are the same language');
    }
    const sources = sentencesOf(args.source, source.iso1);
    const targets = sentencesOf(args.target, target.iso1);
    if (sources.length === 0 || targets.length === 0) {
      throw new DomainError('BAD_USER_INPUT', 'source and target must both have words in them');
    }
    let pairs: [string, string][];
    if (sources.length === 1) pairs = [[sources[0], targets.join(' ')]];
    else if (sources.length === targets.length) pairs = sources.map((s, k) => [s, targets[k]]);
    else {
      throw new DomainError(
        'BAD_USER_INPUT',
        `source has ${sources.length} sentences and target ${targets.length}: the memory works sentence by sentence, ` +
          'so give one target sentence per source sentence, or correct one sentence at a time.',
      );
    }
    const entries: MemoryEntry[] = pairs.map(([s, t]) => {
      const missing = markers(s).filter((m) => !markers(t).includes(m));
      if (missing.length > 0 || markers(t).length !== markers(s).length) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `The translation of "${s}" must keep its markup markers (${markers(s).join(' ') || 'none'}) as they are, where they belong`,
        );
      }
      return { source: memoryKey(s), target: memoryKey(t), origin: 'human', engine: null };
    });
    await new PostgresTranslationMemory(this.db).store(source.iso3, target.iso3, entries);
    const rows = await this.db.translationMemoryEntry.findMany({
      where: {
        sourceLang: source.iso3,
        targetLang: target.iso3,
        origin: 'HUMAN',
        sourceKey: { in: entries.map((e) => e.source) },
      },
    });
    const order = entries.map((e) => e.source);
    return rows.sort((a, b) => order.indexOf(a.sourceKey) - order.indexOf(b.sourceKey)).map(entryGQL);
  }

  async delete(id: string): Promise<boolean> {
    const { count } = await this.db.translationMemoryEntry.deleteMany({ where: { id } });
    if (count === 0) throw new DomainError('NOT_FOUND', `Translation memory entry ${id} was not found`);
    return true;
  }
}

/** Sentences as translation keys them: line by line, then sentence by sentence. */
function sentencesOf(text: string, lang: string | null): string[] {
  return text
    .split(/\r?\n/)
    .flatMap((line) => splitSentences(line, lang).map((piece) => piece.text.trim()))
    .filter((sentence) => /[\p{L}\p{N}]/u.test(sentence));
}

/** ⟦n⟧ markers of a sentence, sorted. */
function markers(sentence: string): string[] {
  return [...memoryKey(sentence).matchAll(/\u27E6(\d+)\u27E7/g)].map((m) => m[0]).sort();
}

function entryGQL(row: TranslationMemoryEntry): TranslationMemoryEntryGQL {
  return {
    id: row.id,
    sourceLanguage: code(row.sourceLang),
    targetLanguage: code(row.targetLang),
    source: row.source,
    target: row.target,
    origin: row.origin,
    engine: row.origin === 'HUMAN' || row.engine === '' ? null : row.engine,
    hits: row.hits,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
