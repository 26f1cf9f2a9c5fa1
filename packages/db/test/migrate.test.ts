import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrateDatabase } from '../src/index.js';

/*
 * The migration runner needs only the pg driver (a production install has no Prisma CLI) and keeps
 * Prisma's history table, so `prisma migrate deploy` and it agree on what a database has had.
 */

const url = process.env.TEST_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_test';
const name = `mediaai_migrate_${process.pid}`;
const fresh = (() => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
})();
const admin = (() => {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
})();

async function sql<T extends pg.QueryResultRow>(target: string, text: string) {
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

const tmp = mkdtempSync(path.join(tmpdir(), 'mediaai-migrations-'));

beforeAll(async () => {
  await sql(admin, `DROP DATABASE IF EXISTS ${name}`);
  await sql(admin, `CREATE DATABASE ${name}`);
});
afterAll(async () => {
  await sql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  rmSync(tmp, { recursive: true, force: true });
});

describe('migrateDatabase', () => {
  const folders = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

  it('applies every checked-in migration once, recorded as Prisma records them', async () => {
    const lines: string[] = [];
    const first = await migrateDatabase(fresh, (l) => lines.push(l));
    expect(first.applied).toEqual(folders);
    const rows = await sql<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      fresh,
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(folders);
    for (const r of rows) {
      const file = readFileSync(path.join(MIGRATIONS_DIR, r.migration_name, 'migration.sql'));
      expect(r.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(r.finished_at).not.toBeNull();
    }
    const tables = await sql<{ n: number }>(
      fresh,
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('Newsroom', 'Job', 'Face')`,
    );
    expect(tables[0]!.n).toBe(3);
    expect(lines).toContain(`applying migration ${folders[0]}`);

    const again = await migrateDatabase(fresh);
    expect(again).toEqual({ applied: [], alreadyApplied: folders.length });
  });

  it('records a failing migration, leaves nothing of it, and refuses to go on until it is resolved', async () => {
    cpSync(MIGRATIONS_DIR, tmp, { recursive: true });
    const bad = path.join(tmp, '99990101000000_broken');
    mkdirSync(bad);
    writeFileSync(
      path.join(bad, 'migration.sql'),
      'CREATE TABLE "HalfDone" (id int);\nALTER TABLE "NoSuchTable" ADD COLUMN x int;\n',
    );
    await expect(migrateDatabase(fresh, () => {}, tmp)).rejects.toThrow(
      /Migration 99990101000000_broken failed: .*NoSuchTable/,
    );
    const half = await sql<{ n: number }>(
      fresh,
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'HalfDone'`,
    );
    expect(half[0]!.n).toBe(0);
    await expect(migrateDatabase(fresh, () => {}, tmp)).rejects.toThrow(/failed earlier and is not resolved/);
  });
});
