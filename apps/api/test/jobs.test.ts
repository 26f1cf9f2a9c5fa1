import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundPolicy, setOutboundPolicy } from '@media-ai/core';
import { startWorker, signWebhook, type WorkerRuntime } from '@media-ai/worker';
import {
  createNewsroom,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';
import { spawnWorker } from './helpers/worker-process.js';

let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime;
let n: TestNewsroom;
const config = testConfig({ MEDIAAI_JOB_LOCK_MS: '3000', WORKER_QUEUES: 'platform:2' });

beforeAll(async () => {
  api = await startTestApi(config);
  n = await createNewsroom(api.db, 'Jobs Desk');
});
afterAll(async () => {
  await worker?.close(1000);
  await api?.close();
});

const ENQUEUE = `mutation($input: EnqueueJobInput!) { enqueueJob(input: $input) { id status type queue } }`;
const GET = `query($id: ID!) { job(id: $id) { id status progress result error errorCode attempts startedAt finishedAt } }`;

async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
const jobStatus = (id: string, statuses: string[]) =>
  waitFor(async () => {
    const j = (await api.ok(GET, { id }, n.keys.app)).job;
    return statuses.includes(j.status) ? j : null;
  });

describe('a job from enqueue to result', () => {
  it('streams progress over WebSocket and stores the result, then calls the signed webhook', async () => {
    const hooks: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const hookServer = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hooks.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    const hookPort = (hookServer.address() as AddressInfo).port;
    const hookUrl = `http://127.0.0.1:${hookPort}/hook`;
    // Loopback is refused by the outbound guard; this receiver is allow-listed, as an operator would.
    setOutboundPolicy({ ...outboundPolicy(), allowList: [`127.0.0.1:${hookPort}`] });
    worker = await startWorker(config, silentLog());

    const ws = api.ws(n.keys.app);
    const events: any[] = [];
    const enq = await api.ok(
      ENQUEUE,
      { input: { type: 'platform.noop', payload: { durationMs: 600, steps: 4 }, webhookUrl: hookUrl } },
      n.keys.editor,
    );
    const id = enq.enqueueJob.id;
    const done = new Promise<void>((resolve, reject) => {
      ws.subscribe(
        {
          query: `subscription($id: ID) { jobProgress(jobId: $id) { jobId status progress message } }`,
          variables: { id },
        },
        {
          next: (m) => {
            const e = (m.data as { jobProgress?: { status: string } } | undefined)?.jobProgress;
            events.push(e);
            if (e?.status === 'COMPLETED') resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await done;
    await ws.dispose();
    const progress = events
      .filter((e) => e.status === 'ACTIVE' && e.message?.startsWith('step'))
      .map((e) => e.progress);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    const job = (await api.ok(GET, { id }, n.keys.app)).job;
    expect(job).toMatchObject({
      status: 'COMPLETED',
      progress: 1,
      result: { steps: 4, attempt: 1 },
      attempts: 1,
    });
    expect(new Date(job.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(job.startedAt).getTime());

    await waitFor(async () => hooks.length > 0);
    const hook = hooks[0];
    const secret = (await api.db.apiClient.findFirst({ where: { newsroomId: n.id, role: 'EDITOR' } }))!
      .webhookSecret!;
    expect(hook.headers['x-mediaai-signature']).toBe(
      signWebhook(secret, String(hook.headers['x-mediaai-timestamp']), hook.body),
    );
    expect(JSON.parse(hook.body)).toMatchObject({ event: 'job.completed', job: { id, status: 'COMPLETED' } });
    hookServer.close();
  });

  it("relays a newsroom's job events to its own subscribers only", async () => {
    const other = await createNewsroom(api.db, 'Other Desk');
    type Event = { jobId: string; status: string };
    const follow = (key: string) => {
      const events: Event[] = [];
      const ws = api.ws(key);
      ws.subscribe(
        { query: 'subscription { jobProgress { jobId status } }' },
        {
          next: (m) => void events.push((m.data as { jobProgress: Event }).jobProgress),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      return { ws, events };
    };
    const ours = follow(n.keys.app);
    const theirs = follow(other.keys.app);
    await new Promise((r) => setTimeout(r, 300));
    const enqueue = async (key: string) =>
      (await api.ok(ENQUEUE, { input: { type: 'platform.noop', payload: { steps: 2 } } }, key)).enqueueJob
        .id as string;
    const theirJob = await enqueue(other.keys.editor);
    const ourJob = await enqueue(n.keys.editor);
    const completed = (events: Event[], id: string) =>
      events.some((e) => e.jobId === id && e.status === 'COMPLETED');
    await waitFor(async () => completed(ours.events, ourJob) && completed(theirs.events, theirJob));
    await Promise.all([ours.ws.dispose(), theirs.ws.dispose()]);
    expect(new Set(ours.events.map((e) => e.jobId))).toEqual(new Set([ourJob]));
    expect(new Set(theirs.events.map((e) => e.jobId))).toEqual(new Set([theirJob]));
  });

  it('retries a failing job with backoff and records each try', async () => {
    const enq = await api.ok(
      ENQUEUE,
      { input: { type: 'platform.noop', payload: { failTimes: 2 } } },
      n.keys.editor,
    );
    const job = await jobStatus(enq.enqueueJob.id, ['COMPLETED', 'FAILED']);
    expect(job).toMatchObject({ status: 'COMPLETED', attempts: 3, result: { attempt: 3 } });
  });

  it('fails for good after its last try, keeping the error, and can be retried by hand', async () => {
    const enq = await api.ok(
      ENQUEUE,
      { input: { type: 'platform.noop', payload: { failTimes: 5 } } },
      n.keys.editor,
    );
    const job = await jobStatus(enq.enqueueJob.id, ['FAILED']);
    expect(job.error).toMatch(/Failing on purpose \(try 3\)/);
    const filtered = await api.ok(
      `query { jobs(filter: { statuses: [FAILED], errorContains: "on purpose" }) { totalCount } }`,
      {},
      n.keys.app,
    );
    expect(filtered.jobs.totalCount).toBeGreaterThanOrEqual(1);
    const retried = await api.ok(
      `mutation($id: ID!) { retryJob(id: $id) { status } }`,
      { id: job.id },
      n.keys.editor,
    );
    expect(retried.retryJob.status).toBe('QUEUED');
    const again = await jobStatus(job.id, ['FAILED', 'COMPLETED']);
    expect(again.status).toBe('FAILED');
  });

  it('is idempotent by key', async () => {
    const input = { type: 'platform.noop', payload: {}, idempotencyKey: 'nightly-2026-11-30' };
    const a = await api.ok(ENQUEUE, { input }, n.keys.editor);
    const b = await api.ok(ENQUEUE, { input }, n.keys.editor);
    expect(b.enqueueJob.id).toBe(a.enqueueJob.id);
  });

  it('survives a model that crashes its sandbox thread', async () => {
    const crash = await api.ok(
      ENQUEUE,
      { input: { type: 'platform.sandboxed-noop', payload: { crash: true } } },
      n.keys.editor,
    );
    const crashed = await jobStatus(crash.enqueueJob.id, ['COMPLETED', 'FAILED']);
    // The first try's thread died; the second try ran in a fresh thread.
    expect(crashed).toMatchObject({ status: 'COMPLETED', attempts: 2 });
    const row = await api.db.job.findUnique({ where: { id: crash.enqueueJob.id } });
    expect(row?.status).toBe('COMPLETED');
  });

  it('cancels a running job', async () => {
    const enq = await api.ok(
      ENQUEUE,
      { input: { type: 'platform.sandboxed-noop', payload: { durationMs: 20_000, steps: 200 } } },
      n.keys.editor,
    );
    await jobStatus(enq.enqueueJob.id, ['ACTIVE']);
    const c = await api.ok(
      `mutation($id: ID!) { cancelJob(id: $id) { status } }`,
      { id: enq.enqueueJob.id },
      n.keys.editor,
    );
    expect(c.cancelJob.status).toBe('CANCELLED');
    const t0 = Date.now();
    await waitFor(async () =>
      (await api.server.services.queues.get('platform').getJob(enq.enqueueJob.id))
        ?.getState()
        .then((s) => s === 'failed'),
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
    const again = await api.gql(
      `mutation($id: ID!) { cancelJob(id: $id) { status } }`,
      { id: enq.enqueueJob.id },
      n.keys.editor,
    );
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('enforces the newsroom quota of open jobs', async () => {
    await api.db.newsroom.update({ where: { id: n.id }, data: { maxOpenJobs: 1 } });
    await worker.close(1000);
    await api.ok(ENQUEUE, { input: { type: 'platform.noop', payload: {} } }, n.keys.editor);
    const r = await api.gql(ENQUEUE, { input: { type: 'platform.noop', payload: {} } }, n.keys.editor);
    expect(r.errors?.[0].extensions?.code).toBe('QUOTA_EXCEEDED');
    expect(r.errors?.[0].message).toMatch(/limit is 1/);
    await api.db.newsroom.update({ where: { id: n.id }, data: { maxOpenJobs: 1000 } });
    worker = await startWorker(config, silentLog());
  });

  it('rejects unknown job types and bad payloads clearly', async () => {
    const r = await api.gql(ENQUEUE, { input: { type: 'platform.nope' } }, n.keys.editor);
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(r.errors?.[0].message).toMatch(/jobTypes/);
    const app = await api.gql(ENQUEUE, { input: { type: 'platform.noop' } }, n.keys.app);
    expect(app.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('bulk enqueue and the job contract', () => {
  const BULK = `mutation($jobs: [EnqueueJobInput!]!) { enqueueJobs(jobs: $jobs) { id type status idempotencyKey contentId } }`;

  it('queues many jobs in one call, in order, each idempotent by its own key, all completed by the worker', async () => {
    const jobs = Array.from({ length: 50 }, (_, i) => ({
      type: 'platform.noop',
      payload: { steps: 1 },
      ...(i % 10 === 0 ? { idempotencyKey: `bulk-${i}` } : {}),
    }));
    const first = (await api.ok(BULK, { jobs }, n.keys.editor)).enqueueJobs;
    expect(first).toHaveLength(50);
    expect(new Set(first.map((j: { id: string }) => j.id)).size).toBe(50);
    expect(first[10]).toMatchObject({ idempotencyKey: 'bulk-10', status: 'QUEUED' });
    // The same keys again (and twice in one call) return the same jobs.
    const again = (
      await api.ok(
        BULK,
        { jobs: [jobs[0], jobs[10], jobs[10], { type: 'platform.noop', payload: {} }] },
        n.keys.editor,
      )
    ).enqueueJobs;
    expect(again.map((j: { id: string }) => j.id).slice(0, 3)).toEqual([
      first[0].id,
      first[10].id,
      first[10].id,
    ]);
    expect(again[3].id).not.toBe(first[0].id);
    const ids = [...first, again[3]].map((j: { id: string }) => j.id);
    await waitFor(async () => {
      const rows = await api.db.job.findMany({ where: { id: { in: ids } }, select: { status: true } });
      return rows.every((r) => r.status === 'COMPLETED');
    });
    const row = await api.db.job.findUniqueOrThrow({ where: { id: first[1].id } });
    expect(row).toMatchObject({
      status: 'COMPLETED',
      progress: 1,
      attempts: 1,
      result: { steps: 1, attempt: 1 },
    });
  });

  it('checks payloads against the job schema at enqueue, naming the item and the field; nothing is queued', async () => {
    const before = await api.db.job.count({ where: { newsroomId: n.id } });
    const r = await api.gql(
      BULK,
      {
        jobs: [
          { type: 'platform.noop', payload: { steps: 2 } },
          { type: 'platform.noop', payload: { steps: 'many' } },
        ],
      },
      n.keys.editor,
    );
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'jobs[1].payload.steps',
    });
    expect(r.errors?.[0].message).toMatch(/jobs\[1\]\.payload\.steps: Expected number, received string/);
    const one = await api.gql(
      ENQUEUE,
      { input: { type: 'vision.analyze', payload: { analyses: ['objects'] } } },
      n.keys.editor,
    );
    expect(one.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'payload.assetId' });
    expect(await api.db.job.count({ where: { newsroomId: n.id } })).toBe(before);
  });

  it("refuses another newsroom's content and asset ids", async () => {
    const other = await createNewsroom(api.db, 'Other Desk');
    const item = await api.db.contentItem.create({
      data: { newsroomId: other.id, externalId: 'x1', title: 'Not yours', body: 'Body' },
    });
    const r = await api.gql(
      ENQUEUE,
      { input: { type: 'platform.noop', payload: {}, contentId: item.id } },
      n.keys.editor,
    );
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'contentId' });
    const bulk = await api.gql(
      BULK,
      {
        jobs: [
          { type: 'platform.noop', payload: {} },
          { type: 'platform.noop', assetId: item.id },
        ],
      },
      n.keys.editor,
    );
    expect(bulk.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'jobs[1].assetId' });
    expect(await api.db.job.count({ where: { contentId: item.id } })).toBe(0);
  });

  it('checks the quota once for the whole batch', async () => {
    const open = await api.db.job.count({
      where: { newsroomId: n.id, status: { in: ['QUEUED', 'ACTIVE'] } },
    });
    await api.db.newsroom.update({ where: { id: n.id }, data: { maxOpenJobs: open + 3 } });
    const jobs = Array.from({ length: 5 }, () => ({ type: 'platform.noop', payload: { durationMs: 50 } }));
    const r = await api.gql(BULK, { jobs }, n.keys.editor);
    expect(r.errors?.[0].extensions?.code).toBe('QUOTA_EXCEEDED');
    expect(r.errors?.[0].message).toMatch(/These 5 would pass it/);
    await api.db.newsroom.update({ where: { id: n.id }, data: { maxOpenJobs: 1000 } });
  });
});

describe('workers on several processes', () => {
  it('a job whose worker is killed with -9 mid-run is finished by another worker', async () => {
    await worker?.close(1000);
    const w1 = spawnWorker(config, { WORKER_QUEUES: 'platform:1' });
    await w1.ready;
    const enq = await api.ok(
      ENQUEUE,
      { input: { type: 'platform.noop', payload: { durationMs: 8000, steps: 40 } } },
      n.keys.editor,
    );
    await jobStatus(enq.enqueueJob.id, ['ACTIVE']);
    w1.kill('SIGKILL');
    const w2 = spawnWorker(config, { WORKER_QUEUES: 'platform:1' });
    await w2.ready;
    const job = await jobStatus(enq.enqueueJob.id, ['COMPLETED', 'FAILED']);
    expect(job.status).toBe('COMPLETED');
    w2.kill('SIGTERM');
    await new Promise((r) => w2.once('exit', r));
  }, 90_000);

  it('SIGTERM lets the running job finish and takes no new work', async () => {
    const w = spawnWorker(config, { WORKER_QUEUES: 'platform:1', MEDIAAI_SHUTDOWN_GRACE_MS: '20000' });
    await w.ready;
    const enq = await api.ok(
      ENQUEUE,
      { input: { type: 'platform.noop', payload: { durationMs: 2000, steps: 10 } } },
      n.keys.editor,
    );
    await jobStatus(enq.enqueueJob.id, ['ACTIVE']);
    w.kill('SIGTERM');
    const code = await new Promise((r) => w.once('exit', r));
    expect(code, w.output()).toBe(0);
    const job = (await api.ok(GET, { id: enq.enqueueJob.id }, n.keys.app)).job;
    expect(job.status).toBe('COMPLETED');
  }, 60_000);

  it('takes time limits per job type from MEDIAAI_JOB_TIMEOUTS, and refuses to start on a bad one', async () => {
    const bad = spawnWorker(config, { MEDIAAI_JOB_TIMEOUTS: 'platform.nope=1s' });
    await expect(bad.ready).rejects.toThrow(/unknown job type \W*platform\.nope/);
    const w = spawnWorker(config, { WORKER_QUEUES: 'platform:1', MEDIAAI_JOB_TIMEOUTS: 'platform.noop=1s' });
    await w.ready;
    const enq = await api.ok(
      ENQUEUE,
      { input: { type: 'platform.noop', payload: { durationMs: 5000, steps: 5 } } },
      n.keys.editor,
    );
    const job = await jobStatus(enq.enqueueJob.id, ['COMPLETED', 'FAILED']);
    expect(job).toMatchObject({ status: 'FAILED', errorCode: 'TIMEOUT', attempts: 3 });
    expect(job.error).toMatch(/1 s time limit/);
    w.kill('SIGTERM');
    await new Promise((r) => w.once('exit', r));
  }, 60_000);

  it('SIGTERM past the grace period hands the job back without losing it', async () => {
    const w = spawnWorker(config, { WORKER_QUEUES: 'platform:1', MEDIAAI_SHUTDOWN_GRACE_MS: '500' });
    await w.ready;
    const enq = await api.ok(
      ENQUEUE,
      { input: { type: 'platform.noop', payload: { durationMs: 6000, steps: 30 } } },
      n.keys.editor,
    );
    await jobStatus(enq.enqueueJob.id, ['ACTIVE']);
    w.kill('SIGTERM');
    await new Promise((r) => w.once('exit', r));
    const row = await api.db.job.findUnique({ where: { id: enq.enqueueJob.id } });
    expect(row?.status).toBe('QUEUED');
    worker = await startWorker(config, silentLog());
    const job = await jobStatus(enq.enqueueJob.id, ['COMPLETED', 'FAILED']);
    expect(job.status).toBe('COMPLETED');
    expect(job.attempts).toBe(1);
  }, 60_000);
});
