import type { Redis } from 'ioredis';
import { DomainError } from '@media-ai/core';
import type { Db } from '@media-ai/db';
import type { AuthedClient } from '../common/context.js';
import { hashKey } from './api-keys.js';
import { RateLimiter, rateLimitHeaders, type RateLimitDecision } from './rate-limit.js';

export interface AuthOptions {
  /** How long a resolved key is trusted without asking the database; revocations are pushed sooner. */
  cacheMs?: number;
  /** Unknown keys are remembered for less time, and the cache is bounded, so random keys cannot grow it. */
  negativeCacheMs?: number;
  maxEntries?: number;
  /** How often last-used timestamps are written (one statement for every key used since). */
  lastUsedFlushMs?: number;
  /** Requests a minute allowed to one IP address without a key. */
  anonymousPerMinute?: number;
}

const changeChannel = (prefix: string) => `${prefix}:auth:changed`;

/** Tells every API process of this deployment that a key changed (revoked, new limit). */
export async function publishKeyChange(redis: Redis, prefix: string, clientId: string): Promise<void> {
  await redis.publish(changeChannel(prefix), clientId);
}

interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/**
 * Resolves "Bearer <key>" to its client from an in-process cache (no query and no write per request),
 * counts requests with one atomic Redis script, and hears of revoked or changed keys from every API
 * process over Redis pub/sub.
 */
export class Authenticator {
  private cache = new Map<string, { client: AuthedClient | null; at: number }>();
  private lastUsed = new Map<string, number>();
  private readonly limiter: RateLimiter;
  private readonly opts: Required<AuthOptions>;
  private flushTimer: NodeJS.Timeout | null = null;
  private subscriber: Redis | null = null;
  private readonly channel: string;

  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    prefix: string,
    opts: AuthOptions = {},
  ) {
    this.opts = {
      cacheMs: 60_000,
      negativeCacheMs: 5_000,
      maxEntries: 10_000,
      lastUsedFlushMs: 30_000,
      anonymousPerMinute: 120,
      ...opts,
    };
    this.limiter = new RateLimiter(redis, prefix);
    this.channel = changeChannel(prefix);
  }

  /** Listens for key changes from other processes and starts the last-used writer. */
  async start(): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('error', () => undefined); // reconnects by itself; requests report the outage
    this.subscriber.on('message', (_channel: string, clientId: string) => this.drop(clientId));
    await this.subscriber.subscribe(this.channel);
    this.flushTimer = setInterval(() => void this.flushLastUsed(), this.opts.lastUsedFlushMs);
    this.flushTimer.unref();
  }

  async close(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.flushLastUsed();
    this.subscriber?.disconnect();
  }

  static keyFrom(header: string | undefined | null): string | null {
    if (!header) return null;
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (m) return m[1];
    const basic = /^Basic\s+(\S+)$/i.exec(header.trim());
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString();
      return decoded.slice(decoded.indexOf(':') + 1) || null;
    }
    return null;
  }

  async authenticate(header: string | undefined | null): Promise<AuthedClient | null> {
    const key = Authenticator.keyFrom(header);
    if (!key) {
      if (header)
        throw new DomainError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <api key>"');
      return null;
    }
    const hash = hashKey(key);
    const now = Date.now();
    const hit = this.cache.get(hash);
    let client: AuthedClient | null;
    if (hit && now - hit.at < (hit.client ? this.opts.cacheMs : this.opts.negativeCacheMs))
      client = hit.client;
    else {
      const row = await this.db.apiClient.findUnique({ where: { keyHash: hash } });
      client =
        row && !row.revokedAt
          ? {
              id: row.id,
              newsroomId: row.newsroomId,
              role: row.role,
              name: row.name,
              rateLimitPerMinute: row.rateLimitPerMinute,
            }
          : null;
      if (this.cache.size >= this.opts.maxEntries) this.cache.clear();
      this.cache.set(hash, { client, at: now });
    }
    if (!client) throw new DomainError('UNAUTHENTICATED', 'The API key is unknown or revoked');
    this.lastUsed.set(client.id, now);
    return client;
  }

  /** For plain HTTP routes: the caller's client, rate-limited (headers set on `res`), or UNAUTHENTICATED. */
  async requireClient(header: string | undefined | null, res?: HeaderSink): Promise<AuthedClient> {
    const client = await this.authenticate(header);
    if (!client) throw new DomainError('UNAUTHENTICATED', 'Send an API key: Authorization: Bearer <key>');
    await this.rateLimit(client, res);
    return client;
  }

  /** Another process (or this one) changed or revoked a key: every API process forgets it now. */
  async changed(clientId: string): Promise<void> {
    this.drop(clientId);
    await this.redis.publish(this.channel, clientId);
  }

  private drop(clientId: string) {
    for (const [hash, e] of this.cache) if (!e.client || e.client.id === clientId) this.cache.delete(hash);
  }

  /** Writes the last-used time of every key used since the previous flush, in one statement. */
  async flushLastUsed(): Promise<void> {
    if (!this.lastUsed.size) return;
    const entries = [...this.lastUsed];
    this.lastUsed.clear();
    await this.db
      .$executeRawUnsafe(
        `UPDATE "ApiClient" AS c SET "lastUsedAt" = v.t
           FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, t)
          WHERE c.id = v.id AND (c."lastUsedAt" IS NULL OR c."lastUsedAt" < v.t)`,
        entries.map(([id]) => id),
        entries.map(([, t]) => new Date(t).toISOString()),
      )
      .catch(() => undefined);
  }

  /** The key's own per-minute limit; throws RATE_LIMITED with Retry-After details. */
  async rateLimit(client: AuthedClient, res?: HeaderSink): Promise<RateLimitDecision> {
    return this.apply(
      await this.limiter.hit(`key:${client.id}`, client.rateLimitPerMinute),
      res,
      'this API key',
    );
  }

  /** Requests without a key are limited per IP address. */
  async rateLimitAnonymous(ip: string, res?: HeaderSink): Promise<RateLimitDecision> {
    return this.apply(
      await this.limiter.hit(`ip:${ip}`, this.opts.anonymousPerMinute),
      res,
      'requests without an API key from your address',
    );
  }

  private apply(d: RateLimitDecision, res: HeaderSink | undefined, who: string): RateLimitDecision {
    const headers = rateLimitHeaders(d);
    if (res) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if (!d.allowed) {
      throw new DomainError(
        'RATE_LIMITED',
        `Rate limit of ${d.limit} requests a minute exceeded for ${who}; retry in ${d.retryAfterSeconds} s`,
        { retryAfterSeconds: d.retryAfterSeconds, limit: d.limit },
      );
    }
    return d;
  }
}
