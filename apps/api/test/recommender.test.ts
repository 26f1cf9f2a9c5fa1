import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataDir } from '@media-ai/core';
import { startWorker, type WorkerRuntime } from '@media-ai/worker';
import { recommenderRoutes } from '../src/recommender/routes.js';
import {
  createNewsroom,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';

/*
 * The recommender end to end: a 300-reader slice of MovieLens 100k imported as content and reading
 * events, training over a job with progress, serving with reasons, fold-in, cold start, editorial
 * rules, the model registry (candidate, activation, rollback), privacy and the batch feed.
 */

const ML = sharedDataDir('recsys/ml-100k');
if (!ML)
  console.warn('recommender.test: skipped, ../shared/data/recsys/ml-100k is absent (set SHARED_DATA_DIR)');

const READERS = 300;
const DAY = 86_400_000;

let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime;
let n: TestNewsroom;
const config = testConfig({ WORKER_QUEUES: 'recommender:1' });
/** reader external id → content ids read (platform ids). */
const history = new Map<string, string[]>();
const contentIdOf = new Map<string, string>();
const titleOf = new Map<string, string>();

const REC = `query($r: String!, $first: Int, $filter: RecommendationFilter) {
  recommendations(readerId: $r, first: $first, filter: $filter) {
    coldStart tookMs modelVersion { id version algorithm engineVersion }
    items { score reason reasonKind relatedContentId pinned boosted content { id title category } }
  } }`;
const JOB = `query($id: ID!) { job(id: $id) { id status result error } }`;
const TRAIN = `mutation($input: TrainRecommenderInput) { trainRecommender(input: $input) { id status type queue } }`;
const MODEL = `query($id: ID!) { modelVersion(id: $id) { id version status algorithm metrics history artifactBytes dataWindowStart dataWindowEnd backend notes gate { passed reason metric against items pValue } } }`;

async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 150));
  }
}
const jobDone = (id: string, ms?: number) =>
  waitFor(async () => {
    const j = (await api.ok(JOB, { id }, n.keys.app)).job;
    if (j.status === 'FAILED') throw new Error(`job failed: ${j.error}`);
    return j.status === 'COMPLETED' ? j : null;
  }, ms);
const recs = async (reader: string, vars: Record<string, unknown> = {}) =>
  (await api.ok(REC, { r: reader, first: 10, ...vars }, n.keys.app)).recommendations;

/** MovieLens → content items (first genre as category) and events over the last 28 days. */
async function importMovieLens(dir: string): Promise<void> {
  const genres = fs
    .readFileSync(path.join(dir, 'u.genre'), 'latin1')
    .trim()
    .split('\n')
    .map((l) => l.split('|')[0]!);
  const items = fs
    .readFileSync(path.join(dir, 'u.item'), 'latin1')
    .trim()
    .split('\n')
    .map((l) => {
      const f = l.split('|');
      const flags = f.slice(5).map(Number);
      return { id: f[0]!, title: f[1]!, category: genres[flags.findIndex((x) => x === 1)] ?? 'unknown' };
    });
  const ratings = fs
    .readFileSync(path.join(dir, 'u.data'), 'latin1')
    .trim()
    .split('\n')
    .map((l) => l.split('\t').map(Number) as [number, number, number, number])
    .filter(([u]) => u <= READERS);
  const published = new Date(Date.now() - 60 * DAY);
  await api.db.contentItem.createMany({
    data: items.map((it) => ({
      newsroomId: n.id,
      externalId: `ml-${it.id}`,
      title: it.title,
      category: it.category,
      status: 'PUBLISHED' as const,
      publishedAt: published,
      tags: [it.category],
    })),
  });
  const rows = await api.db.contentItem.findMany({
    where: { newsroomId: n.id },
    select: { id: true, externalId: true, title: true },
  });
  for (const r of rows) {
    contentIdOf.set(r.externalId!, r.id);
    titleOf.set(r.id, r.title);
  }
  const t0 = Math.min(...ratings.map((r) => r[3]));
  const t1 = Math.max(...ratings.map((r) => r[3]));
  const now = Date.now() - 3_600_000;
  const events = ratings.map(([u, i, rating, t], k) => {
    const readerId = `u${u}`;
    const list = history.get(readerId) ?? [];
    list.push(contentIdOf.get(`ml-${i}`)!);
    history.set(readerId, list);
    return {
      eventId: `ml-${k}`,
      readerId,
      contentExternalId: `ml-${i}`,
      eventType: rating >= 4 ? 'read' : 'click',
      occurredAt: new Date(now - 28 * DAY + ((t - t0) / (t1 - t0 || 1)) * 28 * DAY).toISOString(),
    };
  });
  const INGEST = `mutation($e: [InteractionInput!]!) { ingestInteractions(events: $e) { accepted rejected { reason } } }`;
  for (let k = 0; k < events.length; k += 10_000) {
    const r = await api.ok(INGEST, { e: events.slice(k, k + 10_000) }, n.keys.app);
    expect(r.ingestInteractions.rejected).toEqual([]);
  }
}

