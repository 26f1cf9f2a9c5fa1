/**
 * Database writes that must survive a short PostgreSQL outage (a restart, a failover): the worker's
 * job status writes retry with backoff instead of failing the job, and a job that cannot even start
 * because the database is down is handed back without spending one of its attempts.
 */

/** Prisma and driver errors that mean "the database is not reachable now", not "this write is wrong". */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; name?: string; message?: string; errorCode?: string } | null;
  if (!e) return false;
  const code = typeof e.code === 'string' ? e.code : (e.errorCode ?? '');
  // P1001 can't reach, P1002 timed out, P1008 operation timed out, P1017 server closed the connection,
  // P2024 pool timeout; 57P01-57P03 admin shutdown / cannot connect now; 08xxx connection exceptions.
  if (
    /^(P1001|P1002|P1008|P1017|P2024|57P0[123]|08\d{3}|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)$/.test(code)
  )
    return true;
  if (e.name === 'PrismaClientInitializationError' || e.name === 'PrismaClientRustPanicError') return true;
  const msg = e.message ?? '';
  return /Can't reach database server|Server has closed the connection|Connection terminated|ECONNREFUSED|ECONNRESET|the database system is (shutting down|starting up|in recovery mode)|terminating connection due to administrator command|Timed out fetching a new connection|connection pool|Connection refused|Closed the connection/i.test(
    msg,
  );
}

export class DatabaseUnavailableError extends Error {
  readonly code = 'UNAVAILABLE';
  constructor(
    readonly reason: unknown,
    waitedMs: number,
  ) {
    super(
      `The database was unreachable for ${Math.round(waitedMs / 1000)} s: ${(reason as Error)?.message ?? String(reason)}`,
    );
    this.name = 'DatabaseUnavailableError';
  }
}

export interface DbRetryOptions {
  /** Give up after this long (then DatabaseUnavailableError). */
  maxWaitMs: number;
  /** First pause; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** Runs fn; while it fails because the database is unreachable, waits with backoff and tries again. */
export async function withDbRetry<T>(fn: () => Promise<T>, opts: DbRetryOptions): Promise<T> {
  const start = Date.now();
  let delay = opts.initialDelayMs ?? 200;
  const maxDelay = opts.maxDelayMs ?? 5000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      const waited = Date.now() - start;
      if (waited + delay > opts.maxWaitMs || opts.signal?.aborted)
        throw new DatabaseUnavailableError(err, waited);
      opts.onRetry?.(err, attempt, delay);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(maxDelay, delay * 2);
    }
  }
}
