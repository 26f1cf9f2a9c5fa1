import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const MIGRATIONS_DIR = path.join(root, 'prisma', 'migrations');

/** The lock `prisma migrate` takes, so this runner and the Prisma CLI never apply at the same time. */
const PRISMA_ADVISORY_LOCK = 72707369;

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies the checked-in migrations (`prisma/migrations/<name>/migration.sql`, in name order) that the
 * database has not had yet, as `prisma migrate deploy` does and with its history table and lock, so
 * the two can be used on the same database. Needs only the `pg` driver: a production install without
 * the Prisma CLI migrates too. Each migration runs as one script (one implicit transaction); a failed
 * one is recorded with its error and stops the run, and later runs refuse until it is resolved.
 */
export async function migrateDatabase(
  databaseUrl: string,
  log: (line: string) => void = () => {},
  migrationsDir = MIGRATIONS_DIR,
): Promise<MigrationResult> {
  if (!existsSync(migrationsDir)) {
    throw new Error(`No migrations folder at ${migrationsDir}: copy prisma/migrations with the install`);
  }
  const migrations = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(migrationsDir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    await client.query(HISTORY_TABLE);
    const rows = (
      await client.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
        'SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"',
      )
    ).rows;
    const failed = rows.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name);
    if (failed.length > 0) {
      throw new Error(
        `Migration ${failed.join(', ')} failed earlier and is not resolved: fix the database, then mark it with \`prisma migrate resolve --applied|--rolled-back ${failed[0]}\``,
      );
    }
    const done = new Set(rows.filter((r) => r.finished_at).map((r) => r.migration_name));
    const applied: string[] = [];
    for (const name of migrations) {
      if (done.has(name)) continue;
      const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      const id = randomUUID();
      const checksum = createHash('sha256').update(sql).digest('hex');
      await client.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
        [id, checksum, name],
      );
      log(`applying migration ${name}`);
      try {
        // No parameters: the simple protocol runs the whole script as one implicit transaction.
        await client.query(sql);
      } catch (e) {
        const message = (e as Error).message;
        await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, message]);
        throw new Error(`Migration ${name} failed: ${message}`);
      }
      await client.query(
        'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
        [id],
      );
      applied.push(name);
    }
    log(
      applied.length
        ? `applied ${applied.length} migration(s)`
        : `database up to date (${done.size} migrations applied)`,
    );
    return { applied, alreadyApplied: done.size };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
