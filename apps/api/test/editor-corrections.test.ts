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
    expect(late.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
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
