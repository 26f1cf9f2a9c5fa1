import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNewsroom, startTestApi, type TestNewsroom } from './helpers/platform.js';

// Editors correcting what the models said: transcripts, alt text, faces, tags and OCR.

let api: Awaited<ReturnType<typeof startTestApi>>;
let n: TestNewsroom;

beforeAll(async () => {
  api = await startTestApi();
  n = await createNewsroom(api.db, 'Corrections Desk');
});
afterAll(async () => {
  await api?.close();
});

async function asset(kind: string, filename: string) {
  return api.db.mediaAsset.create({
    data: {
      newsroomId: n.id,
      storageKey: `k/${filename}`,
      filename,
      mimeType: kind === 'image' ? 'image/jpeg' : 'audio/wav',
      kind,
      sizeBytes: 100n,
      checksum: `${filename}`.padEnd(64, '0'),
    },
  });
}

describe('transcript corrections', () => {
  const model = [
    {
      id: 0,
      start: 0,
      end: 2,
      text: 'the mayor of bark a loner',
      confidence: 0.61,
      words: [
        { word: 'the', start: 0, end: 0.2, confidence: 0.9 },
        { word: 'mayor', start: 0.2, end: 0.6, confidence: 0.8 },
        { word: 'of', start: 0.6, end: 0.7, confidence: 0.9 },
        { word: 'bark', start: 0.7, end: 1.1, confidence: 0.3 },
        { word: 'a', start: 1.1, end: 1.2, confidence: 0.2 },
        { word: 'loner', start: 1.2, end: 2, confidence: 0.3 },
      ],
    },
    {
      id: 1,
      start: 2.5,
      end: 4,
      text: 'spoke on monday',
      confidence: 0.9,
      words: [
        { word: 'spoke', start: 2.5, end: 3, confidence: 0.9 },
        { word: 'on', start: 3, end: 3.2, confidence: 0.9 },
        { word: 'monday', start: 3.2, end: 4, confidence: 0.9 },
      ],
    },
  ];
  const FIELDS = `id text modelText edited editedAt segments { start end text words { word start end } } modelSegments { text }`;

  it("keeps the editor's version beside the model's; captions and search use the editor's", async () => {
    const audio = await asset('audio', 'council.wav');
    const t = await api.db.transcript.create({
      data: {
        newsroomId: n.id,
        assetId: audio.id,
        engine: 'pocketsphinx',
        text: 'the mayor of bark a loner spoke on monday',
        segments: model,
        durationSec: 4.2,
      },
    });
    const EDIT = `mutation($id: ID!, $input: EditTranscriptInput!) { editTranscript(id: $id, input: $input) { ${FIELDS} } }`;
    const { editTranscript } = await api.ok(
      EDIT,
      {
        id: t.id,
        input: {
          segments: [
            { start: 0, end: 2, text: 'The mayor of Barcelona' },
            { start: 2.5, end: 4, text: 'spoke on monday' },
          ],
        },
      },
      n.keys.editor,
    );
    expect(editTranscript.text).toBe('The mayor of Barcelona spoke on monday');
    expect(editTranscript.modelText).toBe('the mayor of bark a loner spoke on monday');
    expect(editTranscript.edited).toBe(true);
    expect(editTranscript.modelSegments.map((s: { text: string }) => s.text)).toEqual([
      'the mayor of bark a loner',
      'spoke on monday',
    ]);
    const [first, second] = editTranscript.segments;
    // New words get timings spread over the segment, in order and inside it.
    expect(first.words.map((w: { word: string }) => w.word)).toEqual(['The', 'mayor', 'of', 'Barcelona']);
    expect(first.words[0].start).toBe(0);
    expect(first.words.at(-1).end).toBe(2);
    for (let i = 1; i < first.words.length; i++)
      expect(first.words[i].start).toBeCloseTo(first.words[i - 1].end, 6);
    // An unchanged segment keeps the model's word timings.
    expect(second.words).toEqual(model[1]!.words.map(({ word, start, end }) => ({ word, start, end })));

    const captions = await fetch(`${api.url}/v1/transcripts/${t.id}/captions.txt`, {
      headers: { authorization: `Bearer ${n.keys.app}` },
    });
    expect(await captions.text()).toContain('The mayor of Barcelona');

    const SEARCH = `query($q: String) { transcripts(search: $q) { totalCount edges { node { id text } } } }`;
    expect((await api.ok(SEARCH, { q: 'barcelona' }, n.keys.app)).transcripts.totalCount).toBe(1);
    expect((await api.ok(SEARCH, { q: 'bark a loner' }, n.keys.app)).transcripts.totalCount).toBe(0);

    const reverted = await api.ok(
      `mutation($id: ID!) { revertTranscriptEdit(id: $id) { ${FIELDS} } }`,
      { id: t.id },
      n.keys.editor,
    );
    expect(reverted.revertTranscriptEdit).toMatchObject({
      edited: false,
      editedAt: null,
      text: 'the mayor of bark a loner spoke on monday',
    });
    expect((await api.ok(SEARCH, { q: 'bark a loner' }, n.keys.app)).transcripts.totalCount).toBe(1);
  });

  it('refuses a correction that does not fit the recording, saying which segment, and stores nothing', async () => {
    const audio = await asset('audio', 'short.wav');
    const t = await api.db.transcript.create({
      data: {
        newsroomId: n.id,
        assetId: audio.id,
        engine: 'pocketsphinx',
        text: 'spoke on monday',
        segments: [model[1]!],
        durationSec: 4.2,
      },
    });
    const EDIT = `mutation($id: ID!, $input: EditTranscriptInput!) { editTranscript(id: $id, input: $input) { id } }`;
    const late = await api.gql(
      EDIT,
      { id: t.id, input: { segments: [{ start: 1, end: 9, text: 'spoke' }] } },
      n.keys.editor,
    );
    // A speech engine error, mapped with every area's engine errors in one place.
    expect(late.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      engineCode: 'INVALID_INPUT',
      retryable: false,
    });
    expect(late.errors?.[0].message).toMatch(/segments\[0\].*after the recording's end/);
    const order = await api.gql(
      EDIT,
      {
        id: t.id,
        input: {
          segments: [
            { start: 2, end: 3, text: 'b' },
            { start: 1, end: 1.5, text: 'a' },
          ],
        },
      },
      n.keys.editor,
    );
    expect(order.errors?.[0].message).toMatch(/segments\[1\].*in order/);
    const app = await api.gql(
      EDIT,
      { id: t.id, input: { segments: [{ start: 0, end: 1, text: 'x' }] } },
      n.keys.app,
    );
    expect(app.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const row = await api.db.transcript.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.editedText).toBeNull();
  });
});