describe.skipIf(!ML)('recommender', () => {
  beforeAll(async () => {
    api = await startTestApi(config);
    n = await createNewsroom(api.db, 'Recsys Desk');
    await api.db.newsroom.update({ where: { id: n.id }, data: { maxOpenJobs: 50, maxJobsPerDay: 1000 } });
    await importMovieLens(ML!);
    worker = await startWorker(config, silentLog());
  });
  afterAll(async () => {
    await worker?.close(2000);
    await api?.close();
  });

  let v1: { id: string; version: number };

  it('serves cold start before any model, never an error', async () => {
    const r = await recs('u1');
    expect(r.coldStart).toBe(true);
    expect(r.modelVersion).toBeNull();
    expect(r.items).toHaveLength(10);
    for (const it of r.items)
      expect(it.reason).toMatch(/^(Trending now|Popular in .+|Popular with readers)$/);
  });

  it('schedules retraining from setRecommenderConfig and validates the cron', async () => {
    const SET = `mutation($i: RecommenderConfigInput!) { setRecommenderConfig(input: $i) { retrainCron categoryCap halfLifeDays eventWeights } }`;
    const r = await api.ok(SET, { i: { retrainCron: '0 3 * * *' } }, n.keys.admin);
    expect(r.setRecommenderConfig.retrainCron).toBe('0 3 * * *');
    expect(r.setRecommenderConfig.eventWeights.hide).toBeLessThan(0);
    const queue = api.server.services.queues.get('recommender');
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key ?? s.id)).toContain(`recommender-retrain:${n.id}`);
    const bad = await api.gql(SET, { i: { retrainCron: 'every tuesday' } }, n.keys.admin);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/cron/);
    const forbidden = await api.gql(SET, { i: { categoryCap: 2 } }, n.keys.app);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await api.ok(SET, { i: { retrainCron: '' } }, n.keys.admin);
    expect((await queue.getJobSchedulers()).length).toBe(0);
  });

  it('trains over a job with per-epoch loss, registers a version and activates it', async () => {
    const ws = api.ws(n.keys.app);
    const events: { status: string; data?: { epoch?: number; loss?: number | null } | null }[] = [];
    const job = (
      await api.ok(
        TRAIN,
        { input: { algorithm: 'als', params: { factors: 32, iterations: 8 } } },
        n.keys.editor,
      )
    ).trainRecommender;
    expect(job).toMatchObject({
      type: 'recommender.train',
      queue: expect.stringMatching(/^recommender(-gpu)?$/),
    });
    await new Promise<void>((resolve, reject) => {
      ws.subscribe(
        {
          query: `subscription($id: ID) { jobProgress(jobId: $id) { status progress message data } }`,
          variables: { id: job.id },
        },
        {
          next: (m) => {
            const e = (m.data as { jobProgress?: (typeof events)[number] } | undefined)?.jobProgress;
            if (e) events.push(e);
            if (e?.status === 'COMPLETED' || e?.status === 'FAILED') resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await ws.dispose();
    const epochs = events.filter((e) => typeof e.data?.loss === 'number');
    expect(epochs.length).toBeGreaterThanOrEqual(4);
    expect(epochs.map((e) => e.data!.epoch)).toEqual(
      [...epochs.map((e) => e.data!.epoch)].sort((a, b) => a! - b!),
    );
    const done = await jobDone(job.id);
    expect(done.result).toMatchObject({ status: 'activated', algorithm: 'als', version: 1 });
    const mv = (await api.ok(MODEL, { id: done.result.modelVersionId }, n.keys.app)).modelVersion;
    expect(mv).toMatchObject({ status: 'ACTIVE', algorithm: 'als', version: 1, backend: 'typescript-cpu' });
    // The registry's gate: 100+ validation readers, paired bootstrap against the popularity baseline.
    expect(mv.gate).toMatchObject({ passed: true, metric: 'ndcg@10', against: 'popularity baseline' });
    expect(mv.gate.items).toBeGreaterThanOrEqual(100);
    expect(mv.gate.pValue).toBeLessThan(0.05);
    expect(mv.notes).toMatch(/^activated: beats popularity baseline: ndcg@10 .* readers/);
    expect(done.result.gate).toBe(mv.gate.reason);
    expect(mv.metrics.ndcg).toBeGreaterThan(0.05);
    for (const k of ['precision', 'recall', 'map', 'coverage']) expect(mv.metrics[k]).toBeGreaterThan(0);
    expect(mv.history.length).toBe(8);
    expect(mv.artifactBytes).toBeGreaterThan(10_000);
    expect(new Date(mv.dataWindowEnd).getTime()).toBeGreaterThan(new Date(mv.dataWindowStart).getTime());
    v1 = mv;
    console.log(`recommender.test: ALS v1 validation ${JSON.stringify(mv.metrics)}`);
  });

  it('recommends with reasons, unseen items, and differs from the popular list', async () => {
    const r = await recs('u1');
    expect(r.coldStart).toBe(false);
    expect(r.modelVersion).toMatchObject({ id: v1.id, version: 1, algorithm: 'als' });
    expect(r.items).toHaveLength(10);
    const seen = new Set(history.get('u1'));
    for (const it of r.items) {
      expect(seen.has(it.content.id)).toBe(false);
      expect(it.reason.length).toBeGreaterThan(3);
    }
    const because = r.items.filter((it: { reasonKind: string }) => it.reasonKind === 'because-you-read');
    expect(because.length).toBeGreaterThan(0);
    expect(because[0].reason).toBe(`Because you read ${titleOf.get(because[0].relatedContentId)}`);
    expect(seen.has(because[0].relatedContentId)).toBe(true);
    // Personal lists differ between readers and from the cold-start (popular) list.
    const cold = (await recs('nobody-1')).items.map((it: { content: { id: string } }) => it.content.id);
    let differing = 0;
    for (const reader of ['u1', 'u2', 'u3', 'u4', 'u6']) {
      const ids = (await recs(reader)).items.map((it: { content: { id: string } }) => it.content.id);
      if (ids.filter((id: string) => !cold.includes(id)).length >= 3) differing++;
    }
    expect(differing).toBeGreaterThanOrEqual(4);
  });

  it('folds in new interactions at once, without retraining', async () => {
    const before = (await recs('u2')).items.map((it: { content: { id: string } }) => it.content.id);
    // u2 suddenly likes twenty children's and animated films.
    const kids = [...contentIdOf.entries()]
      .filter(([, id]) => !history.get('u2')!.includes(id))
      .slice(0, 400);
    const rows = await api.db.contentItem.findMany({
      where: { id: { in: kids.map(([, id]) => id) }, category: { in: ["Children's", 'Animation'] } },
      take: 20,
    });
    const INGEST = `mutation($e: [InteractionInput!]!) { ingestInteractions(events: $e) { accepted } }`;
    const e = rows.map((c, k) => ({
      eventId: `fold-${k}`,
      readerId: 'u2',
      contentId: c.id,
      eventType: 'like',
      occurredAt: new Date().toISOString(),
    }));
    expect((await api.ok(INGEST, { e }, n.keys.app)).ingestInteractions.accepted).toBe(rows.length);
    const after = await recs('u2');
    const ids = after.items.map((it: { content: { id: string } }) => it.content.id);
    expect(after.modelVersion.version).toBe(1);
    expect(ids.filter((id: string) => !before.includes(id)).length).toBeGreaterThanOrEqual(3);
    expect(ids.some((id: string) => rows.some((r) => r.id === id))).toBe(false);
    // A brand-new reader with a few reads gets personal recommendations at once.
    const fresh = rows.slice(0, 3).map((c, k) => ({
      eventId: `new-${k}`,
      readerId: 'brand-new',
      contentId: c.id,
      eventType: 'read',
      occurredAt: new Date().toISOString(),
    }));
    await api.ok(INGEST, { e: fresh }, n.keys.app);
    const br = await recs('brand-new');
    expect(br.coldStart).toBe(false);
    expect(br.items.length).toBe(10);
  });

  it('gives unknown readers cold-start recommendations', async () => {
    const r = await recs('never-seen-before');
    expect(r.coldStart).toBe(true);
    expect(r.items).toHaveLength(10);
    expect(
      r.items.every((it: { reason: string }) =>
        /^(Trending now|Popular in .+|Popular with readers)$/.test(it.reason),
      ),
    ).toBe(true);
    const sim = await api.ok(
      `query($id: ID!) { similarContent(contentId: $id, first: 5) { reason content { id } } }`,
      { id: history.get('u1')![0] },
      n.keys.app,
    );
    expect(sim.similarContent).toHaveLength(5);
    expect(sim.similarContent[0].reason).toMatch(/^Similar to /);
    const tr = await api.ok(
      `query { trending(first: 5, category: "Drama") { reason content { category } } }`,
      {},
      n.keys.app,
    );
    expect(tr.trending.length).toBeGreaterThan(0);
    expect(tr.trending.every((t: { content: { category: string } }) => t.content.category === 'Drama')).toBe(
      true,
    );
  });

  it('applies pins, blocks, embargoes and the category cap at once', async () => {
    const base = (await recs('u3')).items;
    const ids = base.map((it: { content: { id: string } }) => it.content.id);
    const pinned = [...contentIdOf.values()].find(
      (id) => !ids.includes(id) && !history.get('u3')!.includes(id),
    )!;
    const pin = (
      await api.ok(
        `mutation($c: ID!) { pinContent(contentId: $c, position: 1) { id kind position } }`,
        { c: pinned },
        n.keys.editor,
      )
    ).pinContent;
    const block = (
      await api.ok(`mutation($c: ID!) { blockContent(contentId: $c) { id } }`, { c: ids[1] }, n.keys.editor)
    ).blockContent;
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const emb = (
      await api.ok(
        `mutation($c: ID!, $u: DateTime!) { embargoContent(contentId: $c, until: $u) { id endsAt } }`,
        { c: ids[2], u: until },
        n.keys.editor,
      )
    ).embargoContent;
    const r = await recs('u3');
    expect(r.items[0]).toMatchObject({ pinned: true, reason: 'Editor’s pick', content: { id: pinned } });
    const now = r.items.map((it: { content: { id: string } }) => it.content.id);
    expect(now).not.toContain(ids[1]);
    expect(now).not.toContain(ids[2]);
    const list = await api.ok(
      `query { editorialRules(first: 10) { totalCount edges { node { kind } } } }`,
      {},
      n.keys.app,
    );
    expect(list.editorialRules.totalCount).toBe(3);

    const SET = `mutation($i: RecommenderConfigInput!) { setRecommenderConfig(input: $i) { categoryCap } }`;
    await api.ok(SET, { i: { categoryCap: 2 } }, n.keys.admin);
    const capped = await recs('u3');
    const counts = new Map<string, number>();
    for (const it of capped.items)
      counts.set(it.content.category, (counts.get(it.content.category) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
    expect(capped.items).toHaveLength(10);
    await api.ok(SET, { i: { categoryCap: 0 } }, n.keys.admin);

    for (const id of [pin.id, block.id, emb.id]) {
      expect(
        (await api.ok(`mutation($id: ID!) { removeEditorialRule(id: $id) }`, { id }, n.keys.editor))
          .removeEditorialRule,
      ).toBe(true);
    }
    const back = (await recs('u3')).items.map((it: { content: { id: string } }) => it.content.id);
    expect(back).toEqual(ids);
  });

  it('keeps a worse model as candidate; activation and rollback switch serving at once', async () => {
    const job = (await api.ok(TRAIN, { input: { algorithm: 'popularity' } }, n.keys.editor)).trainRecommender;
    const done = await jobDone(job.id);
    expect(done.result.status).toBe('candidate');
    expect(done.result.metrics.ndcg).toBeLessThan(done.result.activeNdcg);
    const v2 = (await api.ok(MODEL, { id: done.result.modelVersionId }, n.keys.app)).modelVersion;
    expect(v2).toMatchObject({ status: 'CANDIDATE', version: 2, algorithm: 'popularity' });
    expect(v2.gate).toMatchObject({ passed: false, against: 'recommender v1 (als)' });
    expect(v2.gate.reason).toMatch(/^kept as CANDIDATE: not shown to beat recommender v1 \(als\)/);
    console.log(
      `recommender.test: popularity v2 nDCG@10 ${v2.metrics.ndcg} vs ALS v1 ${done.result.activeNdcg} (same split)`,
    );
    expect((await recs('u1')).modelVersion.version).toBe(1);

    const noRight = await api.gql(
      `mutation($id: ID!) { activateRecommenderModel(id: $id) { id } }`,
      { id: v2.id },
      n.keys.editor,
    );
    expect(noRight.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const act = await api.ok(
      `mutation($id: ID!) { activateRecommenderModel(id: $id) { id status version } }`,
      { id: v2.id },
      n.keys.admin,
    );
    expect(act.activateRecommenderModel).toMatchObject({ status: 'ACTIVE', version: 2 });
    expect((await api.ok(MODEL, { id: v1.id }, n.keys.app)).modelVersion.status).toBe('RETIRED');
    expect((await recs('u1')).modelVersion.version).toBe(2);

    const rb = await api.ok(`mutation { rollbackRecommender { id status version } }`, {}, n.keys.admin);
    expect(rb.rollbackRecommender).toMatchObject({ id: v1.id, status: 'ACTIVE', version: 1 });
    expect((await recs('u1')).modelVersion.version).toBe(1);
    const active = await api.db.modelVersion.count({
      where: { newsroomId: n.id, area: 'recommender', status: 'ACTIVE' },
    });
    expect(active).toBe(1);
  });

  it('writes a batch feed that can be downloaded', async () => {
    const job = (await api.ok(`mutation { batchRecommend(first: 5) { id type } }`, {}, n.keys.editor))
      .batchRecommend;
    const done = await jobDone(job.id);
    expect(done.result).toMatchObject({
      status: 'written',
      version: 1,
      downloadPath: `/v1/recommender/feeds/${job.id}`,
    });
    expect(done.result.storageKey).toBe(`${n.id}/feeds/${job.id}.jsonl`);
    expect(done.result.readers).toBeGreaterThanOrEqual(READERS - 5);
    // The route, mounted as src/routes.ts would mount it.
    const app = express().use(recommenderRoutes(api.server.services));
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${done.result.downloadPath}`;
      const res = await fetch(url, { headers: { authorization: `Bearer ${n.keys.app}` } });
      expect(res.status).toBe(200);
      const lines = (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(done.result.readers);
      expect(lines[0].items).toHaveLength(5);
      expect(lines[0].model.algorithm).toBe('als');
      expect(lines.find((l) => l.readerExternalId === 'u1')).toBeTruthy();
      expect((await fetch(url)).status).toBeGreaterThanOrEqual(400); // 401 through the API's error handler
    } finally {
      server.close();
    }
  });

  it('deletes a reader with everything held about them', async () => {
    const before = await api.ok(`query { exportReader(readerId: "u5") }`, {}, n.keys.admin);
    expect(before.exportReader.reader.externalId).toBe('u5');
    expect(before.exportReader.interactions.length).toBe(history.get('u5')!.length);
    expect(before.exportReader.models[0].holdsLearnedVector).toBe(true);
    const del = await api.ok(
      `mutation { deleteReader(readerId: "u5") { deleted interactionsDeleted note } }`,
      {},
      n.keys.admin,
    );
    expect(del.deleteReader).toMatchObject({ deleted: true, interactionsDeleted: history.get('u5')!.length });
    const after = await api.ok(`query { exportReader(readerId: "u5") }`, {}, n.keys.admin);
    expect(after.exportReader).toMatchObject({ reader: null, interactions: [], embeddings: [], models: [] });
    expect(
      await api.db.interaction.count({ where: { newsroomId: n.id, reader: { externalId: 'u5' } } }),
    ).toBe(0);
    expect((await recs('u5')).coldStart).toBe(true);
  });

  it('serves recommendations in milliseconds', async () => {
    const times: number[] = [];
    const server: number[] = [];
    for (let k = 0; k < 30; k++) {
      const t0 = performance.now();
      const r = await recs(`u${10 + k}`);
      times.push(performance.now() - t0);
      server.push(r.tookMs);
    }
    const p = (xs: number[], q: number) =>
      [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
    console.log(
      `recommender.test: recommendations latency over HTTP p50 ${p(times, 0.5).toFixed(1)} ms, p90 ${p(times, 0.9).toFixed(1)} ms; server p50 ${p(server, 0.5)} ms`,
    );
    expect(p(server, 0.5)).toBeLessThan(250);
  });

  it('trains the default blend (what scheduled retraining runs) and evaluates a version again', async () => {
    const job = (await api.ok(TRAIN, { input: {} }, n.keys.editor)).trainRecommender;
    // Four components (EASE inverts an items × items matrix), fitted for the weight search, on the
    // split and again on all data: minutes on a loaded 2-core machine.
    const done = await jobDone(job.id, 400_000);
    expect(done.result.algorithm).toBe('blend');
    expect(['activated', 'candidate']).toContain(done.result.status);
    console.log(
      `recommender.test: blend v3 ${done.result.status}, nDCG@10 ${done.result.metrics.ndcg} vs active ${done.result.activeNdcg}, fit ${done.result.trainSeconds} s`,
    );
    const ev = (
      await api.ok(
        `mutation($id: ID!) { evaluateRecommenderModel(id: $id) { id } }`,
        { id: v1.id },
        n.keys.editor,
      )
    ).evaluateRecommenderModel;
    const evDone = await jobDone(ev.id);
    expect(evDone.result).toMatchObject({ status: 'evaluated', version: 1, algorithm: 'als' });
    expect(evDone.result.metrics.ndcg).toBeGreaterThan(0.1);
    const mv = (await api.ok(MODEL, { id: v1.id }, n.keys.app)).modelVersion;
    expect(mv.metrics.reevaluation.ndcg).toBe(evDone.result.metrics.ndcg);
  }, 420_000);
});
