import type { Db } from '@media-ai/db';
import type { Logger } from 'pino';

export type UsageUnit = 'characters' | 'audio_seconds';

interface Tally {
  newsroomId: string;
  clientId: string;
  day: string;
  operation: string;
  unit: UsageUnit;
  requests: number;
  quantity: number;
}

/**
 * Usage accounting of the compatible APIs: requests and what they consumed (characters translated or read
 * aloud, seconds of audio transcribed) per newsroom, key, UTC day and operation. Requests add to an
 * in-process tally that one statement adds to the ApiUsage table every few seconds (and at shutdown), so a
 * request pays no database write.
 */
export class UsageMeter {
  private tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    flushMs = 5000,
  ) {
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  record(
    who: { client: { id: string; newsroomId: string } },
    operation: string,
    unit: UsageUnit,
    quantity: number,
  ): void {
    const day = new Date().toISOString().slice(0, 10);
    const key = [who.client.newsroomId, who.client.id, day, operation, unit].join('\u0000');
    const t = this.tallies.get(key) ?? {
      newsroomId: who.client.newsroomId,
      clientId: who.client.id,
      day,
      operation,
      unit,
      requests: 0,
      quantity: 0,
    };
    t.requests += 1;
    t.quantity += Number.isFinite(quantity) ? quantity : 0;
    this.tallies.set(key, t);
  }

  /** Adds the tally so far to the table (one statement); what fails to write is kept for the next flush. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (!this.tallies.size) return;
    const rows = [...this.tallies.values()];
    this.tallies = new Map();
    try {
      await this.db.$executeRawUnsafe(
        `INSERT INTO "ApiUsage" (id, "newsroomId", "clientId", day, operation, unit, requests, quantity, "updatedAt")
         SELECT gen_random_uuid(), v.n, v.c, v.d, v.o, v.u, v.r, v.q, now()
           FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::text[], $5::text[], $6::int[], $7::float8[])
             AS v(n, c, d, o, u, r, q)
         ON CONFLICT ("newsroomId", "clientId", day, operation, unit) DO UPDATE
           SET requests = "ApiUsage".requests + EXCLUDED.requests,
               quantity = "ApiUsage".quantity + EXCLUDED.quantity,
               "updatedAt" = now()`,
        rows.map((r) => r.newsroomId),
        rows.map((r) => r.clientId),
        rows.map((r) => r.day),
        rows.map((r) => r.operation),
        rows.map((r) => r.unit),
        rows.map((r) => r.requests),
        rows.map((r) => r.quantity),
      );
    } catch (e) {
      this.log.warn(
        { err: (e as Error).message, rows: rows.length },
        'usage not written; kept for the next try',
      );
      for (const r of rows) {
        const key = [r.newsroomId, r.clientId, r.day, r.operation, r.unit].join('\u0000');
        const t = this.tallies.get(key);
        if (t) {
          t.requests += r.requests;
          t.quantity += r.quantity;
        } else this.tallies.set(key, r);
      }
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
