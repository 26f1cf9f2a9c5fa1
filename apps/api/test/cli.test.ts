import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerRuntime } from '@media-ai/worker';
import { createPrisma, type Db } from '@media-ai/db';
import { silentLog, testConfig, TEST_DATABASE_URL } from './helpers/platform.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const config = testConfig({ WORKER_QUEUES: 'platform:1' });
const env = {
  ...process.env,
  DATABASE_URL: TEST_DATABASE_URL,
  REDIS_URL: config.REDIS_URL,
  MEDIAAI_QUEUE_PREFIX: config.MEDIAAI_QUEUE_PREFIX,
};
const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path.join(root, 'apps/api/src/cli/main.ts'), ...args], {
    cwd: root,
    env,
  });
const slug = `cli-${randomBytes(3).toString('hex')}`;
let db: Db;
let worker: WorkerRuntime;

beforeAll(async () => {
  db = createPrisma(TEST_DATABASE_URL);
  worker = await startWorker(config, silentLog());
});
afterAll(async () => {
  await worker?.close(1000);
  await db?.$disconnect();
});

describe('operator CLI', () => {
  it('creates a newsroom, imports content and interactions, and runs a job to the end', async () => {
    const created = await cli('newsroom', 'create', slug, 'CLI', 'Desk');
    expect(created.stdout).toMatch(/admin key \(shown once\): mai_[0-9a-f]{8}_/);
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mediaai-cli-'));
    await fs.writeFile(
      path.join(tmp, 'content.jsonl'),
      [
        '{"externalId":"a1","title":"Bridge reopens","tags":["traffic"]}',
        '{"externalId":"a2","title":"Budget vote"}',
      ].join('\n'),
    );
    await fs.writeFile(
      path.join(tmp, 'events.csv'),
      'eventId,readerId,contentExternalId,eventType,occurredAt\ne1,r1,a1,click,2026-11-01T10:00:00Z\ne2,r1,a2,read,2026-11-01T10:05:00Z\ne3,r2,a9,click,2026-11-01T11:00:00Z\n',
    );
    const c = await cli('import', 'content', path.join(tmp, 'content.jsonl'), '--newsroom', slug);
    expect(c.stdout).toContain('"created":2');
    const e = await cli('import', 'interactions', path.join(tmp, 'events.csv'), '--newsroom', slug);
    expect(e.stdout).toContain('"accepted":2');
    expect(e.stdout).toContain('"rejected":1');
    const job = await cli(
      'jobs',
      'run',
      'platform.noop',
      '--newsroom',
      slug,
      '--payload',
      '{"steps":5,"durationMs":500}',
    );
    expect(job.stdout).toMatch(/queued platform.noop as job/);
    expect(job.stdout).toContain('"steps": 5');
    const list = await cli('jobs', 'list', '--newsroom', slug);
    expect(list.stdout).toMatch(/platform\.noop\s+COMPLETED\s+100%/);
    await fs.writeFile(
      path.join(tmp, 'jobs.jsonl'),
      Array.from({ length: 30 }, (_, i) =>
        JSON.stringify({ type: 'platform.noop', payload: { steps: 1 }, idempotencyKey: `cli-bulk-${i}` }),
      ).join('\n') + '\n',
    );
    const bulk = await cli(
      'jobs',
      'enqueue-bulk',
      path.join(tmp, 'jobs.jsonl'),
      '--newsroom',
      slug,
      '--batch',
      '8',
    );
    expect(bulk.stdout).toMatch(/queued 30 jobs in/);
    const queued = await db.job.count({
      where: { idempotencyKey: { startsWith: 'cli-bulk-' }, newsroom: { slug } },
    });
    expect(queued).toBe(30);
    await fs.writeFile(
      path.join(tmp, 'bad-jobs.jsonl'),
      '{"type":"platform.noop","payload":{}}\n{"type":"platform.noop","payload":{"steps":"x"}}\n',
    );
    await expect(
      cli('jobs', 'enqueue-bulk', path.join(tmp, 'bad-jobs.jsonl'), '--newsroom', slug),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/bad-jobs\.jsonl:2: payload\.steps: Expected number/),
    });
    await expect(
      cli('import', 'content', path.join(tmp, 'nope.csv'), '--newsroom', 'no-such-desk'),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/no newsroom "no-such-desk"/) });
    await fs.writeFile(path.join(tmp, 'broken.jsonl'), '{"externalId":"x","title":"ok"}\n{not json\n');
    await expect(
      cli('import', 'content', path.join(tmp, 'broken.jsonl'), '--newsroom', slug),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/broken\.jsonl:2: not valid JSON/) });
  }, 120_000);

  it('creates a key with its own rate limit and changes it', async () => {
    const keySlug = `${slug}-keys`;
    await cli('newsroom', 'create', keySlug, 'Keys', 'Desk');
    const created = await cli(
      'keys',
      'create',
      '--newsroom',
      keySlug,
      '--role',
      'app',
      '--name',
      'site',
      '--rate-limit',
      '250',
    );
    expect(created.stdout).toMatch(/app key for .*, 250 requests a minute \(shown once\): mai_[0-9a-f]{8}_/);
    const prefix = /mai_([0-9a-f]{8})_/.exec(created.stdout)![1];
    const defaulted = await cli('keys', 'create', '--newsroom', keySlug, '--role', 'app', '--name', 'feed');
    expect(defaulted.stdout).toMatch(/6000 requests a minute/);
    const set = await cli('keys', 'set-limit', prefix, '9000', '--newsroom', keySlug);
    expect(set.stdout).toContain('9000 requests a minute');
    expect((await db.apiClient.findUnique({ where: { keyPrefix: prefix } }))!.rateLimitPerMinute).toBe(9000);
    const listed = await cli('keys', 'list', '--newsroom', keySlug);
    expect(listed.stdout).toMatch(new RegExp(`${prefix} .* 9000/min`));
    const bad = await cli('keys', 'set-limit', prefix, 'lots', '--newsroom', keySlug).catch(
      (e: { stderr: string }) => e,
    );
    expect((bad as { stderr: string }).stderr).toMatch(/whole number of requests a minute/);
  }, 120_000);
});
