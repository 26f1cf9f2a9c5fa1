// Runs the whole platform on one machine: database (Postgres from DATABASE_URL, or embedded
// PGlite in the data folder), migrations, demo data, then the API and a worker as child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '@media-ai/config';
import {
  createPrisma,
  createSqlPool,
  migrateDatabase,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '@media-ai/db';
import { PreflightError, preflight } from '@media-ai/jobs';
import { storageFromConfig } from '@media-ai/storage';
import { ensureDemoData, ensureFirstRecommenderModel } from './demo-data.js';
import { removePlatformFile, writePlatformFile } from './runtime-file.js';

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
try {
  await migrateDatabase(databaseUrl);
  // Redis reachable, the queue prefix ours, the bucket there: say what to fix before starting anything.
  for (const warning of (await preflight({ ...config, DATABASE_URL: databaseUrl })).warnings)
    say(`warning: ${warning}`);
  await storageFromConfig(config).ensureReady();
} catch (e) {
  console.error(`[media-ai] cannot start: ${e instanceof PreflightError ? e.message : (e as Error).message}`);
  await embedded?.stop();
  process.exit(1);
}
const db = createPrisma(databaseUrl, { poolSize: 2 });
const sqlPool = createSqlPool(databaseUrl, { max: 2 });
const demo = await ensureDemoData(db, sqlPool, config.MEDIAAI_DATA_DIR, say);
await sqlPool.end();
await ensureFirstRecommenderModel(db, config, demo.newsroomId, say);
await db.$disconnect();

// The API and the worker run in production mode unless the operator says otherwise.
const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production', DATABASE_URL: databaseUrl };
const children: ChildProcess[] = [];
let stopping = false;
// From a production build (dist/*.js) the children run compiled code too; from source, through tsx.
const compiled = import.meta.url.endsWith('.js');
function run(name: string, app: string) {
  const args = compiled
    ? ['--conditions=production', path.join(root, 'apps', app, 'dist', 'main.js')]
    : ['--import', 'tsx', path.join(root, 'apps', app, 'src', 'main.ts')];
  const child = spawn(process.execPath, args, {
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
run('worker', 'worker');
run('api', 'api');

const url = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
if (embedded) {
  writePlatformFile(config.MEDIAAI_DATA_DIR, {
    pid: process.pid,
    databaseUrl,
    apiUrl: url,
    startedAt: new Date().toISOString(),
  });
}
// The URL is printed once the API answers; if it exits first (a taken port), stop() has said why.
const local = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
for (let i = 0; !stopping; i++) {
  const ok = await fetch(`${local}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) {
    say(`GraphQL API: ${url}/graphql   dashboard: ${url}/dashboard   queue dashboard: ${url}/admin/queues`);
    say(`admin API key (demo newsroom): ${demo.adminKey}`);
    say(
      `try: curl -s ${url}/graphql -H 'authorization: Bearer ${demo.adminKey}' -H 'content-type: application/json' -d '{"query":"{ me { name newsroom { name } } contentItems(first: 3) { totalCount edges { node { title } } } }"}'`,
    );
    break;
  }
  if (i === 120) say(`the API does not answer on ${local} yet; still waiting`);
  await new Promise((r) => setTimeout(r, 250));
}

async function stop(code = 0) {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve())),
  );
  if (embedded) removePlatformFile(config!.MEDIAAI_DATA_DIR);
  await embedded?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
