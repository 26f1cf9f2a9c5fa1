import pg from 'pg';
import { migrateDatabase } from '@media-ai/db';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_test';

/** Creates the test database if needed and applies the migrations once per run. */
export default async function setup() {
  const url = new URL(TEST_DATABASE_URL);
  const dbName = url.pathname.slice(1);
  const admin = new URL(TEST_DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
  if (!exists.rowCount) await client.query(`CREATE DATABASE "${dbName}"`);
  await client.end();
  if (!process.env.MEDIAAI_TEST_SKIP_MIGRATE) await migrateDatabase(TEST_DATABASE_URL);
  process.env.MEDIAAI_TEST_SKIP_MIGRATE = '1';
}
