import { request } from 'node:http';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerRuntime } from '@media-ai/worker';
import {
  createNewsroom,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';

// Jobs in editors' terms (what a job is about, whether Retry can help) and compressed GraphQL answers.

let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime;
let n: TestNewsroom;
const config = testConfig({ WORKER_QUEUES: 'content:1,platform:1' });

beforeAll(async () => {
  api = await startTestApi(config);
  n = await createNewsroom(api.db, 'Editor Jobs Desk');
  worker = await startWorker(config, silentLog());
});
afterAll(async () => {
  await worker?.close(1000);
  await api?.close();
});

const ENQUEUE = `mutation($input: EnqueueJobInput!) { enqueueJob(input: $input) { id title retryable } }`;
const GET = `query($id: ID!) { job(id: $id) { id status errorCode title retryable } }`;

async function waitForEnd(id: string) {
  for (let i = 0; i < 300; i++) {
    const { job } = await api.ok(GET, { id }, n.keys.editor);
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not end`);
}

describe('jobs in editors’ terms', () => {
  it('names the content item or asset a job is about', async () => {
    const item = await api.db.contentItem.create({
      data: { newsroomId: n.id, title: 'Storm closes the harbour', body: 'The harbour closed on Monday.' },
    });
    const asset = await api.db.mediaAsset.create({
      data: {
        newsroomId: n.id,
        storageKey: 'x/y',
        filename: 'harbour.jpg',
        mimeType: 'image/jpeg',
        kind: 'image',
        sizeBytes: 10n,
        checksum: 'c'.repeat(64),
      },
    });
    const forItem = await api.ok(
      ENQUEUE,
      { input: { type: 'platform.noop', payload: { steps: 1 }, contentId: item.id } },
      n.keys.editor,
    );
    expect(forItem.enqueueJob.title).toBe('Storm closes the harbour');
    const forAsset = await api.ok(
      ENQUEUE,
      { input: { type: 'platform.noop', payload: { steps: 1 }, assetId: asset.id } },
      n.keys.editor,
    );
    expect(forAsset.enqueueJob.title).toBe('harbour.jpg');
    const batch = await api.ok(
      `mutation($ids: [ID!]!) { generateForContent(contentIds: $ids, operations: [SUMMARY]) { id title } }`,
      { ids: [item.id, item.id] },
      n.keys.editor,
    );
    expect(batch.generateForContent.title).toBe('Storm closes the harbour');
    const bare = await api.ok(ENQUEUE, { input: { type: 'platform.noop', payload: {} } }, n.keys.editor);
    expect(bare.enqueueJob.title).toBeNull();
    // A queued job cannot be retried yet.
    expect(bare.enqueueJob.retryable).toBe(false);
    await waitForEnd(forItem.enqueueJob.id);
  });

  it('marks a job that failed on its input as not retryable, and retryJob refuses it', async () => {
    const { enqueueJob } = await api.ok(
      ENQUEUE,
      { input: { type: 'content.generate', payload: { operations: ['summary'], source: { text: '   ' } } } },
      n.keys.editor,
    );
    const failed = await waitForEnd(enqueueJob.id);
    expect(failed).toMatchObject({ status: 'FAILED', errorCode: 'BAD_USER_INPUT', retryable: false });
    const row = await api.db.job.findUniqueOrThrow({ where: { id: enqueueJob.id } });
    expect(row.retryable).toBe(false);
    const retry = await api.gql(
      `mutation($id: ID!) { retryJob(id: $id) { id } }`,
      { id: enqueueJob.id },
      n.keys.editor,
    );
    expect(retry.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(retry.errors?.[0].message).toMatch(/failed on its input.*empty.*start a new job/s);
    // Nothing was re-queued.
    expect((await api.db.job.findUniqueOrThrow({ where: { id: enqueueJob.id } })).status).toBe('FAILED');
  });

  it('keeps Retry for jobs that failed for a passing reason, and retries them', async () => {
    const { enqueueJob } = await api.ok(
      ENQUEUE,
      { input: { type: 'platform.noop', payload: { steps: 1, failTimes: 3 } } },
      n.keys.editor,
    );
    const failed = await waitForEnd(enqueueJob.id);
    expect(failed).toMatchObject({ status: 'FAILED', retryable: true });
    const retried = await api.ok(
      `mutation($id: ID!) { retryJob(id: $id) { id status retryable } }`,
      { id: enqueueJob.id },
      n.keys.editor,
    );
    expect(retried.retryJob).toMatchObject({ status: 'QUEUED', retryable: false });
    await waitForEnd(enqueueJob.id);
  });
});

describe('compressed GraphQL answers', () => {
  const query = JSON.stringify({ query: '{ __schema { types { name description } } }' });

  function post(encoding: string | null) {
    return new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const req = request(
        `${api.url}/graphql`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${n.keys.editor}`,
            ...(encoding ? { 'accept-encoding': encoding } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        },
      );
      req.on('error', reject);
      req.end(query);
    });
  }

  it('answers br or gzip as the client accepts, and plain to clients that accept neither', async () => {
    const plain = await post(null);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const size = plain.body.length;
    expect(size).toBeGreaterThan(10_000);

    const br = await post('br, gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(plain.body.toString());
    expect(br.body.length).toBeLessThan(size / 2);

    const gz = await post('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(plain.body.toString());
    expect(gz.body.length).toBeLessThan(size / 2);
  });

  it('leaves small answers uncompressed', async () => {
    const small = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request(
        `${api.url}/graphql`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${n.keys.editor}`,
            'accept-encoding': 'gzip',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.headers));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ query: '{ me { role } }' }));
    });
    expect(small['content-encoding']).toBeUndefined();
  });
});
