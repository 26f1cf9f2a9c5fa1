import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataDir } from '@media-ai/core';
import { startWorker, type WorkerRuntime } from '@media-ai/worker';
import {
  createNewsroom,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';

/*
 * End to end: uploads over HTTP, GraphQL mutations that queue vision jobs, one in-process worker
 * (vision queue, concurrency 1: the models load once in its sandbox thread and stay warm), then
 * the stored analysis read back through GraphQL.
 */

const COCO = sharedDataDir('vision/coco');
const FACES = sharedDataDir('vision/faces');
const OCR = sharedDataDir('vision/ocr');
if (!COCO || !FACES)
  console.log('vision.test: skipped, no real photos under ../shared/data/vision (coco, faces)');

const config = testConfig({ WORKER_QUEUES: 'vision:1' });
let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime;
let n: TestNewsroom;

beforeAll(async () => {
  if (!COCO || !FACES) return;
  api = await startTestApi(config);
  n = await createNewsroom(api.db, 'Picture Desk');
  worker = await startWorker(config, silentLog());
});
afterAll(async () => {
  await worker?.close(1000);
  await api?.close();
});

const photo = (dir: string | null, name: string) => fs.readFileSync(path.join(dir!, name));

async function upload(body: Buffer, filename: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(body)]), filename);
  const res = await fetch(`${api.url}/v1/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${n.keys.editor}` },
    body: form,
  });
  const json = (await res.json()) as { id: string };
  expect(res.status).toBeLessThan(300);
  return json.id;
}

const JOB = `query($id: ID!) { job(id: $id) { id type status progress result error errorCode attempts } }`;

