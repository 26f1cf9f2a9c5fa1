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

// Appends to readers' hot histories only where they are loaded: a history that is not in Redis is read
// whole from PostgreSQL on its next request, so appending there would make it look complete. One call
// covers many readers: KEYS are (list, seen) pairs; ARGV is the history limit, then per reader the
// number of events and of items, the encoded events and the items.
const APPEND = `
local limit = tonumber(ARGV[1])
local a = 2
local appended = 0
for k = 1, #KEYS, 2 do
  local n = tonumber(ARGV[a])
  local m = tonumber(ARGV[a + 1])
  local first = a + 2
  a = first + n + m
  if redis.call('EXISTS', KEYS[k + 1]) == 1 then
    for i = first, first + n - 1 do redis.call('RPUSH', KEYS[k], ARGV[i]) end
    for i = first + n, a - 1 do redis.call('SADD', KEYS[k + 1], ARGV[i]) end
    redis.call('LTRIM', KEYS[k], -limit, -1)
    redis.call('EXPIRE', KEYS[k], ${TTL_SECONDS})
    redis.call('EXPIRE', KEYS[k + 1], ${TTL_SECONDS})
    appended = appended + 1
  end
end
return appended`;

/** Readers per append call: bounds how long one script holds Redis. */
const APPEND_READERS_PER_CALL = 250;

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
  readerHistoryAppend(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
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
      redis.defineCommand('readerHistoryAppend', { lua: APPEND });
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

  /** Adds just-stored events to the histories Redis holds (one script call per 250 readers). */
  async append(newsroomId: string, events: IngestedEvent[]): Promise<void> {
    if (!events.length) return;
    const byReader = new Map<string, IngestedEvent[]>();
    for (const e of events) {
      let list = byReader.get(e.readerExternalId);
      if (!list) byReader.set(e.readerExternalId, (list = []));
      list.push(e);
    }
    const readers = [...byReader];
    const calls: Promise<number>[] = [];
    for (let i = 0; i < readers.length; i += APPEND_READERS_PER_CALL) {
      const keys: string[] = [];
      const args: (string | number)[] = [HISTORY_LIMIT];
      for (const [reader, list] of readers.slice(i, i + APPEND_READERS_PER_CALL)) {
        list.sort((a, b) => a.at - b.at);
        keys.push(...this.keys(newsroomId, reader));
        const items = new Set(list.map((e) => e.itemId));
        args.push(list.length, items.size, ...list.map(encode), ...items);
      }
      calls.push(this.redis.readerHistoryAppend(keys.length, ...keys, ...args));
    }
    await Promise.all(calls);
  }

  /** Drops a reader's hot history (erasure, or a change that history must be re-read for). */
  async forget(newsroomId: string, readerExternalId: string): Promise<void> {
    await this.redis.del(...this.keys(newsroomId, readerExternalId));
  }
}
