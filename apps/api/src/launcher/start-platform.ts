// Runs the whole platform on one machine: database (Postgres from DATABASE_URL, or embedded
// PGlite in the data folder), migrations, demo data, then the API and a worker as child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '@media-ai/config';
import { createPrisma, migrateDatabase, startEmbeddedPostgres, type EmbeddedPostgres } from '@media-ai/db';
import { ensureDemoData, ensureFirstRecommenderModel } from './demo-data.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const say = (msg: string) => console.log(`[media-ai] ${msg}`);

let config;
try {
  config = loadConfig();
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
}

let embedded: EmbeddedPostgres | null = null;
let databaseUrl = config.DATABASE_URL;
if (!databaseUrl) {
  const dir = path.join(config.MEDIAAI_DATA_DIR, 'pglite');
  say(`no DATABASE_URL: starting the embedded database in ${dir}`);
  embedded = await startEmbeddedPostgres(dir);
  databaseUrl = embedded.url;
}
say('applying migrations');
await migrateDatabase(databaseUrl);
const db = createPrisma(databaseUrl, { poolSize: 2 });
const demo = await ensureDemoData(db, config.MEDIAAI_DATA_DIR, say);
await ensureFirstRecommenderModel(db, config, demo.newsroomId, say);
await db.$disconnect();

const env = { ...process.env, DATABASE_URL: databaseUrl };
const children: ChildProcess[] = [];
function run(name: string, entry: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${code ?? signal}); stopping the platform`);
      void stop(1);
    }
  });
  children.push(child);
}
run('worker', 'apps/worker/src/main.ts');
run('api', 'apps/api/src/main.ts');

const url = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
setTimeout(() => {
  say(`GraphQL API: ${url}/graphql   dashboard: ${url}/dashboard   queue dashboard: ${url}/admin/queues`);
  say(`admin API key (demo newsroom): ${demo.adminKey}`);
  say(
    `try: curl -s ${url}/graphql -H 'authorization: Bearer ${demo.adminKey}' -H 'content-type: application/json' -d '{"query":"{ me { name newsroom { name } } contentItems(first: 3) { totalCount edges { node { title } } } }"}'`,
  );
}, 4000);

let stopping = false;
async function stop(code = 0) {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve())),
  );
  await embedded?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