async function finished(jobId: string, ms = 90_000) {
  const end = Date.now() + ms;
  for (;;) {
    const { job } = await api.ok(JOB, { id: jobId }, n.keys.app);
    if (job.status === 'COMPLETED' || job.status === 'FAILED') return job;
    if (Date.now() > end) throw new Error(`job ${jobId} still ${job.status} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const ANALYZE = `mutation($id: ID!, $a: [VisionAnalysis!]) { analyzeAsset(assetId: $id, analyses: $a) { id type queue status } }`;
async function analyze(assetId: string, analyses?: string[]) {
  const { analyzeAsset } = await api.ok(ANALYZE, { id: assetId, a: analyses ?? null }, n.keys.editor);
  return finished(analyzeAsset.id);
}

const ANALYSIS = `query($id: ID!) { assetAnalysis(assetId: $id) {
  analyzed perceptualHash altText
  tags { label confidence box { x y width height } source }
  faces { id box { x y width height } age gender expression matchDistance assignment clusterId model person { id name } }
  moderation { decision status scores } moderationModel { name version }
  ocr { text confidence model { name } }
  analyses { kind model { name version } jobId }
  derivatives { kind mimeType width height sizeBytes downloadPath model { name version } }
} }`;
const analysisOf = async (assetId: string) =>
  (await api.ok(ANALYSIS, { id: assetId }, n.keys.app)).assetAnalysis;

const SEARCH = `query($tag: String, $personId: ID, $text: String) {
  searchAssets(tag: $tag, personId: $personId, text: $text) { totalCount edges { node { id filename vision { altText } } } } }`;
const searchIds = async (vars: Record<string, string>) =>
  (await api.ok(SEARCH, vars, n.keys.app)).searchAssets.edges.map((e: { node: { id: string } }) => e.node.id);

/** A PNG whose header claims 100000 x 100000 pixels: a decompression bomb caught from the header. */
function pngBomb(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from('789c030000000001', 'hex')),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe.skipIf(!COCO || !FACES)('vision', () => {
  let dogId: string;

  it('analyses a photo: tags with boxes, alt text, perceptual hash, moderation, each with its model', async () => {
    dogId = await upload(photo(COCO, 'dog.jpg'), 'dog.jpg');
    const ws = api.ws(n.keys.app);
    const events: Array<{ jobId: string; status: string; progress: number; message: string | null }> = [];
    const unsubscribe = ws.subscribe(
      { query: `subscription { jobProgress { jobId status progress message } }` },
      {
        next: (m) => events.push((m.data as { jobProgress: (typeof events)[number] }).jobProgress),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await new Promise((r) => setTimeout(r, 300));
    const job = await analyze(dogId);
    unsubscribe();
    await ws.dispose();
    expect(job).toMatchObject({ type: 'vision.analyze', status: 'COMPLETED', progress: 1 });
    const steps = events.filter(
      (e) => e.jobId === job.id && e.status === 'ACTIVE' && e.message?.endsWith(' done'),
    );
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps.map((e) => e.progress)).toEqual([...steps.map((e) => e.progress)].sort((x, y) => x - y));
    expect(job.result.analyses).toEqual(
      expect.arrayContaining(['objects', 'faces', 'moderation', 'ocr', 'phash', 'altText']),
    );

    const a = await analysisOf(dogId);
    const dog = a.tags.find((t: { label: string }) => t.label === 'dog');
    expect(dog).toBeTruthy();
    // The dog sits in the lower left of the 768x576 photo.
    expect(dog.box.x).toBeLessThan(300);
    expect(dog.box.width).toBeGreaterThan(100);
    expect(dog.box.height).toBeGreaterThan(200);
    expect(a.tags.map((t: { label: string }) => t.label)).toContain('bicycle');
    expect(a.altText).toMatch(/dog/);
    expect(a.perceptualHash).toMatch(/^[0-9a-f]{16}$/);
    expect(a.moderation).toMatchObject({ decision: 'allow', status: 'ACCEPTED' });
    expect(a.moderationModel.name).toBe('nsfwjs/MobileNetV2Mid');
    expect(a.faces).toEqual([]);
    const models = Object.fromEntries(
      a.analyses.map((r: { kind: string; model: { name: string } }) => [r.kind, r.model.name]),
    );
    expect(models).toMatchObject({
      objects: 'human/centernet-coco',
      faces: expect.stringMatching(/^face-api\//),
      ocr: expect.stringMatching(/^tesseract/),
    });
    expect(a.analyses.every((r: { jobId: string }) => r.jobId === job.id)).toBe(true);
    expect((await api.db.mediaAsset.findUnique({ where: { id: dogId } }))?.perceptualHash).toBe(
      a.perceptualHash,
    );

    expect(await searchIds({ tag: 'dog' })).toEqual([dogId]);
    expect(await searchIds({ text: 'a dog' })).toEqual([dogId]);
    expect(await searchIds({ tag: 'giraffe' })).toEqual([]);
  }, 90_000);

  it.skipIf(!OCR)('reads the text in an image and finds the image by its words', async () => {
    const id = await upload(photo(OCR, 'cosmic.png'), 'cosmic.png');
    const job = await analyze(id, ['OCR']);
    expect(job.result.analyses).toEqual(['ocr']);
    const { ocr } = await analysisOf(id);
    expect(ocr.text).toMatch(/Cosmic Void/);
    expect(ocr.confidence).toBeGreaterThan(60);
    expect(ocr.model.name).toMatch(/^tesseract\.js\//);
    expect(await searchIds({ text: 'cosmic void' })).toEqual([id]);
  });

  it('refuses a file that is not an image before queueing anything', async () => {
    const wav = Buffer.alloc(44 + 3200);
    wav.write('RIFF', 0);
    wav.writeUInt32LE(36 + 3200, 4);
    wav.write('WAVE', 8);
    wav.write('fmt ', 12);
    wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20);
    wav.writeUInt16LE(1, 22);
    wav.writeUInt32LE(16000, 24);
    wav.writeUInt32LE(32000, 28);
    wav.writeUInt16LE(2, 32);
    wav.writeUInt16LE(16, 34);
    wav.write('data', 36);
    wav.writeUInt32LE(3200, 40);
    const audioId = await upload(wav, 'clip.wav');
    const before = await api.db.job.count({ where: { newsroomId: n.id } });
    const r = await api.gql(ANALYZE, { id: audioId }, n.keys.editor);
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(/not an image/);
    expect(await api.db.job.count({ where: { newsroomId: n.id } })).toBe(before);
    const app = await api.gql(ANALYZE, { id: dogId }, n.keys.app);
    expect(app.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('makes a thumbnail, smart crops that keep the subject in frame, and conversions, downloadable', async () => {
    const { requestDerivatives } = await api.ok(
      `mutation($id: ID!) { requestDerivatives(assetId: $id, kinds: [THUMBNAIL, CROP_1X1, CROP_16X9, WEBP]) { id } }`,
      { id: dogId },
      n.keys.editor,
    );
    const job = await finished(requestDerivatives.id);
    expect(job.status).toBe('COMPLETED');
    expect(job.result.focus).toBe('stored-analysis');
    const square = job.result.derivatives.find((d: { kind: string }) => d.kind === 'crop-1x1');
    expect(square).toMatchObject({ width: 576, height: 576, mimeType: 'image/jpeg' });
    // The dog (x 124-312) stays inside the square window.
    expect(square.crop.x).toBeLessThanOrEqual(124);
    expect(square.crop.x + square.crop.width).toBeGreaterThanOrEqual(312);

    const { derivatives } = await analysisOf(dogId);
    expect(derivatives.map((d: { kind: string }) => d.kind).sort()).toEqual([
      'crop-16x9',
      'crop-1x1',
      'thumbnail',
      'webp',
    ]);
    const thumb = derivatives.find((d: { kind: string }) => d.kind === 'thumbnail');
    expect(thumb).toMatchObject({ mimeType: 'image/webp', width: 256, height: 192 });
    const res = await fetch(api.url + thumb.downloadPath, {
      headers: { authorization: `Bearer ${n.keys.app}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 192]);
    const missing = await fetch(`${api.url}/v1/assets/${dogId}/derivatives/avif/content`, {
      headers: { authorization: `Bearer ${n.keys.app}` },
    });
    expect(missing.status).toBe(404);
    const anonymous = await fetch(api.url + thumb.downloadPath);
    expect(anonymous.status).toBe(401);
  }, 60_000);

  it('enrols a person from photos, recognises them in another photo, and keeps a correction on re-analysis', async () => {
    const train = await Promise.all(
      ['train__obama__obama.jpg', 'train__obama__obama2.jpg'].map((f) => upload(photo(FACES, f), f)),
    );
    const { enrolPerson } = await api.ok(
      `mutation($input: EnrolPersonInput!) { enrolPerson(input: $input) { person { id name } job { id type } } }`,
      { input: { name: 'Barack Obama', assetIds: train } },
      n.keys.editor,
    );
    expect(enrolPerson.job.type).toBe('vision.enrol');
    const enrolJob = await finished(enrolPerson.job.id);
    expect(enrolJob.status).toBe('COMPLETED');
    expect(enrolJob.result).toMatchObject({ status: 'enrolled', skipped: [] });
    expect(enrolJob.result.enrolled).toHaveLength(2);
    const obama = enrolPerson.person;
    const person = await api.ok(
      `query($id: ID!) { person(id: $id) { name faceCount } }`,
      { id: obama.id },
      n.keys.app,
    );
    expect(person.person).toEqual({ name: 'Barack Obama', faceCount: 2 });

    const testId = await upload(photo(FACES, 'test__obama1.jpg'), 'test__obama1.jpg');
    const job = await analyze(testId, ['FACES']);
    expect(job.result.faces).toMatchObject({ found: 1, recognised: 1 });
    let [face] = (await analysisOf(testId)).faces;
    expect(face.person).toEqual({ id: obama.id, name: 'Barack Obama' });
    expect(face.matchDistance).toBeGreaterThan(0);
    expect(face.matchDistance).toBeLessThan(0.6);
    expect(face).toMatchObject({ assignment: 'match', gender: 'male' });
    expect(await searchIds({ personId: obama.id })).toContain(testId);

    // The editor says this match is wrong; the correction is kept and the next analysis respects it.
    const corrected = await api.ok(
      `mutation($f: ID!) { correctFace(faceId: $f, verdict: REJECTED) { id person { id } assignment } }`,
      { f: face.id },
      n.keys.editor,
    );
    expect(corrected.correctFace).toEqual({ id: face.id, person: null, assignment: null });
    const again = await analyze(testId, ['FACES']);
    expect(again.result.faces).toMatchObject({ found: 1, recognised: 0 });
    [face] = (await analysisOf(testId)).faces;
    expect(face.id).toBe(corrected.correctFace.id);
    expect(face.person).toBeNull();
    const corrections = await api.db.faceCorrection.findMany({
      where: { newsroomId: n.id, faceId: face.id },
    });
    expect(corrections.map((c) => [c.personId, c.verdict])).toEqual([[obama.id, 'rejected']]);
    // The enrolment photos still match: the rejection is about that one face.
    const confirmed = await api.ok(
      `mutation($f: ID!, $p: ID!) { correctFace(faceId: $f, personId: $p, verdict: CONFIRMED) { person { name } assignment } }`,
      { f: face.id, p: obama.id },
      n.keys.editor,
    );
    expect(confirmed.correctFace).toEqual({ person: { name: 'Barack Obama' }, assignment: 'confirmed' });

    // The dashboard draws faces from a small crop, not the original: square, the size asked, cacheable.
    const cropUrl = `${api.url}/v1/faces/${face.id}/crop?size=64`;
    const crop = await fetch(cropUrl, { headers: { authorization: `Bearer ${n.keys.app}` } });
    expect(crop.status).toBe(200);
    expect(crop.headers.get('content-type')).toBe('image/webp');
    const bytes = Buffer.from(await crop.arrayBuffer());
    expect(bytes.length).toBeLessThan(photo(FACES, 'test__obama1.jpg').length / 4);
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 64, height: 64, format: 'webp' });
    const etag = crop.headers.get('etag')!;
    const again304 = await fetch(cropUrl, {
      headers: { authorization: `Bearer ${n.keys.app}`, 'if-none-match': etag },
    });
    expect(again304.status).toBe(304);
    const badSize = await fetch(`${api.url}/v1/faces/${face.id}/crop?size=5000`, {
      headers: { authorization: `Bearer ${n.keys.app}` },
    });
    expect(badSize.status).toBe(400);
    expect(((await badSize.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(
      /16 to 512/,
    );
    const stranger = await createNewsroom(api.db, 'Other Desk');
    const elsewhere = await fetch(cropUrl, { headers: { authorization: `Bearer ${stranger.keys.app}` } });
    expect(elsewhere.status).toBe(404);
  }, 90_000);

  it('clusters unknown faces so that an editor names them once, then splits and merges people', async () => {
    const ids = await Promise.all(
      ['train__rose_leslie__img1.jpg', 'train__rose_leslie__img2.jpg'].map((f) => upload(photo(FACES, f), f)),
    );
    for (const id of ids) expect((await analyze(id, ['FACES'])).status).toBe('COMPLETED');
    const clusters = await api.ok(
      `query { faceClusters { totalCount edges { node { id size faces { id assetId } } } } }`,
      {},
      n.keys.editor,
    );
    const cluster = clusters.faceClusters.edges
      .map((e: { node: any }) => e.node)
      .find((c: any) => c.faces.some((f: any) => f.assetId === ids[0]));
    expect(cluster).toBeTruthy();
    expect(cluster.faces.map((f: { assetId: string }) => f.assetId).sort()).toEqual([...ids].sort());

    const named = await api.ok(
      `mutation($c: ID!) { nameFaceCluster(clusterId: $c, name: "Rose Leslie") { id name faceCount } }`,
      { c: cluster.id },
      n.keys.editor,
    );
    expect(named.nameFaceCluster).toMatchObject({ name: 'Rose Leslie', faceCount: 2 });
    const rose = named.nameFaceCluster.id;
    const [second] = cluster.faces.filter((f: { assetId: string }) => f.assetId === ids[1]);

    const split = await api.ok(
      `mutation($p: ID!, $f: [ID!]!) { splitPerson(personId: $p, faceIds: $f, intoName: "Rose (duplicate)") { id faceCount } }`,
      { p: rose, f: [second.id] },
      n.keys.editor,
    );
    expect(split.splitPerson.faceCount).toBe(1);
    const merged = await api.ok(
      `mutation($s: ID!, $t: ID!) { mergePeople(sourceId: $s, targetId: $t) { id faceCount } }`,
      { s: split.splitPerson.id, t: rose },
      n.keys.editor,
    );
    expect(merged.mergePeople).toEqual({ id: rose, faceCount: 2 });
    const people = await api.ok(
      `query { people(search: "rose") { totalCount edges { node { name } } } }`,
      {},
      n.keys.app,
    );
    expect(people.people.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Rose Leslie']);
    const renamed = await api.ok(
      `mutation($p: ID!) { renamePerson(id: $p, name: "Rose Leslie (actor)") { name } }`,
      { p: rose },
      n.keys.editor,
    );
    expect(renamed.renamePerson.name).toBe('Rose Leslie (actor)');
    expect(
      (await api.ok(`mutation($p: ID!) { deletePerson(id: $p) }`, { p: rose }, n.keys.editor)).deletePerson,
    ).toBe(true);
    // Deleting a person erases their faces (descriptors included); the photos stay.
    const left = await api.db.face.findMany({ where: { newsroomId: n.id, assetId: { in: ids } } });
    expect(left).toEqual([]);
    expect(await api.db.mediaAsset.count({ where: { id: { in: ids } } })).toBe(2);
  }, 90_000);

  it('fails a truncated image or a decompression bomb with a clear error, and the worker carries on', async () => {
    const dogBytes = photo(COCO, 'dog.jpg');
    const truncatedId = await upload(dogBytes.subarray(0, Math.floor(dogBytes.length * 0.6)), 'cut.jpg');
    const truncated = await analyze(truncatedId);
    expect(truncated).toMatchObject({ status: 'FAILED', errorCode: 'TRUNCATED', attempts: 1 });
    expect(truncated.error).toMatch(/truncated or corrupt/);
    const bombId = await upload(pngBomb(), 'bomb.png');
    const bomb = await analyze(bombId, ['PHASH']);
    expect(bomb).toMatchObject({ status: 'FAILED', errorCode: 'TOO_LARGE_DIMENSIONS', attempts: 1 });
    expect(bomb.error).toMatch(/100000x100000/);

    // CMYK, 16-bit and animated images are normalised, not refused.
    const base = sharp(photo(COCO, 'giraffe.jpg')).resize(192);
    const cmyk = await base.clone().toColourspace('cmyk').jpeg().toBuffer();
    const deep = await base.clone().toColourspace('rgb16').png().toBuffer();
    const frame = await base.clone().png().toBuffer();
    const animated = await sharp([frame, await sharp(frame).negate().toBuffer()], {
      join: { animated: true },
    })
      .gif()
      .toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    for (const [bytes, name] of [
      [cmyk, 'cmyk.jpg'],
      [deep, 'deep.png'],
      [animated, 'anim.gif'],
    ] as const) {
      const job = await analyze(await upload(bytes, name), ['OBJECTS', 'PHASH']);
      expect(job.status, `${name}: ${job.error}`).toBe('COMPLETED');
      expect(job.result.perceptualHash).toMatch(/^[0-9a-f]{16}$/);
    }
  }, 90_000);

  it('finds an edited copy among near-duplicates, and not an unrelated photo', async () => {
    const edited = await sharp(photo(COCO, 'dog.jpg'))
      .resize(384)
      .modulate({ brightness: 1.1 })
      .jpeg({ quality: 60 })
      .toBuffer();
    const editedId = await upload(edited, 'dog-edited.jpg');
    const eagleId = await upload(photo(COCO, 'eagle.jpg'), 'eagle.jpg');
    for (const id of [editedId, eagleId]) expect((await analyze(id, ['PHASH'])).status).toBe('COMPLETED');
    const SIMILAR = `query($id: ID!) { similarImages(assetId: $id) { totalCount edges { node { distance asset { id filename } } } } }`;
    const { similarImages } = await api.ok(SIMILAR, { id: dogId }, n.keys.app);
    const found = similarImages.edges.map(
      (e: { node: { distance: number; asset: { id: string } } }) => e.node,
    );
    expect(found[0].asset.id).toBe(editedId);
    expect(found[0].distance).toBeLessThanOrEqual(10);
    expect(found.map((f: { asset: { id: string } }) => f.asset.id)).not.toContain(eagleId);
    const unhashed = await api.gql(
      SIMILAR,
      { id: await upload(photo(COCO, 'horses.jpg'), 'horses.jpg') },
      n.keys.app,
    );
    expect(unhashed.errors?.[0].message).toMatch(/no perceptual hash yet/);
  }, 60_000);

  it('applies the newsroom moderation policy and lets an editor remove a flagged image', async () => {
    const bad = await api.gql(
      `mutation { setModerationPolicy(thresholds: [{ className: "Porn", flag: 0.9, block: 0.5 }]) { isDefault } }`,
      {},
      n.keys.admin,
    );
    expect(bad.errors?.[0].message).toMatch(/Porn.flag is above Porn.block/);
    const editor = await api.gql(
      `mutation { setModerationPolicy(thresholds: null) { isDefault } }`,
      {},
      n.keys.editor,
    );
    expect(editor.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // A strict policy for the test: flag anything that looks like a drawing.
    const set = await api.ok(
      `mutation { setModerationPolicy(thresholds: [{ className: "Drawing", flag: 0.05 }, { className: "Porn", flag: 0.3, block: 0.8 }]) { isDefault thresholds { className flag block } } }`,
      {},
      n.keys.admin,
    );
    expect(set.setModerationPolicy.isDefault).toBe(false);
    expect(set.setModerationPolicy.thresholds).toEqual([
      { className: 'Drawing', flag: 0.05, block: null },
      { className: 'Porn', flag: 0.3, block: 0.8 },
    ]);
    expect((await analyze(dogId, ['MODERATION'])).result.moderation).toBe('flag');
    const QUEUE = `query { moderationQueue { totalCount edges { node { assetId decision status reasons } } } }`;
    const queue = await api.ok(QUEUE, {}, n.keys.editor);
    expect(queue.moderationQueue.edges.map((e: { node: { assetId: string } }) => e.node.assetId)).toEqual([
      dogId,
    ]);
    expect(queue.moderationQueue.edges[0].node.reasons[0]).toMatchObject({
      className: 'Drawing',
      action: 'flag',
    });
    const removed = await api.ok(
      `mutation($id: ID!) { reviewModeration(assetId: $id, action: REMOVE) { status reviewedAt } }`,
      { id: dogId },
      n.keys.editor,
    );
    expect(removed.reviewModeration.status).toBe('REJECTED');
    expect((await api.ok(QUEUE, {}, n.keys.editor)).moderationQueue.totalCount).toBe(0);
    expect(await searchIds({ tag: 'dog' })).toEqual([]);
    await api.ok(`mutation { setModerationPolicy(thresholds: null) { isDefault } }`, {}, n.keys.admin);
  }, 60_000);

  it('enhances a small image 2x with ESRGAN and records the model', async () => {
    const small = await sharp(photo(COCO, 'dog.jpg')).resize(96).jpeg({ quality: 70 }).toBuffer();
    const id = await upload(small, 'small-dog.jpg');
    const { enhanceAsset } = await api.ok(
      `mutation($id: ID!) { enhanceAsset(assetId: $id) { id type } }`,
      { id },
      n.keys.editor,
    );
    const job = await finished(enhanceAsset.id);
    expect(job.status, job.error).toBe('COMPLETED');
    expect(job.result.derivative).toMatchObject({
      kind: 'enhanced-2x',
      width: 192,
      height: 144,
      mimeType: 'image/jpeg',
    });
    const [d] = (await analysisOf(id)).derivatives;
    expect(d).toMatchObject({
      kind: 'enhanced-2x',
      width: 192,
      model: { name: 'upscalerjs/esrgan-slim-x2' },
    });
    const big = await api.ok(
      `mutation($id: ID!) { enhanceAsset(assetId: $id) { id } }`,
      { id: await upload(photo(FACES, 'test__alex_lacamoire1.jpg'), 'big.jpg') },
      n.keys.editor,
    );
    const refused = await finished(big.enhanceAsset.id);
    expect(refused).toMatchObject({ status: 'FAILED', errorCode: 'TOO_LARGE_DIMENSIONS' });
    expect(refused.error).toMatch(/upscale: false/);
  }, 60_000);
});
