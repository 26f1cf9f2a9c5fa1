import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './helpers/platform.js';

/*
 * The platform as production runs it: `scripts/install-prod.sh` into a temp folder (compiled output and
 * runtime dependencies only, installed from the local pnpm store), then, from that folder with
 * NODE_ENV=production, the operator CLI migrates a fresh database and creates a newsroom, and the
 * compiled API and worker serve a GraphQL query and a sandboxed job. The build is turbo's: shared with
 * CI's `pnpm build` (scripts/test.sh builds before the tests), so here it is a cache hit.
 */
const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'mediaai-prod-'));
const dbName = `mediaai_prod_${randomBytes(4).toString('hex')}`;
const databaseUrl = (() => {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
const adminUrl = (() => {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = '/postgres';
  return u.toString();
})();
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? os.tmpdir(),
  NODE_ENV: 'production',
  DATABASE_URL: databaseUrl,
  REDIS_URL: TEST_REDIS_URL,
  MEDIAAI_QUEUE_PREFIX: `prod${randomBytes(3).toString('hex')}`,
  MEDIAAI_DATA_DIR: path.join(dest, '.data'),
  MEDIAAI_RECONCILE_MS: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
};
const node = (entry: string) =>
  [process.execPath, ['--conditions=production', path.join(dest, entry)]] as const;
const procs: ChildProcess[] = [];

async function sql(text: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Starts a compiled entry from the install and resolves once its log says `ready`. */
function start(entry: string, extra: Record<string, string>, ready: string) {
  const [bin, args] = node(entry);
  const child = spawn(bin, args, { cwd: dest, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(child);
  let out = '';
  const started = new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes(ready)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${entry} exited (${code}): ${out.slice(-2000)}`)));
  });
  return { child, started, output: () => out };
}

beforeAll(async () => {
  await run('bash', [path.join(root, 'scripts/install-prod.sh'), dest, '--offline'], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  await sql(`CREATE DATABASE ${dbName}`);
}, 20 * 60_000);

afterAll(async () => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  await sql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
  fs.rmSync(dest, { recursive: true, force: true });
});

describe('production install', () => {
  it('has every workspace package compiled, resolving to dist under the production condition', () => {
    for (const dir of [
      ...fs.readdirSync(path.join(root, 'packages')).map((d) => `packages/${d}`),
      'apps/api',
      'apps/worker',
    ]) {
      const pkg = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
      expect({ dir, build: pkg.scripts?.build, main: pkg.exports?.['.']?.production }).toEqual({
        dir,
        build: 'tsc -p tsconfig.build.json',
        main: './dist/index.js',
      });
      expect(fs.existsSync(path.join(dest, dir, 'dist', 'index.js'))).toBe(true);
    }
  });

  it('ships the trained punctuation model with the compiled speech package', async () => {
    const script =
      "const s = await import('@media-ai/speech'); const m = s.defaultPunctuationModel(); " +
      "const w = 'what did the minister say'.split(' '); " +
      'console.log(JSON.stringify({ id: m.identity, text: s.writeMarks(w, m.punctuate(w)) }));';
    const { stdout } = await run(
      process.execPath,
      ['--conditions=production', '--input-type=module', '-e', script],
      { cwd: path.join(dest, 'apps', 'worker'), env },
    );
    expect(JSON.parse(stdout)).toEqual({
      id: { name: 'punctuation-en', version: '1' },
      text: 'what did the minister say?',
    });
  });

  it('holds compiled output and runtime dependencies only', () => {
    const installed = fs.readdirSync(path.join(dest, 'node_modules', '.pnpm'));
    for (const tool of [
      'typescript@',
      'tsx@',
      'prisma@',
      'vitest@',
      'turbo@',
      'eslint@',
      'vite@',
      'esbuild@',
    ])
      expect(installed.filter((d) => d.startsWith(tool))).toEqual([]);
    for (const app of ['api', 'worker']) {
      expect(fs.existsSync(path.join(dest, 'apps', app, 'dist', 'main.js'))).toBe(true);
      expect(fs.existsSync(path.join(dest, 'apps', app, 'src'))).toBe(false);
    }
    expect(fs.existsSync(path.join(dest, 'packages', 'db', 'dist', 'generated', 'prisma', 'client.js'))).toBe(
      true,
    );
    // graphql-ws serves subscriptions: a runtime dependency of the API.
    expect(fs.existsSync(path.join(dest, 'apps', 'api', 'node_modules', 'graphql-ws', 'package.json'))).toBe(
      true,
    );
  });

  it('migrates, starts the API and a worker from the compiled output, answers a query and runs a job', async () => {
    const [bin, cli] = node('apps/api/dist/cli/main.js');
    const migrated = await run(bin, [...cli, 'db', 'migrate'], { cwd: dest, env });
    expect(migrated.stdout).toMatch(/applied \d+ migration/);
    const created = await run(
      bin,
      [...cli, 'newsroom', 'create', `prod-${randomBytes(3).toString('hex')}`, 'Prod', 'Desk'],
      {
        cwd: dest,
        env,
      },
    );
    const key = /admin key \(shown once\): (\S+)/.exec(created.stdout)?.[1];
    expect(key).toBeTruthy();

    const port = await freePort();
    const worker = start('apps/worker/dist/main.js', { WORKER_QUEUES: 'platform:1' }, 'worker serving');
    const api = start('apps/api/dist/main.js', { PORT: String(port) }, 'API listening');
    await Promise.all([worker.started, api.started]);

    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      return body.data!;
    };
    expect((await gql('{ me { newsroom { name } } }')).me.newsroom.name).toBe('Prod Desk');

    // A sandboxed job: the worker's sandbox thread runs compiled code too.
    const { enqueueJob } = await gql(
      `mutation { enqueueJob(input: { type: "platform.sandboxed-noop", payload: { steps: 2 } }) { id } }`,
    );
    let job: { status: string; result: { threadId?: number } | null; error: string | null } | undefined;
    const end = Date.now() + 60_000;
    do {
      await new Promise((r) => setTimeout(r, 200));
      job = (await gql(`query($id: ID!) { job(id: $id) { status result error } }`, { id: enqueueJob.id }))
        .job;
    } while (job!.status !== 'COMPLETED' && job!.status !== 'FAILED' && Date.now() < end);
    expect(job).toMatchObject({ status: 'COMPLETED', error: null });
    expect(job!.result!.threadId).toBeGreaterThan(0);

    const exits = [api.child, worker.child].map((c) => new Promise<number | null>((r) => c.once('exit', r)));
    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0]);
  }, 120_000);
});