describe('image corrections', () => {
  const face = (assetId: string, x: number, clusterId: string | null) =>
    api.db.face.create({
      data: {
        newsroomId: n.id,
        assetId,
        box: { x, y: 10, width: 40, height: 40 },
        descriptor: Buffer.alloc(512),
        detectionScore: 0.7,
        clusterId,
        model: 'face-api@1',
      },
    });

  it("keeps the editor's alt text beside the model's, and search uses the editor's", async () => {
    const img = await asset('image', 'dog.jpg');
    await api.db.imageAnalysis.create({
      data: {
        newsroomId: n.id,
        assetId: img.id,
        kind: 'altText',
        model: 'alt',
        modelVersion: '1',
        result: { text: 'A person.' },
      },
    });
    const VISION = `query($id: ID!) { assetAnalysis(assetId: $id) { altText modelAltText altTextEdited } }`;
    expect((await api.ok(VISION, { id: img.id }, n.keys.app)).assetAnalysis).toEqual({
      altText: 'A person.',
      modelAltText: 'A person.',
      altTextEdited: false,
    });
    const EDIT = `mutation($id: ID!, $t: String) { editAltText(assetId: $id, text: $t) { altText modelAltText altTextEdited } }`;
    const edited = await api.ok(EDIT, { id: img.id, t: '  A brown dog   on a beach. ' }, n.keys.editor);
    expect(edited.editAltText).toEqual({
      altText: 'A brown dog on a beach.',
      modelAltText: 'A person.',
      altTextEdited: true,
    });
    const SEARCH = `query($t: String) { searchAssets(text: $t) { totalCount } }`;
    expect((await api.ok(SEARCH, { t: 'brown dog' }, n.keys.app)).searchAssets.totalCount).toBe(1);
    expect((await api.ok(SEARCH, { t: 'a person' }, n.keys.app)).searchAssets.totalCount).toBe(0);
    const tooLong = await api.gql(EDIT, { id: img.id, t: 'x'.repeat(1001) }, n.keys.editor);
    expect(tooLong.errors?.[0].message).toMatch(/at most 1000 characters/);
    const reverted = await api.ok(EDIT, { id: img.id, t: null }, n.keys.editor);
    expect(reverted.editAltText).toMatchObject({ altText: 'A person.', altTextEdited: false });
  });

  it('marks a detection "not a face": it leaves clusters and face lists; any face can be named', async () => {
    const img = await asset('image', 'beach.jpg');
    const dog = await face(img.id, 10, 'cluster-beach');
    const other = await face(img.id, 200, 'cluster-beach');
    const loner = await face(img.id, 400, null);
    const MARK = `mutation($id: ID!, $v: Boolean) { markNotAFace(faceId: $id, notAFace: $v) { id notAFace clusterId person { id } } }`;
    const marked = await api.ok(MARK, { id: dog.id, v: true }, n.keys.editor);
    expect(marked.markNotAFace).toMatchObject({ notAFace: true, clusterId: null, person: null });
    const FACES = `query($f: FaceFilter) { faces(filter: $f) { totalCount edges { node { id } } } }`;
    const listed = await api.ok(FACES, { f: { assetId: img.id } }, n.keys.editor);
    expect(listed.faces.edges.map((e: any) => e.node.id).sort()).toEqual([other.id, loner.id].sort());
    const dismissed = await api.ok(FACES, { f: { assetId: img.id, notAFace: true } }, n.keys.editor);
    expect(dismissed.faces.edges.map((e: any) => e.node.id)).toEqual([dog.id]);
    const clusters = await api.ok(
      `{ faceClusters(first: 100) { edges { node { id size } } } }`,
      {},
      n.keys.editor,
    );
    const beach = clusters.faceClusters.edges.find((e: any) => e.node.id === 'cluster-beach');
    expect(beach.node.size).toBe(1);

    // A face outside any cluster is named, to a new person and then to an existing one.
    const NAME = `mutation($id: ID!, $p: ID, $name: String) { nameFace(faceId: $id, personId: $p, name: $name) { id assignment person { id name } } }`;
    const named = await api.ok(NAME, { id: loner.id, name: 'Ada Colau' }, n.keys.editor);
    expect(named.nameFace).toMatchObject({ assignment: 'confirmed', person: { name: 'Ada Colau' } });
    const again = await api.ok(NAME, { id: other.id, p: named.nameFace.person.id }, n.keys.editor);
    expect(again.nameFace.person.id).toBe(named.nameFace.person.id);
    const both = await api.gql(NAME, { id: other.id, p: named.nameFace.person.id, name: 'X' }, n.keys.editor);
    expect(both.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const count = await api.ok(
      `query($id: ID!) { person(id: $id) { faceCount } }`,
      { id: named.nameFace.person.id },
      n.keys.editor,
    );
    expect(count.person.faceCount).toBe(2);
    // Taken back, the detection is an unknown face again.
    const back = await api.ok(MARK, { id: dog.id, v: false }, n.keys.editor);
    expect(back.markNotAFace.notAFace).toBe(false);
  });

  it('merges tags per label with counts and flags low-confidence tags and OCR lines', async () => {
    const img = await asset('image', 'street.jpg');
    const tags = [
      ['person', 0.91],
      ['person', 0.82],
      ['person', 0.44],
      ['person', 0.7],
      ['dog', 0.88],
      ['umbrella', 0.21],
    ] as const;
    for (const [label, confidence] of tags)
      await api.db.assetTag.create({
        data: { newsroomId: n.id, assetId: img.id, label, confidence, source: 'objects' },
      });
    await api.db.imageAnalysis.create({
      data: {
        newsroomId: n.id,
        assetId: img.id,
        kind: 'ocr',
        model: 'tesseract',
        modelVersion: '5',
        result: {
          text: 'CITY HALL\n~=;j',
          confidence: 55,
          lines: [
            { text: 'CITY HALL', confidence: 91, box: { x: 1, y: 2, width: 30, height: 8 } },
            { text: '~=;j', confidence: 14 },
          ],
        },
      },
    });
    const Q = `query($id: ID!, $min: Float) { assetAnalysis(assetId: $id) {
      tagSummary(minConfidence: $min) { label count maxConfidence confidentCount lowConfidence }
      ocr { confidentText textLines { text confidence lowConfidence } } } }`;
    const r = await api.ok(Q, { id: img.id }, n.keys.app);
    expect(r.assetAnalysis.tagSummary).toEqual([
      { label: 'person', count: 4, maxConfidence: 0.91, confidentCount: 3, lowConfidence: false },
      { label: 'dog', count: 1, maxConfidence: 0.88, confidentCount: 1, lowConfidence: false },
      { label: 'umbrella', count: 1, maxConfidence: 0.21, confidentCount: 0, lowConfidence: true },
    ]);
    expect(r.assetAnalysis.ocr.confidentText).toBe('CITY HALL');
    expect(r.assetAnalysis.ocr.textLines.map((l: any) => l.lowConfidence)).toEqual([false, true]);
    const strict = await api.ok(Q, { id: img.id, min: 0.85 }, n.keys.app);
    expect(strict.assetAnalysis.tagSummary.find((t: any) => t.label === 'person').confidentCount).toBe(1);
    const bad = await api.gql(Q, { id: img.id, min: 7 }, n.keys.app);
    expect(bad.errors?.[0].message).toMatch(/0 to 1/);
  });
});

describe('thumbnails', () => {
  it('makes the thumbnails at upload, and serves them with an ETag and an immutable Cache-Control', async () => {
    const sharp = (await import('sharp')).default;
    const png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a6' } })
      .png()
      .toBuffer();
    const up = await fetch(`${api.url}/v1/assets?filename=field.png`, {
      method: 'POST',
      headers: { authorization: `Bearer ${n.keys.editor}`, 'content-type': 'application/octet-stream' },
      body: png,
    });
    const { id } = (await up.json()) as { id: string };
    // Made with the upload, before anything asks for them.
    const made = await api.db.derivative.findMany({ where: { assetId: id }, orderBy: { kind: 'asc' } });
    expect(made.map((d) => [d.kind, Math.max(d.width, d.height)])).toEqual([
      ['thumb-medium', 768],
      ['thumb-small', 256],
    ]);
    const q = await api.ok(
      `query($id: ID!) { asset(id: $id) { thumbnails { size maxSide url } vision { derivatives { kind } } } }`,
      { id },
      n.keys.app,
    );
    const small = q.asset.thumbnails.find((t: any) => t.size === 'small');
    // Listed as the asset's thumbnails, not among the files vision jobs made.
    expect(q.asset.vision.derivatives).toEqual([]);
    expect(small).toEqual({ size: 'small', maxSide: 256, url: `/v1/assets/${id}/thumbnails/small` });
    const auth = { authorization: `Bearer ${n.keys.app}` };
    const first = await fetch(`${api.url}${small.url}`, { headers: auth });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/webp');
    expect(first.headers.get('cache-control')).toMatch(/immutable/);
    const etag = first.headers.get('etag')!;
    const bytes = Buffer.from(await first.arrayBuffer());
    expect(bytes.length).toBeLessThan(png.length);
    const meta = await sharp(bytes).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBe(256);
    expect(await api.db.derivative.count({ where: { assetId: id, kind: 'thumb-small' } })).toBe(1);
    const again = await fetch(`${api.url}${small.url}`, { headers: { ...auth, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const bad = await fetch(`${api.url}/v1/assets/${id}/thumbnails/huge`, { headers: auth });
    expect(bad.status).toBe(404);
  });
});
