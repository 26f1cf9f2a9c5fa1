import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '@media-ai/worker';
import { buildTrainingSet, createModel, type Recommender } from '@media-ai/recommender';
import {
  createNewsroom,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';

/*
 * The serving path's hot state, with two API processes on one Redis (as behind a load balancer):
 * reader histories kept in Redis and appended on ingest, every seen item excluded however long the
 * history, and cached rules and content that every process drops at once when an editor changes them.
 */

const REC = `query($r: String!, $first: Int) {
  recommendations(readerId: $r, first: $first) { coldStart items { reason pinned content { id title } } } }`;
const INGEST = `mutation($e: [InteractionInput!]!) { ingestInteractions(events: $e) { accepted duplicates } }`;
const ITEMS = 1_300;

let a: Awaited<ReturnType<typeof startTestApi>>;
let b: Awaited<ReturnType<typeof startTestApi>>;
let n: TestNewsroom;
let ids: string[] = [];

const recs = async (api: typeof a, reader: string, first = 20) =>
  (await api.ok(REC, { r: reader, first }, n.keys.app)).recommendations as {
    coldStart: boolean;
    items: { reason: string; pinned: boolean; content: { id: string; title: string } }[];
  };

const events = (reader: string, items: string[], from = 0) =>
  items.map((contentId, k) => ({
    eventId: `${reader}-${from + k}`,
    readerId: reader,
    contentId,
    eventType: 'read',
    occurredAt: new Date(Date.now() - (items.length - k) * 60_000).toISOString(),
  }));

const config = testConfig({ WORKER_QUEUES: 'recommender:1' });

beforeAll(async () => {
  a = await startTestApi(config);
  b = await startTestApi(config);
  n = await createNewsroom(a.db, 'Serving');
  await a.db.contentItem.createMany({
    data: Array.from({ length: ITEMS }, (_, i) => ({
      newsroomId: n.id,
      externalId: `s${i}`,
      title: `Story ${i}`,
      category: `c${i % 5}`,
      status: 'PUBLISHED' as const,
      publishedAt: new Date(Date.now() - 10 * 86_400_000),
    })),
  });
  const rows = await a.db.contentItem.findMany({
    where: { newsroomId: n.id },
    select: { id: true, externalId: true },
  });
  const byExt = new Map(rows.map((r) => [r.externalId!, r.id]));
  ids = Array.from({ length: ITEMS }, (_, i) => byExt.get(`s${i}`)!);
  // Popularity: a crowd reads the first 200 stories and the last 100.
  for (let r = 0; r < 20; r++) {
    await a.ok(INGEST, { e: events(`crowd${r}`, [...ids.slice(0, 200), ...ids.slice(1_200)]) }, n.keys.app);
  }
}, 120_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe('recommendations serving state', () => {
  it('never recommends an item the reader has read, however long their history', async () => {
    // 1,250 stories read: more than the recent history kept for the fold-in.
    const read = ids.slice(0, 1_250);
    for (let k = 0; k < read.length; k += 500) {
      await a.ok(INGEST, { e: events('avid', read.slice(k, k + 500), k) }, n.keys.app);
    }
    const list = await recs(b, 'avid', 50);
    // The 50 popular stories left unread, and nothing else.
    expect(list.items.map((i) => i.content.id).sort()).toEqual(ids.slice(1_250).sort());
  });

  it('learns new reading at once on every API process, once the history is hot', async () => {
    const first = await recs(b, 'newcomer');
    const top = first.items[0]!.content.id;
    // The history is now hot on Redis; a read through the other process must reach it.
    await a.ok(INGEST, { e: events('newcomer', [top]) }, n.keys.app);
    const after = await recs(b, 'newcomer');
    expect(after.items.length).toBe(first.items.length);
    expect(after.items.map((i) => i.content.id)).not.toContain(top);
    // A replayed event is a duplicate and changes nothing.
    const replay = await a.ok(INGEST, { e: events('newcomer', [top]) }, n.keys.app);
    expect(replay.ingestInteractions).toEqual({ accepted: 0, duplicates: 1 });
  });

  it('applies an editor’s pin and block made on one process at once on the other', async () => {
    const before = await recs(b, 'reader-x', 10);
    const top = before.items[0]!.content.id;
    const pinned = ids[1_299]!;
    // Both caches are warm on process b; the change is made through process a.
    const PIN = `mutation($c: ID!) { pinContent(contentId: $c, position: 1) { id } }`;
    const BLOCK = `mutation($c: ID!) { blockContent(contentId: $c) { id } }`;
    const pin = (await a.ok(PIN, { c: pinned }, n.keys.editor)).pinContent.id as string;
    const block = (await a.ok(BLOCK, { c: top }, n.keys.editor)).blockContent.id as string;
    const after = await recs(b, 'reader-x', 10);
    expect(after.items[0]).toMatchObject({ pinned: true, content: { id: pinned } });
    expect(after.items.map((i) => i.content.id)).not.toContain(top);
    const REMOVE = `mutation($id: ID!) { removeEditorialRule(id: $id) }`;
    await a.ok(REMOVE, { id: pin }, n.keys.editor);
    await a.ok(REMOVE, { id: block }, n.keys.editor);
    const restored = await recs(b, 'reader-x', 10);
    expect(restored.items.map((i) => i.content.id)).toContain(top);
    expect(restored.items.some((i) => i.pinned)).toBe(false);
  });

  it('serves an edited title and drops unpublished content at once on every process', async () => {
    const list = await recs(b, 'reader-y', 5);
    const item = list.items[0]!.content;
    const UPDATE = `mutation($id: ID!, $p: ContentPatch!) { updateContent(id: $id, patch: $p) { id } }`;
    await a.ok(UPDATE, { id: item.id, p: { title: 'Corrected headline' } }, n.keys.editor);
    const edited = await recs(b, 'reader-y', 5);
    expect(edited.items.find((i) => i.content.id === item.id)?.content.title).toBe('Corrected headline');
    await a.ok(UPDATE, { id: item.id, p: { status: 'DRAFT' } }, n.keys.editor);
    const hidden = await recs(b, 'reader-y', 5);
    expect(hidden.items.map((i) => i.content.id)).not.toContain(item.id);
  });

  it('forgets a deleted reader’s hot history', async () => {
    const stranger = (await recs(b, 'never-seen-before')).items.map((i) => i.content.id);
    await a.ok(INGEST, { e: events('leaving', stranger) }, n.keys.app);
    const seen = new Set(stranger);
    expect((await recs(b, 'leaving')).items.some((i) => seen.has(i.content.id))).toBe(false);
    const DELETE = `mutation($r: String!) { deleteReader(readerId: $r) { deleted } }`;
    expect((await a.ok(DELETE, { r: 'leaving' }, n.keys.admin)).deleteReader.deleted).toBe(true);
    // Served as an unknown reader again: exactly what a stranger gets.
    const after = await recs(b, 'leaving');
    expect(after.items.map((i) => i.content.id)).toEqual(stranger);
  });
});

describe('recommender experiments', () => {
  const EXP = `query($id: ID!) { recommenderExperiment(id: $id) { id status trafficShare
    arms { arm requests impressions clicks ctr ctrLow ctrHigh modelVersion { id version status } }
    comparison { difference low high relativeLift verdict } } }`;
  const RECX = `query($r: String!) { recommendations(readerId: $r, first: 5) {
    coldStart experiment { experimentId arm } modelVersion { id } items { content { id } } } }`;
  const versions: string[] = [];

  /** A version as the training job stores it (the mechanics of experiments are tested here, not training). */
  async function storeVersion(model: Recommender, version: number, status: 'ACTIVE' | 'CANDIDATE') {
    const artifact = new Uint8Array(model.serialize());
    const row = await a.db.modelVersion.create({
      data: {
        newsroomId: n.id,
        area: 'recommender',
        name: 'recommender',
        version,
        algorithm: model.metadata.algorithm,
        artifact,
        artifactBytes: artifact.length,
        status,
        ...(status === 'ACTIVE' ? { activatedAt: new Date() } : {}),
      },
    });
    versions.push(row.id);
  }

  beforeAll(async () => {
    // Readers with a short history in the popular stories.
    for (let r = 0; r < 40; r++) {
      const read = [0, 1, 2, 3, 4].map((k) => ids[(r * 7 + k * 13) % 200]!);
      await a.ok(INGEST, { e: events(`exp${r}`, read) }, n.keys.app);
    }
    const rows = await a.db.interaction.findMany({
      where: { newsroomId: n.id },
      select: {
        readerId: true,
        contentId: true,
        eventType: true,
        occurredAt: true,
      },
    });
    const data = buildTrainingSet(
      rows.map((r) => ({
        readerId: r.readerId,
        itemId: r.contentId,
        eventType: r.eventType,
        timestamp: r.occurredAt.getTime(),
      })),
      { eventWeights: { read: 2, click: 1 } },
    );
    const control = createModel({ algorithm: 'als', params: { factors: 16, iterations: 4 } });
    await control.fit(data);
    const candidate = createModel({ algorithm: 'item-knn' });
    await candidate.fit(data);
    await storeVersion(control, 1, 'ACTIVE');
    await storeVersion(candidate, 2, 'CANDIDATE');
  }, 120_000);

  it('splits readers stably between the active and the candidate version and counts clicks per arm', async () => {
    const START = `mutation($i: StartExperimentInput!) { startRecommenderExperiment(input: $i) { id status } }`;
    const started = (
      await a.ok(START, { i: { candidateVersionId: versions[1], trafficShare: 0.5 } }, n.keys.editor)
    ).startRecommenderExperiment;
    expect(started.status).toBe('RUNNING');
    // One at a time.
    const again = await a.gql(
      START,
      { i: { candidateVersionId: versions[1], trafficShare: 0.5 } },
      n.keys.editor,
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const served = new Map<string, { arm: string; items: string[] }>();
    for (let r = 0; r < 40; r++) {
      const reader = `exp${r}`;
      const list = (await a.ok(RECX, { r: reader }, n.keys.app)).recommendations;
      expect(list.coldStart).toBe(false);
      expect(list.experiment.experimentId).toBe(started.id);
      // The arm's version ranked the list, and the same reader stays on the same arm on any process.
      expect(list.modelVersion.id).toBe(list.experiment.arm === 'candidate' ? versions[1] : versions[0]);
      const again = (await b.ok(RECX, { r: reader }, n.keys.app)).recommendations;
      expect(again.experiment.arm).toBe(list.experiment.arm);
      served.set(reader, {
        arm: list.experiment.arm,
        items: list.items.map((i: { content: { id: string } }) => i.content.id),
      });
    }
    const arms = [...served.values()].map((s) => s.arm);
    expect(arms.filter((x) => x === 'candidate').length).toBeGreaterThan(8);
    expect(arms.filter((x) => x === 'control').length).toBeGreaterThan(8);

    // Candidate readers click the first item shown to them (twice: it counts once); control readers
    // click an item that was never shown to them (it does not count).
    let candidateClicks = 0;
    const clicks = [...served].flatMap(([reader, s], k) => {
      if (s.arm === 'candidate') {
        candidateClicks++;
        return [0, 1].map((x) => ({
          eventId: `click-${k}-${x}`,
          readerId: reader,
          contentId: s.items[0]!,
          eventType: 'click',
          occurredAt: new Date().toISOString(),
        }));
      }
      const unseen = ids.find((id) => !s.items.includes(id) && !ids.slice(0, 200).includes(id))!;
      return [
        {
          eventId: `click-${k}`,
          readerId: reader,
          contentId: unseen,
          eventType: 'click',
          occurredAt: new Date().toISOString(),
        },
      ];
    });
    await b.ok(INGEST, { e: clicks }, n.keys.app);
    // Each process writes its impression counts once a second.
    await new Promise((r) => setTimeout(r, 1_200));

    const report = (await a.ok(EXP, { id: started.id }, n.keys.editor)).recommenderExperiment;
    const byArm = Object.fromEntries(report.arms.map((x: { arm: string }) => [x.arm, x]));
    const shown = (arm: string) =>
      [...served.values()].filter((s) => s.arm === arm).reduce((t, s) => t + s.items.length, 0);
    // Each reader was served twice (once through each process).
    expect(byArm.candidate.impressions).toBe(2 * shown('candidate'));
    expect(byArm.control.impressions).toBe(2 * shown('control'));
    expect(byArm.candidate.clicks).toBe(candidateClicks);
    expect(byArm.control.clicks).toBe(0);
    expect(byArm.candidate.ctrLow).toBeLessThan(byArm.candidate.ctr);
    expect(byArm.candidate.ctrHigh).toBeGreaterThan(byArm.candidate.ctr);
    expect(report.comparison.difference).toBeCloseTo(byArm.candidate.ctr - byArm.control.ctr, 6);
    expect(report.comparison.verdict).toBe('too-early');

    // Promote: the candidate serves everyone, the counts are kept with the experiment.
    const PROMOTE = `mutation($id: ID!) { promoteRecommenderExperiment(id: $id) { status arms { arm clicks } } }`;
    const promoted = (await a.ok(PROMOTE, { id: started.id }, n.keys.admin)).promoteRecommenderExperiment;
    expect(promoted.status).toBe('PROMOTED');
    expect(promoted.arms.find((x: { arm: string }) => x.arm === 'candidate').clicks).toBe(candidateClicks);
    const after = (await a.ok(RECX, { r: 'exp0' }, n.keys.app)).recommendations;
    expect(after.experiment).toBeNull();
    expect(after.modelVersion.id).toBe(versions[1]);
  });

  it('erases a deleted reader from every stored model version and reloads serving', async () => {
    const reader = await a.db.reader.findFirstOrThrow({ where: { newsroomId: n.id, externalId: 'exp5' } });
    const holds = async () =>
      (await a.db.modelVersion.findMany({ where: { newsroomId: n.id, area: 'recommender' } })).filter((v) =>
        Buffer.from(v.artifact!).includes(Buffer.from(JSON.stringify(reader.id))),
      ).length;
    expect(await holds()).toBe(2);
    const worker = await startWorker(config, silentLog());
    try {
      const DELETE = `mutation($r: String!) { deleteReader(readerId: $r) { deleted erasureJob { id } } }`;
      const del = (await a.ok(DELETE, { r: 'exp5' }, n.keys.admin)).deleteReader;
      expect(del.deleted).toBe(true);
      const JOB = `query($id: ID!) { job(id: $id) { status result error } }`;
      let job: { status: string; result: Record<string, number>; error: string | null };
      const end = Date.now() + 45_000;
      do {
        await new Promise((r) => setTimeout(r, 300));
        job = (await a.ok(JOB, { id: del.erasureJob.id }, n.keys.admin)).job;
      } while (!['COMPLETED', 'FAILED'].includes(job.status) && Date.now() < end);
      expect(job.error).toBeNull();
      expect(job.result).toMatchObject({
        status: 'erased',
        modelVersionsChecked: 2,
        modelVersionsChanged: 2,
      });
      expect(await holds()).toBe(0);
      // Serving reloaded the rewritten models and still works for everyone else.
      const other = (await b.ok(RECX, { r: 'exp6' }, n.keys.app)).recommendations;
      expect(other.coldStart).toBe(false);
      expect((await b.ok(RECX, { r: 'exp5' }, n.keys.app)).recommendations.coldStart).toBe(true);
    } finally {
      await worker.close(1_000);
    }
  });
});
