import type { Redis } from 'ioredis';
import type { TenantDb } from '@media-ai/db';
import { readerHistoryKeys } from '@media-ai/jobs';

/** One reader event as serving needs it (the fold-in history). */
export interface HistoryEvent {
  itemId: string;
  eventType: string;
  weight: number | null;
  at: number;
}

/** An event just stored by ingest, with the reader's own (external) id. */
export interface IngestedEvent extends HistoryEvent {
  readerExternalId: string;
}

export interface ReaderHistory {
  /** The most recent events, oldest first (at most HISTORY_LIMIT). */
  events: HistoryEvent[];
  /** Every item the reader ever interacted with (for "exclude seen"), however long the history. */
  seen: Set<string>;
}

/** Recent events kept per reader: more than any fold-in needs (the newest count most). */
export const HISTORY_LIMIT = 1_000;
/** A reader's hot history expires after this long without new events (then reloads from PostgreSQL). */
const TTL_SECONDS = 7 * 86_400;
/** Marks a loaded seen-set (an empty Redis set does not exist). */
const LOADED = '#';
const SEP = '\t';

// Appends to a reader's hot history only where it is loaded: a history that is not in Redis is read
// whole from PostgreSQL on its next request, so appending there would make it look complete.
const APPEND = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
local n = tonumber(ARGV[1])
for i = 3, 2 + n do redis.call('RPUSH', KEYS[1], ARGV[i]) end
for i = 3 + n, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('EXPIRE', KEYS[1], ${TTL_SECONDS})
redis.call('EXPIRE', KEYS[2], ${TTL_SECONDS})
return 1`;

// Stores a history read from PostgreSQL unless another process stored one meanwhile.
const FILL = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local n = tonumber(ARGV[1])
redis.call('DEL', KEYS[1])
for i = 2, 1 + n do redis.call('RPUSH', KEYS[1], ARGV[i]) end
redis.call('SADD', KEYS[2], '${LOADED}')
for i = 2 + n, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
redis.call('EXPIRE', KEYS[1], ${TTL_SECONDS})
redis.call('EXPIRE', KEYS[2], ${TTL_SECONDS})
return 1`;

type HistoryRedis = Redis & {
  readerHistoryAppend(listKey: string, seenKey: string, ...args: (string | number)[]): Promise<number>;
  readerHistoryFill(listKey: string, seenKey: string, ...args: (string | number)[]): Promise<number>;
};

const encode = (e: HistoryEvent) =>
  [e.itemId, e.eventType, e.weight === null ? '' : String(e.weight), String(e.at)].join(SEP);

function decode(s: string): HistoryEvent | null {
  const [itemId, eventType, weight, at] = s.split(SEP);
  if (!itemId || !eventType || at === undefined) return null;
  return { itemId, eventType, weight: weight ? Number(weight) : null, at: Number(at) };
}

/**
 * Reader histories for serving, kept in Redis and shared by every API process: a request reads one
 * reader's recent events and seen items in one round trip instead of querying PostgreSQL. Ingest
 * appends to loaded histories; a history not in Redis is read once from PostgreSQL and stored.
 */
export class ReaderHistoryStore {
  private readonly redis: HistoryRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    if (!('readerHistoryAppend' in redis)) {
      redis.defineCommand('readerHistoryAppend', { numberOfKeys: 2, lua: APPEND });
      redis.defineCommand('readerHistoryFill', { numberOfKeys: 2, lua: FILL });
    }
    this.redis = redis as HistoryRedis;
  }

  private keys(newsroomId: string, readerExternalId: string): [string, string] {
    return readerHistoryKeys(this.prefix, newsroomId, readerExternalId);
  }

  /** The reader's history; `db` is read only when Redis does not hold it yet. */
  async read(db: TenantDb, newsroomId: string, readerExternalId: string): Promise<ReaderHistory> {
    const [listKey, seenKey] = this.keys(newsroomId, readerExternalId);
    const res = await this.redis.multi().lrange(listKey, 0, -1).smembers(seenKey).exec();
    const list = (res?.[0]?.[1] as string[] | undefined) ?? [];
    const seen = (res?.[1]?.[1] as string[] | undefined) ?? [];
    if (seen.length) {
      const events = list.map(decode).filter((e): e is HistoryEvent => e !== null);
      return { events, seen: new Set(seen.filter((s) => s !== LOADED)) };
    }
    return this.load(db, listKey, seenKey, readerExternalId);
  }

  private async load(
    db: TenantDb,
    listKey: string,
    seenKey: string,
    readerExternalId: string,
  ): Promise<ReaderHistory> {
    const where = { reader: { externalId: readerExternalId } };
    const [rows, seenRows] = await Promise.all([
      db.interaction.findMany({
        where,
        select: { contentId: true, eventType: true, weight: true, occurredAt: true },
        orderBy: { occurredAt: 'desc' },
        take: HISTORY_LIMIT,
      }),
      db.interaction.findMany({ where, select: { contentId: true }, distinct: ['contentId'] }),
    ]);
    const events: HistoryEvent[] = rows.reverse().map((r) => ({
      itemId: r.contentId,
      eventType: r.eventType,
      weight: r.weight,
      at: r.occurredAt.getTime(),
    }));
    const seen = new Set(seenRows.map((r) => r.contentId));
    await this.redis.readerHistoryFill(listKey, seenKey, events.length, ...events.map(encode), ...seen);
    return { events, seen };
  }

  /** Adds just-stored events to the histories Redis holds (one pipelined script call per reader). */
  async append(newsroomId: string, events: IngestedEvent[]): Promise<void> {
    if (!events.length) return;
    const byReader = new Map<string, IngestedEvent[]>();
    for (const e of events) {
      let list = byReader.get(e.readerExternalId);
      if (!list) byReader.set(e.readerExternalId, (list = []));
      list.push(e);
    }
    const pipeline = this.redis.pipeline() as ReturnType<Redis['pipeline']> & {
      readerHistoryAppend(listKey: string, seenKey: string, ...args: (string | number)[]): unknown;
    };
    for (const [reader, list] of byReader) {
      list.sort((a, b) => a.at - b.at);
      const [listKey, seenKey] = this.keys(newsroomId, reader);
      pipeline.readerHistoryAppend(
        listKey,
        seenKey,
        list.length,
        HISTORY_LIMIT,
        ...list.map(encode),
        ...new Set(list.map((e) => e.itemId)),
      );
    }
    await pipeline.exec();
  }

  /** Drops a reader's hot history (erasure, or a change that history must be re-read for). */
  async forget(newsroomId: string, readerExternalId: string): Promise<void> {
    await this.redis.del(...this.keys(newsroomId, readerExternalId));
  }
}
