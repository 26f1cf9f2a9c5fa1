import { createPrisma } from '@media-ai/db';
import { Redis } from 'ioredis';

/**
 * Checks at start that what a process needs can be reached, so it fails at once with a message
 * naming the fix instead of waiting silently (ioredis and the database pool retry forever).
 */
export class PreflightError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
  }
}

const where = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)}${u.pathname.length > 1 ? u.pathname : ''}`;
  } catch {
    return 'the configured address';
  }
};

function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer from ${what} within ${ms / 1000} s`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

/** The database's identity: the id of its first applied migration (random per database). */
export async function checkDatabase(databaseUrl: string, timeoutMs = 10_000): Promise<string | null> {
  const db = createPrisma(databaseUrl, { poolSize: 1 });
  try {
    await timeout(db.$queryRawUnsafe('SELECT 1'), timeoutMs, 'PostgreSQL');
    const rows = await db
      .$queryRawUnsafe<{ id: string }[]>(
        'SELECT id FROM "_prisma_migrations" ORDER BY started_at, id LIMIT 1',
      )
      .catch(() => []);
    return rows[0]?.id ?? null;
  } catch (e) {
    throw new PreflightError(
      `PostgreSQL at ${where(databaseUrl)} is unreachable (${(e as Error).message.split('\n').pop()?.trim()}): start it, or set DATABASE_URL to a reachable database`,
    );
  } finally {
    await db.$disconnect().catch(() => undefined);
  }
}

export interface RedisCheck {
  /** Settings that put queued jobs at risk, in words an operator can act on. */
  warnings: string[];
}

/**
 * Redis answers, and the queue prefix belongs to this deployment: two deployments (two databases)
 * sharing one Redis under the same MEDIAAI_QUEUE_PREFIX would take each other's jobs.
 */
export async function checkRedis(
  redisUrl: string,
  prefix: string,
  deploymentId: string | null,
  timeoutMs = 10_000,
): Promise<RedisCheck> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  const warnings: string[] = [];
  try {
    try {
      await timeout(
        redis.connect().then(() => redis.ping()),
        timeoutMs,
        'Redis',
      );
    } catch (e) {
      throw new PreflightError(
        `Redis at ${where(redisUrl)} is unreachable (${(e as Error).message}): start it, or set REDIS_URL to a reachable Redis`,
      );
    }
    const policy = await redis
      .config('GET', 'maxmemory-policy')
      .then((r) => (r as string[])[1])
      .catch(() => undefined);
    if (policy && policy !== 'noeviction') {
      warnings.push(
        `Redis maxmemory-policy is "${policy}": it may evict queued jobs; set it to noeviction (see docs/operations.md)`,
      );
    }
    if (deploymentId) {
      const key = `${prefix}:deployment`;
      await redis.set(key, deploymentId, 'EX', 30 * 24 * 3600, 'NX');
      const owner = await redis.get(key);
      if (owner && owner !== deploymentId) {
        throw new PreflightError(
          `The queue prefix "${prefix}" on this Redis belongs to another deployment (another database): give this deployment its own MEDIAAI_QUEUE_PREFIX. If this database replaced the old one, remove the old claim with: redis-cli DEL ${key}`,
        );
      }
      await redis.expire(key, 30 * 24 * 3600);
    }
    return { warnings };
  } finally {
    redis.disconnect();
  }
}

/** Database, then Redis and the queue prefix: the checks every process runs before it serves. */
export async function preflight(config: {
  DATABASE_URL?: string;
  REDIS_URL: string;
  MEDIAAI_QUEUE_PREFIX: string;
}): Promise<RedisCheck> {
  const id = config.DATABASE_URL ? await checkDatabase(config.DATABASE_URL) : null;
  return checkRedis(config.REDIS_URL, config.MEDIAAI_QUEUE_PREFIX, id);
}
