import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '@media-ai/db';
import { QueueSet, redisConnection } from '@media-ai/jobs';
import { startWorker } from '@media-ai/worker';
import { silentLog, testConfig } from './helpers/platform.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tmp = path.join(os.tmpdir(), `mediaai-failfast-${randomBytes(4).toString('hex')}`);
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Runs an entry point of the platform as its own process; resolves with its exit code and output. */
function runEntry(
  entry: string,
  env: Record<string, string>,
  opts: { until?: RegExp; timeoutMs?: number } = {},
): Promise<{ code: number | null; out: string; kill: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      if (opts.until?.test(out)) {
        clearTimeout(t);
        resolve({ code: null, out, kill: () => child.kill('SIGTERM') });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, out, kill: () => undefined });
    });
  });
}

const base = testConfig();
const baseEnv = {
  DATABASE_URL: base.DATABASE_URL!,
  REDIS_URL: base.REDIS_URL,
  MEDIAAI_QUEUE_PREFIX: base.MEDIAAI_QUEUE_PREFIX,
  MEDIAAI_DATA_DIR: path.join(tmp, 'data'),
  HOST: '127.0.0.1',
};

describe('processes fail fast, naming the fix', () => {
  it('an API whose port is taken exits non-zero, and so does the launcher around it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = String((blocker.address() as net.AddressInfo).port);
    try {
      const api = await runEntry('apps/api/src/main.ts', { ...baseEnv, PORT: port });
      expect(api.code).not.toBe(0);
      expect(api.out).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(api.out).toContain('set PORT to a free port');
      const launcher = await runEntry('apps/api/src/launcher/start-platform.ts', {
        ...baseEnv,
        PORT: port,
        SHARED_DATA_DIR: path.join(tmp, 'no-shared-data'),
      });
      expect(launcher.code).toBe(1);
      expect(launcher.out).toMatch(/api exited \(1\); stopping the platform/);
      expect(launcher.out).not.toContain('GraphQL API:');
    } finally {
      blocker.close();
    }
  }, 120_000);

  it('an unreachable Redis or PostgreSQL stops the start with the variable to fix', async () => {
    const redis = await runEntry('apps/worker/src/main.ts', { ...baseEnv, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(redis.code).toBe(1);
    expect(redis.out).toContain('Redis at 127.0.0.1:1 is unreachable');
    expect(redis.out).toContain('set REDIS_URL');
    const pg = await runEntry('apps/api/src/main.ts', {
      ...baseEnv,
      PORT: '0',
      DATABASE_URL: 'postgresql://root@127.0.0.1:1/nothing',
    });
    expect(pg.code).toBe(1);
    expect(pg.out).toContain('PostgreSQL at 127.0.0.1:1/nothing is unreachable');
    expect(pg.out).toContain('set DATABASE_URL');
  }, 120_000);

  it('a queue prefix claimed by another deployment stops the start; a foreign job is handed back, not failed', async () => {
    const config = testConfig({ WORKER_QUEUES: 'platform:1' });
    const redis = redisConnection(config.REDIS_URL);
    await redis.set(`${config.MEDIAAI_QUEUE_PREFIX}:deployment`, 'another-database', 'EX', 600);
    const clash = await runEntry('apps/worker/src/main.ts', {
      ...baseEnv,
      MEDIAAI_QUEUE_PREFIX: config.MEDIAAI_QUEUE_PREFIX,
    });
    expect(clash.code).toBe(1);
    expect(clash.out).toContain('on this Redis belongs to another deployment');
    expect(clash.out).toContain(`give this deployment its own MEDIAAI_QUEUE_PREFIX`);
    expect(clash.out).toContain(`redis-cli DEL ${config.MEDIAAI_QUEUE_PREFIX}:deployment`);
    // A job of another deployment (no row in this database) that reaches this worker anyway.
    const queues = new QueueSet(redis, config.MEDIAAI_QUEUE_PREFIX);
    const foreignId = randomUUID();
    await queues
      .get('platform')
      .add('platform.noop', { newsroomId: randomUUID(), payload: {} }, { jobId: foreignId, attempts: 1 });
    const db = createPrisma(config.DATABASE_URL!, { poolSize: 2 });
    const worker = await startWorker(config, silentLog(), { db });
    try {
      const end = Date.now() + 20_000;
      let job = await queues.get('platform').getJob(foreignId);
      while (Date.now() < end && !(job?.data.handBacks ?? 0)) {
        await new Promise((r) => setTimeout(r, 200));
        job = await queues.get('platform').getJob(foreignId);
      }
      expect(job?.data.handBacks).toBeGreaterThanOrEqual(1);
      expect(['delayed', 'waiting', 'active']).toContain(await job!.getState());
      expect(job!.attemptsMade).toBe(0);
    } finally {
      await worker.close(500);
      await queues.get('platform').obliterate({ force: true });
      await queues.close();
      redis.disconnect();
      await db.$disconnect();
    }
  }, 60_000);

  it('the operator CLI reaches the embedded database of a running platform', async () => {
    const dataDir = path.join(tmp, 'embedded');
    const port = String(await freePort());
    const env = {
      ...baseEnv,
      DATABASE_URL: '',
      MEDIAAI_DATA_DIR: dataDir,
      PORT: port,
      SHARED_DATA_DIR: path.join(tmp, 'no-shared-data'),
      MEDIAAI_QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}`,
    };
    const cli = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'apps/api/src/cli/main.ts'), ...args], {
        cwd: root,
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
    const before = cli(['newsroom', 'list']);
    expect(before.status).toBe(1);
    expect(before.stderr).toContain('no platform runs on the embedded database');
    const launcher = await runEntry('apps/api/src/launcher/start-platform.ts', env, {
      until: /GraphQL API:|exited/,
      timeoutMs: 150_000,
    });
    try {
      expect(launcher.out).toContain('GraphQL API:');
      const listed = cli(['newsroom', 'list']);
      expect(listed.stderr).toBe('');
      expect(listed.stdout).toContain('demo');
    } finally {
      launcher.kill();
    }
    // The launcher removes its file when it stops.
    const end = Date.now() + 30_000;
    while (Date.now() < end && (await fs.stat(path.join(dataDir, 'platform.json')).catch(() => null))) {
      await new Promise((r) => setTimeout(r, 200));
    }
    await expect(fs.stat(path.join(dataDir, 'platform.json'))).rejects.toThrow();
  }, 180_000);
});
