import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '@media-ai/db';
import { QueueSet, readerHistoryKeys, retentionSchedulerId } from '@media-ai/jobs';
import { composeAltText } from '@media-ai/vision';
import { startWorker, type WorkerRuntime } from '@media-ai/worker';
import {
  createNewsroom,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';

/*
 * Erasure that reaches everywhere. A person of the face registry is erased, then every table of the
 * database, every Redis key of the deployment and every stored file is searched for their id, name,
 * face ids and descriptor bytes. The newsroom's retention policy deletes what is older than its periods
 * and nothing else.
 */

const config = testConfig({ WORKER_QUEUES: 'platform:1' });
// The vision worker starts once the person is erased: their enrolment waits in the queue until then.
const visionConfig = testConfig({
  WORKER_QUEUES: 'vision:1',
  MEDIAAI_QUEUE_PREFIX: config.MEDIAAI_QUEUE_PREFIX,
  MEDIAAI_DATA_DIR: config.MEDIAAI_DATA_DIR,
});
let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime;
let visionWorker: WorkerRuntime | undefined;
let n: TestNewsroom;
let other: TestNewsroom;
let redis: Redis;

const JOB = `query($id: ID!) { job(id: $id) { id type status result error } }`;
async function finished(jobId: string, key = n.keys.admin, ms = 90_000) {
  const end = Date.now() + ms;
  for (;;) {
    const { job } = await api.ok(JOB, { id: jobId }, key);
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
    if (Date.now() > end) throw new Error(`job ${jobId} still ${job.status} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function upload(filename: string): Promise<string> {
  // Distinct bytes each time (assets are content addressed).
  const [r, g, b] = randomBytes(3);
  const png = await sharp({
    create: { width: 96, height: 64, channels: 3, background: { r: r!, g: g!, b: b! } },
  })
    .png()
    .toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png)]), filename);
  const res = await fetch(`${api.url}/v1/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${n.keys.editor}` },
    body: form,
  });
  expect(res.status).toBeLessThan(300);
  return ((await res.json()) as { id: string }).id;
}

const descriptor = () => {
  const bytes = Buffer.alloc(512);
  for (let i = 0; i < 128; i++) bytes.writeFloatLE(Math.random() * 0.4 - 0.2, i * 4);
  return bytes;
};

/** Where any of `needles` occurs: table rows (as text), Redis values of the deployment, stored files. */
async function traces(needles: string[], bytes: Buffer[] = []): Promise<string[]> {
  const found: string[] = [];
  const tables = await api.db.$queryRaw<{ t: string }[]>`
    SELECT table_name::text AS t FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`;
  // Row text shows bytea as \x<hex>: descriptors are searched in that form.
  const hexes = bytes.map((b) => `\\x${b.toString('hex')}`);
  const all = [...needles, ...hexes];
  const counts = all.map((_, k) => `count(*) FILTER (WHERE strpos(r::text, $${k + 1}) > 0)::int AS n${k}`);
  for (const { t } of tables) {
    const [row] = await api.db.$queryRawUnsafe<Record<string, number>[]>(
      `SELECT ${counts.join(', ')} FROM "${t}" r`,
      ...all,
    );
    all.forEach((needle, k) => {
      if (row![`n${k}`]! > 0) found.push(`table ${t}: ${needle.slice(0, 40)}`);
    });
  }
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.MEDIAAI_QUEUE_PREFIX}:*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      let text = '';
      if (type === 'string') text = (await redis.get(key)) ?? '';
      else if (type === 'hash') text = JSON.stringify(await redis.hgetall(key));
      else if (type === 'list') text = JSON.stringify(await redis.lrange(key, 0, -1));
      else if (type === 'set') text = JSON.stringify(await redis.smembers(key));
      else if (type === 'zset') text = JSON.stringify(await redis.zrange(key, 0, -1));
      else if (type === 'stream') text = JSON.stringify(await redis.xrange(key, '-', '+'));
      for (const needle of needles) if (text.includes(needle)) found.push(`redis ${key}: ${needle}`);
    }
  } while (cursor !== '0');
  const walk = (dir: string): string[] =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
      : [];
  for (const file of walk(config.MEDIAAI_DATA_DIR)) {
    const content = fs.readFileSync(file);
    for (const needle of [...needles.map((s) => Buffer.from(s)), ...bytes]) {
      if (content.includes(needle)) found.push(`file ${path.relative(config.MEDIAAI_DATA_DIR, file)}`);
    }
  }
  return found;
}

beforeAll(async () => {
  api = await startTestApi(config);
  n = await createNewsroom(api.db, 'Erasure Desk');
  other = await createNewsroom(api.db, 'Other Desk');
  redis = new Redis(config.REDIS_URL);
  worker = await startWorker(config, silentLog());
}, 120_000);

afterAll(async () => {
  await visionWorker?.close(1000);
  await worker?.close(1000);
  redis?.disconnect();
  await api?.close();
});

describe('erasing a person of the face registry', () => {
  it('leaves nothing about them in the database, the queue or stored files, and keeps everyone else', async () => {
    const name = `Zelda Quarrington ${randomBytes(3).toString('hex')}`;
    const model = 'face-api@test';
    const [photo, other1] = [await upload('zelda-and-friend.png'), await upload('someone-else.png')];
    // The person is enrolled from a photo: the vision.enrol job names them in PostgreSQL and, while it
    // waits for a vision worker, in the queue.
    const { enrolPerson } = await api.ok(
      `mutation($input: EnrolPersonInput!) { enrolPerson(input: $input) { person { id } job { id } } }`,
      { input: { name, assetIds: [photo] } },
      n.keys.editor,
    );
    const personId: string = enrolPerson.person.id;
    const someone = await api.db.person.create({
      data: { newsroomId: n.id, name: `Someone Else ${randomBytes(2).toString('hex')}` },
    });

    // Their faces in the photo (enrolled and matched), an unknown face beside them whose cluster is
    // named after one of theirs and who was rejected for them, and someone else's face in another photo.
    const [zeldaEnrolled, zeldaMatched, unknown, elsewhere] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    const descriptors = {
      zeldaEnrolled: descriptor(),
      zeldaMatched: descriptor(),
      unknown: descriptor(),
      elsewhere: descriptor(),
    };
    const box = (x: number) => ({ x, y: 10, width: 20, height: 20 });
    const face = (
      id: string,
      assetId: string,
      d: Buffer,
      x: number,
      extra: Partial<Prisma.FaceUncheckedCreateInput>,
    ) =>
      ({
        id,
        newsroomId: n.id,
        assetId,
        box: box(x),
        descriptor: new Uint8Array(d),
        detectionScore: 0.9,
        model,
        ...extra,
      }) as Prisma.FaceUncheckedCreateInput;
    await api.db.face.createMany({
      data: [
        face(zeldaEnrolled, photo, descriptors.zeldaEnrolled, 5, { personId, assignment: 'enrolled' }),
        face(zeldaMatched, photo, descriptors.zeldaMatched, 40, {
          personId,
          assignment: 'match',
          matchDistance: 0.41,
        }),
        // Cluster ids are the smallest face id of the group: name this one's after the erased face.
        face(unknown, photo, descriptors.unknown, 70, { clusterId: zeldaEnrolled }),
        face(elsewhere, other1, descriptors.elsewhere, 5, { personId: someone.id, assignment: 'confirmed' }),
      ],
    });
    await api.db.faceCorrection.createMany({
      data: [
        { newsroomId: n.id, faceId: zeldaEnrolled, personId, verdict: 'confirmed' },
        { newsroomId: n.id, faceId: unknown, personId, verdict: 'rejected' },
        { newsroomId: n.id, faceId: elsewhere, personId: someone.id, verdict: 'confirmed' },
      ],
    });
    const objects = { items: [{ label: 'dog', score: 0.9, box: { x: 60, y: 40, width: 20, height: 20 } }] };
    const entries = [
      { faceId: zeldaEnrolled, box: box(5), personId, distance: null },
      { faceId: zeldaMatched, box: box(40), personId, distance: 0.41 },
      { faceId: unknown, box: box(70), personId: null, distance: null },
    ];
    const altText = composeAltText({
      objects: objects.items,
      faces: [
        { name, box: box(5) },
        { name, box: box(40) },
        { name: null, box: box(70) },
      ],
    });
    expect(altText).toContain(name);
    const analysis = (assetId: string, kind: string, result: unknown) => ({
      newsroomId: n.id,
      assetId,
      kind,
      model: kind === 'faces' ? 'face-api' : 'test',
      modelVersion: 'test',
      result: result as Prisma.InputJsonValue,
    });
    await api.db.imageAnalysis.deleteMany({ where: { assetId: photo } });
    await api.db.imageAnalysis.createMany({
      data: [
        analysis(photo, 'faces', { faces: entries }),
        analysis(photo, 'objects', objects),
        analysis(photo, 'altText', { text: altText }),
        analysis(other1, 'faces', {
          faces: [{ faceId: elsewhere, box: box(5), personId: someone.id, distance: null }],
        }),
      ],
    });
    // A finished analysis job whose result carries the alt text with their name.
    const analyzeJob = await api.db.job.create({
      data: {
        newsroomId: n.id,
        type: 'vision.analyze',
        queue: 'vision',
        status: 'COMPLETED',
        input: { assetId: photo },
        assetId: photo,
        result: { status: 'analyzed', assetId: photo, altText },
      },
    });
    // That job as a worker leaves it in the queue: completed, its return value (with the alt text) kept
    // in Redis and repeated in the queue's event stream. (BullMQ's manual processing: take, complete.)
    const vq = new Queue('vision', { connection: redis, prefix: config.MEDIAAI_QUEUE_PREFIX });
    const taker = new Worker('vision', null, {
      connection: new Redis(config.REDIS_URL, { maxRetriesPerRequest: null }),
      prefix: config.MEDIAAI_QUEUE_PREFIX,
    });
    try {
      await vq.add(
        'vision.analyze',
        { newsroomId: n.id, payload: { assetId: photo } },
        {
          jobId: analyzeJob.id,
          lifo: true, // ahead of the enrolment waiting in the queue
        },
      );
      const taken = await taker.getNextJob('test-token');
      expect(taken?.id).toBe(analyzeJob.id);
      await taken!.moveToCompleted({ status: 'analyzed', assetId: photo, altText }, 'test-token', false);
    } finally {
      await taker.close();
      await vq.close();
    }
    const needles = [personId, name, zeldaEnrolled, zeldaMatched];
    const bytes = [descriptors.zeldaEnrolled, descriptors.zeldaMatched];
    // Before: they are everywhere the test looks (rows, the queue's copy of the enrolment).
    const before = await traces(needles, bytes);
    expect(before.some((t) => t.startsWith('table Face'))).toBe(true);
    expect(before.some((t) => t.startsWith('table Job'))).toBe(true);
    expect(before.some((t) => t.startsWith('table ImageAnalysis'))).toBe(true);
    expect(before.some((t) => t.startsWith('redis '))).toBe(true);

    // An APP key may not erase; an editor may.
    const refused = await api.gql(
      `mutation($id: ID!) { erasePerson(id: $id) { facesDeleted } }`,
      { id: personId },
      n.keys.app,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { erasePerson } = await api.ok(
      `mutation($id: ID!) { erasePerson(id: $id) { facesDeleted erasureJob { id type } } }`,
      { id: personId },
      n.keys.editor,
    );
    expect(erasePerson.facesDeleted).toBe(2);
    expect(erasePerson.erasureJob.type).toBe('vision.erase-faces');
    expect((await finished(enrolPerson.job.id)).status).toBe('CANCELLED');
    visionWorker = await startWorker(visionConfig, silentLog());
    const job = await finished(erasePerson.erasureJob.id);
    expect(job.error).toBeNull();
    expect(job.result).toMatchObject({
      status: 'erased',
      assetsChecked: 1,
      analysesChanged: 2,
      jobResultsChanged: 1,
      jobsDeleted: 1,
      clustersRenamed: 1,
    });
    expect(job.result.queueEntriesRemoved).toBeGreaterThan(0);

    expect(await traces(needles, bytes)).toEqual([]);
    const gone = await api.gql(
      `query($id: ID!) { person(id: $id) { name } }`,
      { id: personId },
      n.keys.editor,
    );
    expect(gone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // Everyone else is as they were: the unknown face (its cluster now named after itself, its
    // rejection for the erased person gone), the other person and their face, the photos.
    const left = await api.db.face.findMany({ where: { newsroomId: n.id }, orderBy: { id: 'asc' } });
    expect(left.map((f) => [f.id, f.personId, f.clusterId]).sort()).toEqual(
      [
        [unknown, null, unknown],
        [elsewhere, someone.id, null],
      ].sort(),
    );
    expect(Buffer.from(left.find((f) => f.id === unknown)!.descriptor).equals(descriptors.unknown)).toBe(
      true,
    );
    expect(await api.db.faceCorrection.count({ where: { newsroomId: n.id } })).toBe(1);
    const stored = await api.db.imageAnalysis.findMany({ where: { assetId: { in: [photo, other1] } } });
    const of = (assetId: string, kind: string) =>
      stored.find((r) => r.assetId === assetId && r.kind === kind)!.result as any;
    expect(of(photo, 'faces').faces).toEqual([entries[2]]);
    expect(of(other1, 'faces').faces.map((f: { faceId: string }) => f.faceId)).toEqual([elsewhere]);
    // Three people in the photo still; none of them named, the dog still there.
    const now = of(photo, 'altText').text as string;
    expect(now).toBe(
      composeAltText({ objects: objects.items, faces: entries.map((e) => ({ name: null, box: e.box })) }),
    );
    expect(now).toContain('dog');
    expect(((await api.db.job.findUnique({ where: { id: analyzeJob.id } }))!.result as any).altText).toBe(
      now,
    );
    expect(await api.db.mediaAsset.count({ where: { id: { in: [photo, other1] } } })).toBe(2);
    expect(await api.db.person.count({ where: { id: someone.id } })).toBe(1);
  }, 180_000);
});

describe('retention policy', () => {
  const SET = `mutation($i: RetentionPolicyInput!) { setRetentionPolicy(input: $i) { interactionsDays unnamedFacesDays schedule } }`;

  it('is set by admins only, with a clear error for a bad period, and schedules the daily job', async () => {
    const editor = await api.gql(SET, { i: { interactionsDays: 30 } }, n.keys.editor);
    expect(editor.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await api.gql(SET, { i: { interactionsDays: 0 } }, n.keys.admin);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(bad.errors)).toContain('interactionsDays must be a whole number of days');

    const set = await api.ok(SET, { i: { interactionsDays: 30, unnamedFacesDays: 30 } }, n.keys.admin);
    expect(set.setRetentionPolicy).toEqual({
      interactionsDays: 30,
      unnamedFacesDays: 30,
      schedule: '30 3 * * *',
    });
    const read = await api.ok(
      `query { retentionPolicy { interactionsDays unnamedFacesDays } }`,
      {},
      n.keys.admin,
    );
    expect(read.retentionPolicy).toEqual({ interactionsDays: 30, unnamedFacesDays: 30 });
    const queues = new QueueSet(redis, config.MEDIAAI_QUEUE_PREFIX);
    try {
      const scheduler = await queues.get('platform').getJobScheduler(retentionSchedulerId(n.id));
      expect(scheduler?.pattern).toBe('30 3 * * *');
      // Clearing both periods removes the schedule; setting one again restores it.
      await api.ok(SET, { i: { interactionsDays: null, unnamedFacesDays: null } }, n.keys.admin);
      expect(
        (await queues.get('platform').getJobScheduler(retentionSchedulerId(n.id)))?.pattern ?? null,
      ).toBeNull();
      await api.ok(SET, { i: { interactionsDays: 30, unnamedFacesDays: 30 } }, n.keys.admin);
      expect((await queues.get('platform').getJobScheduler(retentionSchedulerId(n.id)))?.pattern).toBe(
        '30 3 * * *',
      );
    } finally {
      await queues.get('platform').removeJobScheduler(retentionSchedulerId(n.id));
      await queues.close();
    }
  });

  it('deletes interactions and unnamed faces older than the periods, and nothing else', async () => {
    const day = 86_400_000;
    const ago = (days: number) => new Date(Date.now() - days * day);
    const items = await Promise.all(
      [n, other].map((room) => api.db.contentItem.create({ data: { newsroomId: room.id, title: 'Story' } })),
    );
    const reader = await api.db.reader.create({ data: { newsroomId: n.id, externalId: 'ret-1' } });
    const otherReader = await api.db.reader.create({ data: { newsroomId: other.id, externalId: 'ret-1' } });
    const event = (room: TestNewsroom, readerId: string, contentId: string, days: number, k: string) => ({
      newsroomId: room.id,
      readerId,
      contentId,
      eventId: `${k}-${randomBytes(3).toString('hex')}`,
      eventType: 'read',
      occurredAt: ago(days),
    });
    await api.db.interaction.createMany({
      data: [
        event(n, reader.id, items[0]!.id, 45, 'old'),
        event(n, reader.id, items[0]!.id, 31, 'old'),
        event(n, reader.id, items[0]!.id, 29, 'new'),
        event(n, reader.id, items[0]!.id, 1, 'new'),
        // Another newsroom keeps its own data whatever this one's policy.
        event(other, otherReader.id, items[1]!.id, 45, 'other'),
      ],
    });
    // The reader's hot serving history holds the old events too: it must go (it reloads from PostgreSQL).
    const [listKey, seenKey] = readerHistoryKeys(config.MEDIAAI_QUEUE_PREFIX, n.id, 'ret-1');
    await redis.rpush(listKey, 'old-event');
    await redis.sadd(seenKey, '#', items[0]!.id);

    const asset = await upload('retention.png');
    const otherAsset = await api.db.mediaAsset.create({
      data: {
        newsroomId: other.id,
        kind: 'image',
        filename: 'x.png',
        mimeType: 'image/png',
        sizeBytes: 1,
        checksum: randomBytes(32).toString('hex'),
        storageKey: `${other.id}/x`,
      } as Prisma.MediaAssetUncheckedCreateInput,
    });
    const named = await api.db.person.create({ data: { newsroomId: n.id, name: 'Named Person' } });
    const face = (id: string, newsroomId: string, assetId: string, days: number, personId: string | null) =>
      ({
        id,
        newsroomId,
        assetId,
        box: { x: 0, y: 0, width: 10, height: 10 },
        descriptor: new Uint8Array(descriptor()),
        detectionScore: 0.9,
        model: 'face-api@test',
        personId,
        assignment: personId ? 'confirmed' : null,
        createdAt: ago(days),
      }) as Prisma.FaceUncheckedCreateInput;
    const ids = {
      oldUnnamed: randomUUID(),
      newUnnamed: randomUUID(),
      oldNamed: randomUUID(),
      otherOld: randomUUID(),
    };
    await api.db.face.createMany({
      data: [
        face(ids.oldUnnamed, n.id, asset, 40, null),
        face(ids.newUnnamed, n.id, asset, 2, null),
        face(ids.oldNamed, n.id, asset, 40, named.id),
        face(ids.otherOld, other.id, otherAsset.id, 40, null),
      ],
    });
    await api.db.imageAnalysis.create({
      data: {
        newsroomId: n.id,
        assetId: asset,
        kind: 'faces',
        model: 'face-api',
        modelVersion: 'test',
        result: {
          faces: [ids.oldUnnamed, ids.newUnnamed, ids.oldNamed].map((faceId) => ({
            faceId,
            box: { x: 0, y: 0, width: 10, height: 10 },
            personId: faceId === ids.oldNamed ? named.id : null,
            distance: null,
          })),
        },
      },
    });

    const { enforceRetention } = await api.ok(`mutation { enforceRetention { id type } }`, {}, n.keys.admin);
    expect(enforceRetention.type).toBe('platform.retention');
    const job = await finished(enforceRetention.id);
    expect(job.error).toBeNull();
    expect(job.result).toMatchObject({
      status: 'enforced',
      interactionsDeleted: 2,
      readersRefreshed: 1,
      unnamedFacesDeleted: 1,
    });
    const cutoff = new Date(job.result.cutoffs.interactions).getTime();
    expect(Math.abs(cutoff - ago(30).getTime())).toBeLessThan(10 * 60_000);

    const kept = await api.db.interaction.findMany({
      where: { newsroomId: { in: [n.id, other.id] }, readerId: { in: [reader.id, otherReader.id] } },
    });
    expect(kept.map((i) => i.eventId.split('-')[0]).sort()).toEqual(['new', 'new', 'other']);
    expect(await redis.exists(listKey, seenKey)).toBe(0);
    const faces = await api.db.face.findMany({ where: { id: { in: Object.values(ids) } } });
    expect(faces.map((f) => f.id).sort()).toEqual([ids.newUnnamed, ids.oldNamed, ids.otherOld].sort());

    // The follow-up job rewrites the asset's stored analysis without the deleted face.
    const erase = await finished(job.result.eraseJobId);
    expect(erase.result).toMatchObject({ status: 'erased', assetsChecked: 1, analysesChanged: 1 });
    const row = await api.db.imageAnalysis.findFirstOrThrow({ where: { assetId: asset, kind: 'faces' } });
    expect((row.result as { faces: { faceId: string }[] }).faces.map((f) => f.faceId)).toEqual([
      ids.newUnnamed,
      ids.oldNamed,
    ]);
    // Run again: nothing more is old enough.
    const again = await finished(
      (await api.ok(`mutation { enforceRetention { id } }`, {}, n.keys.admin)).enforceRetention.id,
    );
    expect(again.result).toMatchObject({ interactionsDeleted: 0, unnamedFacesDeleted: 0, eraseJobId: null });
  }, 120_000);
});
