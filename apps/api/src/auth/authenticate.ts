import type { Redis } from 'ioredis';
import { DomainError } from '@media-ai/core';
import type { Db } from '@media-ai/db';
import type { AuthedClient } from '../common/context.js';
import { hashKey } from './api-keys.js';

// Short, so a key revoked on another API process stops working within seconds.
const CACHE_MS = 5_000;

/** Resolves "Bearer <key>" to its client, with a short cache so a busy key costs no query per request. */
export class Authenticator {
  private cache = new Map<string, { client: AuthedClient | null; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

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
    const hit = this.cache.get(hash);
    let client: AuthedClient | null;
    if (hit && Date.now() - hit.at < CACHE_MS) client = hit.client;
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
      this.cache.set(hash, { client, at: Date.now() });
      if (row && !row.revokedAt)
        void this.db.apiClient
          .update({ where: { id: row.id }, data: { lastUsedAt: new Date() } })
          .catch(() => undefined);
    }
    if (!client) throw new DomainError('UNAUTHENTICATED', 'The API key is unknown or revoked');
    return client;
  }

  /** For plain HTTP routes: the caller's client, rate-limited, or UNAUTHENTICATED. */
  async requireClient(header: string | undefined | null): Promise<AuthedClient> {
    const client = await this.authenticate(header);
    if (!client) throw new DomainError('UNAUTHENTICATED', 'Send an API key: Authorization: Bearer <key>');
    await this.rateLimit(client);
    return client;
  }

  forget(): void {
    this.cache.clear();
  }

  /** Fixed one-minute window per key, shared by every API process through Redis. */
  async rateLimit(client: AuthedClient): Promise<void> {
    const windowKey = `${this.prefix}:rl:${client.id}:${Math.floor(Date.now() / 60_000)}`;
    const n = await this.redis.incr(windowKey);
    if (n === 1) await this.redis.expire(windowKey, 61);
    if (n > client.rateLimitPerMinute) {
      throw new DomainError(
        'RATE_LIMITED',
        `Rate limit of ${client.rateLimitPerMinute} requests a minute exceeded for this API key; retry in ${60 - (Math.floor(Date.now() / 1000) % 60)} s`,
      );
    }
  }
}
