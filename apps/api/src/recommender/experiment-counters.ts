import type { Redis } from 'ioredis';
import type { ArmCounts } from './experiment-stats.js';

export type Arm = 'control' | 'candidate';

/** How long after being shown a click counts for the arm that showed the item. */
const ATTRIBUTION_MS = 24 * 3_600_000;
const FLUSH_MS = 1_000;

// Counts the reader's clicks on items an arm served them within the attribution window, once each.
const CLICK = `
local n = 0
for i = 3, #ARGV do
  local s = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if s and tonumber(s) >= tonumber(ARGV[2]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    n = n + 1
  end
end
if n > 0 then redis.call('HINCRBY', KEYS[2], ARGV[1] .. ':clicks', n) end
return n`;

type CounterRedis = Redis & {
  experimentClick(servedKey: string, countsKey: string, ...args: (string | number)[]): Promise<number>;
};

/**
 * Experiment counters in Redis, shared by every API process: requests and impressions per arm
 * (added up in memory and written once a second), the items each reader was shown (for a day), and
 * clicks on those items, counted when interactions are ingested. Nothing is written to PostgreSQL
 * while serving; the counts are kept with the experiment when it ends.
 */
export class ExperimentCounters {
  private readonly redis: CounterRedis;
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    if (!('experimentClick' in redis))
      redis.defineCommand('experimentClick', { numberOfKeys: 2, lua: CLICK });
    this.redis = redis as CounterRedis;
  }

  private countsKey(experimentId: string) {
    return `${this.prefix}:rec:exp:${experimentId}`;
  }

  private servedKey(experimentId: string, readerId: string) {
    return `${this.prefix}:rec:exp:${experimentId}:served:${readerId}`;
  }

  /** One served list: a request and its impressions for the arm. */
  record(experimentId: string, arm: Arm, readerId: string, itemIds: string[]): void {
    const base = `${experimentId}\t${arm}`;
    const c = this.pending;
    c.set(`${base}\trequests`, (c.get(`${base}\trequests`) ?? 0) + 1);
    c.set(`${base}\timpressions`, (c.get(`${base}\timpressions`) ?? 0) + itemIds.length);
    // What the reader was shown is written at once (not awaited: the answer does not wait), so a click
    // right after is attributed; the counts are added up and written once a second.
    if (itemIds.length) {
      const key = this.servedKey(experimentId, readerId);
      const at = Date.now();
      void this.redis
        .multi()
        .zadd(key, ...itemIds.flatMap((i) => [at, i]))
        .pexpire(key, ATTRIBUTION_MS)
        .exec()
        .catch(() => undefined);
    }
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_MS).unref();
  }

  /** Writes what was counted in this process since the last flush (one pipeline). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const counts = this.pending;
    if (!counts.size) return;
    this.pending = new Map();
    const p = this.redis.pipeline();
    for (const [k, v] of counts) {
      const [experimentId, arm, what] = k.split('\t');
      p.hincrby(this.countsKey(experimentId!), `${arm}:${what}`, v);
    }
    await p.exec();
  }

  /** Clicks (positive events) of one reader on items, counted for the arm that showed them. */
  async clicks(experimentId: string, byReader: Map<string, { arm: Arm; items: string[] }>): Promise<void> {
    if (!byReader.size) return;
    const p = this.redis.pipeline() as ReturnType<Redis['pipeline']> & {
      experimentClick(servedKey: string, countsKey: string, ...args: (string | number)[]): unknown;
    };
    const since = Date.now() - ATTRIBUTION_MS;
    for (const [reader, { arm, items }] of byReader) {
      p.experimentClick(
        this.servedKey(experimentId, reader),
        this.countsKey(experimentId),
        arm,
        since,
        ...items,
      );
    }
    await p.exec();
  }

  /** The counts so far (this process's unflushed ones written first). */
  async read(experimentId: string): Promise<Record<Arm, ArmCounts>> {
    await this.flush();
    const h = await this.redis.hgetall(this.countsKey(experimentId));
    const arm = (a: Arm): ArmCounts => ({
      requests: Number(h[`${a}:requests`] ?? 0),
      impressions: Number(h[`${a}:impressions`] ?? 0),
      clicks: Number(h[`${a}:clicks`] ?? 0),
    });
    return { control: arm('control'), candidate: arm('candidate') };
  }

  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
  }
}
