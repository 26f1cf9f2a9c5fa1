import type { Redis } from 'ioredis';
import type { ContentItem, TenantDb } from '@media-ai/db';
import { servingInvalidationChannel } from '@media-ai/jobs';

/** How long a cached value is served before it is read again (changes made here invalidate at once). */
const TTL_MS = 10_000;
/** Content rows change rarely and every change through the API invalidates them. */
const CONTENT_TTL_MS = 120_000;
/** Content rows kept per process (the oldest loaded dropped first). */
const CONTENT_LIMIT = 20_000;

interface Slot<T> {
  value: T;
  at: number;
}

/**
 * Small per-newsroom caches for the serving path: values read often and changed rarely (the
 * recommender config, editorial rules, the newest items, content rows). Entries expire after a few
 * seconds; a change made through any API process publishes an invalidation that every process
 * applies at once, so editors see their rules take effect immediately.
 */
export class ServingCache {
  private readonly slots = new Map<string, Slot<unknown>>();
  private readonly loading = new Map<string, Promise<unknown>>();
  private readonly content = new Map<string, Slot<ContentItem | null>>();
  private readonly channel: string;
  private subscriber: Redis | null = null;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    /** Stored model versions of a newsroom were rewritten (erasure): drop the deserialized ones. */
    private readonly onModelsChanged: (newsroomId: string) => void = () => undefined,
  ) {
    this.channel = servingInvalidationChannel(prefix);
  }

  /** Listens for invalidations from other processes (a dedicated connection). */
  async listen(): Promise<void> {
    if (this.subscriber) return;
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, message: string) => this.apply(message));
    await this.subscriber.subscribe(this.channel);
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    this.subscriber = null;
  }

  /** A cached value of a newsroom, loaded once by concurrent callers. */
  async get<T>(newsroomId: string, name: string, load: () => Promise<T>): Promise<T> {
    const key = `${newsroomId}:${name}`;
    const slot = this.slots.get(key);
    if (slot && Date.now() - slot.at < TTL_MS) return slot.value as T;
    let pending = this.loading.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = load()
        .then((value) => {
          this.slots.set(key, { value, at: Date.now() });
          return value;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  /** Content rows by id (null where the newsroom has none); misses are read in one query. */
  async contentRows(db: TenantDb, ids: Iterable<string>): Promise<Map<string, ContentItem>> {
    const now = Date.now();
    const out = new Map<string, ContentItem>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const slot = this.content.get(id);
      if (slot && now - slot.at < CONTENT_TTL_MS) {
        if (slot.value) out.set(id, slot.value);
      } else missing.push(id);
    }
    if (missing.length) {
      const rows = await db.contentItem.findMany({ where: { id: { in: missing } } });
      const found = new Map(rows.map((r) => [r.id, r]));
      for (const id of missing) {
        const row = found.get(id) ?? null;
        this.content.set(id, { value: row, at: now });
        if (row) out.set(id, row);
      }
      while (this.content.size > CONTENT_LIMIT) this.content.delete(this.content.keys().next().value!);
    }
    return out;
  }

  /** Drops what this process holds for a newsroom (or for some content ids) and tells the others. */
  async invalidate(newsroomId: string, contentIds: string[] = []): Promise<void> {
    const message = JSON.stringify({ newsroomId, contentIds });
    this.apply(message);
    await this.redis.publish(this.channel, message);
  }

  private apply(message: string): void {
    let parsed: { newsroomId?: string; contentIds?: string[]; models?: boolean };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.newsroomId) {
      for (const key of this.slots.keys())
        if (key.startsWith(`${parsed.newsroomId}:`)) this.slots.delete(key);
    }
    for (const id of parsed.contentIds ?? []) this.content.delete(id);
    if (parsed.models && parsed.newsroomId) this.onModelsChanged(parsed.newsroomId);
  }
}
