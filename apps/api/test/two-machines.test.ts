import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '@media-ai/db';
import { startS3Server, type TestS3 } from '@media-ai/storage/testing';
import { createNewsroom, testConfig, type TestNewsroom } from './helpers/platform.js';
import { spawnWorker } from './helpers/worker-process.js';

/**
 * Two "machines": each an API process and a worker process with its own data folder, sharing only
 * PostgreSQL, Redis and an S3-protocol object store. Machine 2's worker is the only one serving the
 * vision queue, so an upload received by machine 1 can only be processed there.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tmp = path.join(os.tmpdir(), `mediaai-2m-${randomBytes(4).toString('hex')}`);
const config = testConfig();
let s3: TestS3;
let db: Db;
let n: TestNewsroom;
const procs: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

function machineEnv(name: string): Record<string, string> {
  return {
    ...s3.env,
    DATABASE_URL: config.DATABASE_URL!,
    REDIS_URL: config.REDIS_URL,
    MEDIAAI_QUEUE_PREFIX: config.MEDIAAI_QUEUE_PREFIX,
    MEDIAAI_DATA_DIR: path.join(tmp, name),
    MEDIAAI_RECONCILE_MS: '0',
    HOST: '127.0.0.1',
  };
}

async function startApiProcess(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/api/src/main.ts')], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  procs.push(child);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes('API listening')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`API exited (${code}): ${out.slice(-2000)}`)));
  });
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  s3 = await startS3Server('two-machines');
  db = createPrisma(config.DATABASE_URL!, { poolSize: 2 });
  n = await createNewsroom(db, 'Two Machines Desk');
}, 60_000);

afterAll(async () => {
  for (const p of procs) p.kill('SIGTERM');
  await Promise.all(procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : null)));
  await db?.$disconnect();
  await s3?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('two machines sharing PostgreSQL, Redis and S3', () => {
  it('an upload to API 1 is processed by machine 2, its progress reaches API 2, the result downloads from API 2', async () => {
    const m1 = machineEnv('machine-1');
    // Machine 2's API sends clients to the object store for downloads (presigned URLs).
    const m2 = { ...machineEnv('machine-2'), S3_PRESIGN_DOWNLOADS: 'true' };
    const [api1, api2] = await Promise.all([startApiProcess(m1), startApiProcess(m2)]);
    // Machine 1's worker serves other queues; only machine 2 serves vision.
    const w1 = spawnWorker(config, { ...m1, WORKER_QUEUES: 'platform:1' });
    const w2 = spawnWorker(config, { ...m2, WORKER_QUEUES: 'vision:1' });
    procs.push(w1, w2);
    await Promise.all([w1.ready, w2.ready]);

    const image = await sharp({
      create: { width: 640, height: 480, channels: 3, background: { r: 30, g: 120, b: 200 } },
    })
      .composite([
        {
          input: await sharp({
            create: { width: 200, height: 160, channels: 3, background: { r: 240, g: 200, b: 40 } },
          })
            .png()
            .toBuffer(),
          left: 300,
          top: 200,
        },
      ])
      .jpeg({ quality: 85 })
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(image)]), 'two-machines.jpg');
    const up = await fetch(`${api1}/v1/assets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${n.keys.editor}` },
      body: form,
    });
    expect(up.status).toBeLessThan(300);
    const assetId = ((await up.json()) as { id: string }).id;
    // Machine 1 kept no copy: the bytes are in the object store.
    const m1Objects = await fs.readdir(path.join(tmp, 'machine-1', 'storage')).catch(() => []);
    expect(m1Objects).toEqual([]);

    const gql = async (url: string, query: string, variables: Record<string, unknown>) => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${n.keys.editor}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };

    // Subscribe on API 2 before the job exists there: events travel through Redis.
    const ws = createClient({
      url: api2.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${n.keys.editor}` },
      retryAttempts: 0,
    });
    const events: { jobId: string; status: string; progress: number }[] = [];
    let jobId = '';
    const completed = new Promise<void>((resolve, reject) => {
      ws.subscribe(
        { query: `subscription { jobProgress { jobId status progress message } }` },
        {
          next: (m) => {
            const e = (m.data as { jobProgress?: (typeof events)[number] } | undefined)?.jobProgress;
            if (!e) return;
            events.push(e);
            if (jobId && e.jobId === jobId && e.status === 'COMPLETED') resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await new Promise((r) => setTimeout(r, 500));
    const { requestDerivatives } = await gql(
      api1,
      `mutation($id: ID!) { requestDerivatives(assetId: $id, kinds: [THUMBNAIL, WEBP]) { id queue } }`,
      { id: assetId },
    );
    jobId = requestDerivatives.id;
    await Promise.race([
      completed,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no COMPLETED event on API 2')), 60_000)),
      (async () => {
        for (;;) {
          if (events.some((e) => e.jobId === jobId && e.status === 'COMPLETED')) return;
          await new Promise((r) => setTimeout(r, 100));
        }
      })(),
    ]);
    await ws.dispose();
    const mine = events.filter((e) => e.jobId === jobId);
    expect(mine.some((e) => e.status === 'ACTIVE')).toBe(true);
    expect(mine.at(-1)).toMatchObject({ status: 'COMPLETED', progress: 1 });

    const row = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(row.status).toBe('COMPLETED');
    // Machine 2's worker ran it.
    expect(w2.output()).toContain(jobId);
    expect(w1.output()).not.toContain(jobId);

    // The original and the derivative download from API 2, which never saw the upload.
    const redirect = await fetch(`${api2}/v1/assets/${assetId}/content`, {
      headers: { authorization: `Bearer ${n.keys.app}` },
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toContain(`${s3.endpoint}/two-machines/`);
    const original = await fetch(redirect.headers.get('location')!);
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await original.arrayBuffer()).equals(image)).toBe(true);
    const thumb = await fetch(`${api2}/v1/assets/${assetId}/derivatives/thumbnail/content`, {
      headers: { authorization: `Bearer ${n.keys.app}` },
    });
    expect(thumb.status).toBe(200);
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(640);
    expect(meta.width! * meta.height!).toBeLessThan(640 * 480);
    // No machine stored media on its own disk.
    for (const m of ['machine-1', 'machine-2']) {
      expect(await fs.readdir(path.join(tmp, m, 'storage')).catch(() => [])).toEqual([]);
    }
  }, 180_000);
});
