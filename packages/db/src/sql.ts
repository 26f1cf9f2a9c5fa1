import { createHash } from 'node:crypto';
import pg from 'pg';

/** A node-postgres pool for the hot paths that Prisma's per-query cost would dominate. */
export type SqlPool = pg.Pool;

// Prisma stores DateTime as `timestamp(3)` without a time zone, in UTC: read it back as UTC (node-postgres
// would take it as local time).
const TIMESTAMP = 1114;
const TIMESTAMP_TEXT = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/;
function asUtc(v: string): Date {
  const m = TIMESTAMP_TEXT.exec(v);
  // Years beyond 9999, BC dates and infinity take the general parser.
  if (!m) return new Date(`${v.replace(' ', 'T')}Z`);
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms));
}
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMP) return asUtc;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** Rows read through a pool have the shapes Prisma gives them (Dates in UTC, uuids and enums as strings). */
export function createSqlPool(
  databaseUrl: string,
  opts: { max?: number; onError?: (err: Error) => void } = {},
) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: opts.max ?? 4, types });
  // An idle connection dropped by a PostgreSQL restart is replaced on the next statement.
  pool.on('error', (err) => opts.onError?.(err));
  return pool;
}

/**
 * Statements run for one newsroom: `$1` is always the newsroom's id, bound here, so a statement
 * cannot forget its tenant (each one must use `$1` in its filter; the caller's values are `$2`...).
 */
export class TenantSql {
  constructor(
    private readonly pool: SqlPool,
    readonly newsroomId: string,
  ) {}

  /** Runs a statement, prepared once per connection (its plan is not made again on every call). */
  async rows<T>(text: string, values: readonly unknown[] = []): Promise<T[]> {
    if (!text.includes('$1')) throw new Error('a tenant statement must filter on its newsroom ($1)');
    const res = await this.pool.query<T & pg.QueryResultRow>({
      name: statementName(text),
      text,
      values: [this.newsroomId, ...values],
    });
    return res.rows;
  }
}

const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `m${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    if (names.size < 10_000) names.set(text, name);
  }
  return name;
}
