import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataDir } from '@media-ai/core';
import {
  assembleConversation,
  decodeAudio,
  defaultCacheDir,
  encodeWav,
  splitPhrases,
  wordErrorRate,
  type Utterance,
} from '@media-ai/speech';
import { startWorker, type WorkerRuntime } from '@media-ai/worker';
import {
  createNewsroom,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';

/*
 * End to end: uploads over HTTP, GraphQL mutations that queue speech jobs, one in-process worker
 * for the whole file (speech queue, concurrency 1: pocketsphinx and the synthesizer stay warm in
 * its sandbox thread), results read back through GraphQL and the caption download routes.
 */

const SPEECH = sharedDataDir('speech');
const FORMATS = sharedDataDir('speech/formats');
if (!SPEECH || !FORMATS)
  console.log('speech.test: skipped, no recordings under ../shared/data/speech (and formats/)');
const run = SPEECH && FORMATS ? describe : describe.skip;

const references = new Map<string, string>(
  SPEECH
    ? fs
        .readFileSync(path.join(SPEECH, 'transcripts.tsv'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t') as [string, string])
    : [],
);

// The eighth English content item queues the vocabulary build by itself (production default: 200).
const config = testConfig({ WORKER_QUEUES: 'speech:1', SPEECH_AUTO_VOCABULARY_ARTICLES: '8' });
let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime;
let n: TestNewsroom;
let other: TestNewsroom;

beforeAll(async () => {
  if (!SPEECH || !FORMATS) return;
  api = await startTestApi(config);
  n = await createNewsroom(api.db, 'Audio Desk');
  other = await createNewsroom(api.db, 'Other Desk');
  worker = await startWorker(config, silentLog());
});
afterAll(async () => {
  await worker?.close(1000);
  await api?.close();
  // Model files fetched for this test's newsroom into the shared speech cache.
  if (n) fs.rmSync(path.join(defaultCacheDir(), 'newsroom-models', n.id), { recursive: true, force: true });
  fs.rmSync(config.MEDIAAI_DATA_DIR, { recursive: true, force: true });
});

async function upload(body: Buffer, filename: string): Promise<{ id: string; kind: string }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(body)]), filename);
  const res = await fetch(`${api.url}/v1/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${n.keys.editor}` },
    body: form,
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as { id: string; kind: string };
}

const JOB = `query($id: ID!) { job(id: $id) { id type status progress progressMessage result error errorCode attempts } }`;
async function finished(jobId: string, ms = 120_000) {
  const end = Date.now() + ms;
  for (;;) {
    const { job } = await api.ok(JOB, { id: jobId }, n.keys.app);
    if (job.status === 'COMPLETED' || job.status === 'FAILED') return job;
    if (Date.now() > end) throw new Error(`job ${jobId} still ${job.status} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const TRANSCRIBE = `mutation($assetId: ID!, $options: TranscribeOptionsInput) {
  transcribe(assetId: $assetId, options: $options) { id type queue status assetId } }`;
const TRANSCRIPT = `query($id: ID!) { transcript(id: $id) {
  id assetId language engine engineVersion modelVersionId text durationSec jobId
  captions { srt vtt txt }
  segments { id start end text confidence words { word start end confidence } }
} }`;

const transcribe = async (assetId: string, options?: Record<string, unknown>) =>
  (await api.ok(TRANSCRIBE, { assetId, options: options ?? null }, n.keys.editor)).transcribe;

const get = (urlPath: string, key?: string) =>
  fetch(`${api.url}${urlPath}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

run('speech', () => {
  let jfkAsset: string;
  let jfkTranscript: string;

  it('transcribes a WAV and an MP3 upload through GraphQL, with progress, segments and word timings', async () => {
    const wav = await upload(fs.readFileSync(path.join(SPEECH!, 'jfk.wav')), 'jfk.wav');
    const mp3 = await upload(fs.readFileSync(path.join(FORMATS!, 'fmt_lj1.mp3')), 'lj1.mp3');
    expect([wav.kind, mp3.kind]).toEqual(['audio', 'audio']);
    jfkAsset = wav.id;

    const ws = api.ws(n.keys.app);
    const wavJob = await transcribe(wav.id);
    expect(wavJob).toMatchObject({
      type: 'speech.transcribe',
      queue: 'speech',
      status: 'QUEUED',
      assetId: wav.id,
    });
    const events: { status: string; progress: number; message: string | null }[] = [];
    const completed = new Promise<void>((resolve, reject) => {
      ws.subscribe(
        {
          query: `subscription($id: ID) { jobProgress(jobId: $id) { status progress message } }`,
          variables: { id: wavJob.id },
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
    const mp3Job = await transcribe(mp3.id);
    await completed;
    await ws.dispose();
    const recognising = events.filter((e) => e.status === 'ACTIVE' && e.message?.startsWith('recognising'));
    expect(recognising.length).toBeGreaterThan(0);
    const fractions = events.filter((e) => e.status === 'ACTIVE').map((e) => e.progress);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));

    const wavDone = await finished(wavJob.id);
    expect(wavDone).toMatchObject({ status: 'COMPLETED', progress: 1 });
    expect(wavDone.result).toMatchObject({
      status: 'transcribed',
      assetId: wav.id,
      replaced: false,
      modelVersionId: null,
    });
    expect(wavDone.result.identity).toMatchObject({ engine: 'pocketsphinx', model: 'en-us' });
    expect(wavDone.result.punctuation).toBe('punctuation-en@1');
    jfkTranscript = wavDone.result.transcriptId;

    const { transcript } = await api.ok(TRANSCRIPT, { id: jfkTranscript }, n.keys.app);
    expect(transcript).toMatchObject({
      assetId: wav.id,
      engine: 'pocketsphinx',
      jobId: wavJob.id,
      modelVersionId: null,
    });
    expect(transcript.engineVersion).toMatch(/en-us/);
    expect(transcript.durationSec).toBeCloseTo(11, 0);
    expect(transcript.text.toLowerCase()).toContain('country');
    // text that reads: punctuated by the model (commas where Kennedy pauses between clauses), each sentence
    // starting with a capital and ending with a full stop
    expect(transcript.text).toMatch(/^[A-Z][^]*\.$/);
    expect(transcript.text).toContain(',');
    const wer = wordErrorRate(references.get('jfk')!, transcript.text).wer;
    console.log(`speech.test: jfk.wav WER ${(wer * 100).toFixed(1)}% — "${transcript.text}"`);
    expect(wer).toBeLessThan(0.45);

    const words = transcript.segments.flatMap(
      (s: { words: { word: string; start: number; end: number }[] }) => s.words,
    );
    expect(words.length).toBeGreaterThan(10);
    for (const [i, w] of words.entries()) {
      expect(w.end).toBeGreaterThanOrEqual(w.start);
      expect(w.start).toBeGreaterThanOrEqual(0);
      expect(w.end).toBeLessThanOrEqual(transcript.durationSec + 0.05);
      if (i > 0) expect(w.start).toBeGreaterThanOrEqual(words[i - 1].start);
    }
    expect(words.map((w: { word: string }) => w.word).join(' ')).toContain('country');

    const mp3Done = await finished(mp3Job.id);
    expect(mp3Done.result.status).toBe('transcribed');
    const mp3Text = (await api.ok(TRANSCRIPT, { id: mp3Done.result.transcriptId }, n.keys.app)).transcript
      .text;
    const mp3Wer = wordErrorRate(references.get('lj_LJ001-0001')!, mp3Text).wer;
    console.log(`speech.test: fmt_lj1.mp3 WER ${(mp3Wer * 100).toFixed(1)}% — "${mp3Text}"`);
    expect(mp3Wer).toBeLessThan(0.45);
  }, 150_000);

  it('finds transcripts by text and lists them on the asset', async () => {
    const SEARCH = `query($s: String, $a: ID) { transcripts(search: $s, assetId: $a, first: 10) {
      totalCount edges { node { id text asset { id filename } } } } }`;
    const found = (await api.ok(SEARCH, { s: 'COUNTRY' }, n.keys.app)).transcripts;
    expect(found.totalCount).toBe(1);
    expect(found.edges[0].node).toMatchObject({
      id: jfkTranscript,
      asset: { id: jfkAsset, filename: 'jfk.wav' },
    });
    expect((await api.ok(SEARCH, { s: 'Exhibition' }, n.keys.app)).transcripts.totalCount).toBe(1);
    expect((await api.ok(SEARCH, {}, other.keys.app)).transcripts.totalCount).toBe(0);
    const onAsset = await api.ok(
      `query($id: ID!) { asset(id: $id) { transcripts { id } } }`,
      { id: jfkAsset },
      n.keys.app,
    );
    expect(onAsset.asset.transcripts).toEqual([{ id: jfkTranscript }]);
  });

  it('downloads captions as SRT, WebVTT and text with an API key of the newsroom only', async () => {
    const srtRes = await get(`/v1/transcripts/${jfkTranscript}/captions.srt`, n.keys.app);
    expect(srtRes.status).toBe(200);
    expect(srtRes.headers.get('content-type')).toMatch(/application\/x-subrip/);
    const srt = await srtRes.text();
    const srtCues = srt.trim().split(/\n\n+/);
    expect(srtCues.length).toBeGreaterThan(0);
    for (const [i, cue] of srtCues.entries()) {
      const lines = cue.split('\n');
      expect(lines[0]).toBe(String(i + 1));
      expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}$/);
      expect(lines.length).toBeGreaterThanOrEqual(3);
      for (const text of lines.slice(2)) expect(text.length).toBeLessThanOrEqual(42);
    }
    expect(srt.toLowerCase()).toContain('country');
    expect(srt).toContain(','); // the cues carry the transcript's punctuation

    const vttRes = await get(`/v1/transcripts/${jfkTranscript}/captions.vtt`, n.keys.app);
    expect(vttRes.headers.get('content-type')).toMatch(/text\/vtt/);
    const vtt = await vttRes.text();
    expect(vtt.startsWith('WEBVTT\n')).toBe(true);
    expect(vtt).toMatch(/\n\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\n/);

    const txt = await (await get(`/v1/transcripts/${jfkTranscript}/captions.txt`, n.keys.app)).text();
    expect(txt.toLowerCase()).toContain('country');

    expect((await get(`/v1/transcripts/${jfkTranscript}/captions.srt`)).status).toBe(401);
    expect((await get(`/v1/transcripts/${jfkTranscript}/captions.srt`, other.keys.admin)).status).toBe(404);
    expect((await get(`/v1/transcripts/${jfkTranscript}/captions.doc`, n.keys.app)).status).toBe(404);
  });

  it('finds two speakers in a conversation, renames one, keeps names through an edit and links an enrolled voice', async () => {
    const phrases = async (file: string, speaker: string) =>
      splitPhrases((await decodeAudio(path.join(SPEECH!, file))).pcm).map((pcm): Utterance => ({
        speaker,
        pcm,
      }));
    const jfk = await phrases('jfk.wav', 'jfk');
    const lj = await phrases('lj_LJ001-0001.wav', 'lj');
    const conversation = assembleConversation([jfk[0]!, lj[0]!, jfk[1]!, lj[1]!], [0.6, 0.3, 0.8]);
    const asset = await upload(encodeWav(conversation.pcm), 'interview.wav');
    const done = await finished((await transcribe(asset.id)).id);
    expect(done.result).toMatchObject({ status: 'transcribed', speakers: 2, speakersMatched: 0 });
    const DIARIZED = `query($id: ID!) { transcript(id: $id) {
      speakers { id name personId matchDistance seconds hasVoice person { id name } }
      segments { start end text speaker speakerName words { word start end } } } }`;
    const id = done.result.transcriptId;
    let { transcript } = await api.ok(DIARIZED, { id }, n.keys.app);
    expect(transcript.speakers.map((s: { id: string; name: string }) => [s.id, s.name])).toEqual([
      ['S1', 'Speaker 1'],
      ['S2', 'Speaker 2'],
    ]);
    // Each segment's speaker is the one who spoke there: JFK first, then the reader, by turns.
    const truth = (t: number) =>
      conversation.turns.find((x) => t >= x.start - 0.3 && t <= x.end + 0.3)?.speaker;
    const jfkId = transcript.segments[0].speaker;
    for (const seg of transcript.segments)
      expect(seg.speaker === jfkId ? 'jfk' : 'lj').toBe(truth((seg.start + seg.end) / 2));

    const RENAME = `mutation($t: ID!, $s: String!, $name: String, $personId: ID) {
      renameTranscriptSpeaker(transcriptId: $t, speakerId: $s, name: $name, personId: $personId) { id } }`;
    await api.ok(RENAME, { t: id, s: jfkId, name: '  John F.  Kennedy ' }, n.keys.editor);
    const renameErr = await api.gql(RENAME, { t: id, s: 'S9', name: 'X' }, n.keys.editor);
    expect(renameErr.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(renameErr.errors?.[0]?.message).toContain('S1, S2');
    const vtt = await (await get(`/v1/transcripts/${id}/captions.vtt`, n.keys.app)).text();
    expect(vtt).toContain('<v John F. Kennedy>');
    expect(vtt).toContain('<v Speaker 2>');
    const srt = await (await get(`/v1/transcripts/${id}/captions.srt`, n.keys.app)).text();
    expect(srt).toMatch(/\nJohn F\. Kennedy: /);

    // An edit that leaves the speakers out keeps them; one naming an unknown speaker is refused.
    const EDIT = `mutation($id: ID!, $input: EditTranscriptInput!) { editTranscript(id: $id, input: $input) {
      segments { text speaker speakerName } } }`;
    const segments = transcript.segments.map((s: { start: number; end: number; text: string }) => ({
      start: s.start,
      end: s.end,
      text: s.text,
    }));
    segments[0].text = `${segments[0].text} (corrected)`;
    const edited = (await api.ok(EDIT, { id, input: { segments } }, n.keys.editor)).editTranscript;
    expect(edited.segments.map((s: { speaker: string }) => s.speaker)).toEqual(
      transcript.segments.map((s: { speaker: string }) => s.speaker),
    );
    expect(edited.segments[0].speakerName).toBe('John F. Kennedy');
    const badEdit = await api.gql(
      EDIT,
      { id, input: { segments: [{ ...segments[0], speaker: 'S7' }] } },
      n.keys.editor,
    );
    expect(badEdit.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    // Enrol JFK's voice as a new person: transcribing again names the speaker after the person.
    const ENROL = `mutation($t: ID!, $s: String!, $name: String) {
      enrollSpeakerVoice(transcriptId: $t, speakerId: $s, name: $name) { id personId seconds method person { name } } }`;
    const print = (await api.ok(ENROL, { t: id, s: jfkId, name: 'John F. Kennedy' }, n.keys.editor))
      .enrollSpeakerVoice;
    expect(print).toMatchObject({ person: { name: 'John F. Kennedy' } });
    expect(print.seconds).toBeGreaterThan(2);
    const again = await finished((await transcribe(asset.id)).id);
    expect(again.result).toMatchObject({ transcriptId: id, replaced: true, speakers: 2, speakersMatched: 1 });
    ({ transcript } = await api.ok(DIARIZED, { id }, n.keys.app));
    const matched = transcript.speakers.find((s: { personId: string | null }) => s.personId);
    expect(matched).toMatchObject({ id: jfkId, name: 'John F. Kennedy', personId: print.personId });
    expect(matched.matchDistance).toBeLessThan(0.3);
    expect(transcript.speakers.find((s: { id: string }) => s.id !== jfkId).personId).toBeNull();
    const voices = await api.ok(
      `query($id: ID!) { person(id: $id) { voicePrints { id speakerId } } }`,
      { id: print.personId },
      n.keys.app,
    );
    expect(voices.person.voicePrints).toEqual([{ id: print.id, speakerId: jfkId }]);

    // Erasing the person takes their voice and their name out of the transcript.
    await api.ok(`mutation($id: ID!) { deletePerson(id: $id) }`, { id: print.personId }, n.keys.editor);
    ({ transcript } = await api.ok(DIARIZED, { id }, n.keys.app));
    expect(transcript.speakers[0]).toMatchObject({
      id: 'S1',
      name: 'Speaker 1',
      personId: null,
      person: null,
    });
    expect(await api.db.voicePrint.count({ where: { personId: print.personId } })).toBe(0);
  }, 240_000);

  it('refuses to transcribe an image, and fails a corrupt recording at once while the next job succeeds', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    const image = await upload(png, 'red.png');
    const refused = await api.gql(TRANSCRIBE, { assetId: image.id }, n.keys.editor);
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].message).toMatch(/audio or video/);

    // A WAV header followed by bytes that are no audio: sniffed as audio on upload, undecodable.
    const garbage = Buffer.alloc(20_000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 251;
    const header = Buffer.from('RIFF\x24\x4e\x00\x00WAVE', 'latin1');
    const corrupt = await upload(Buffer.concat([header, garbage]), 'broken.wav');
    expect(corrupt.kind).toBe('audio');
    const failed = await finished((await transcribe(corrupt.id)).id);
    expect(failed).toMatchObject({ status: 'FAILED', errorCode: 'CORRUPT', attempts: 1 });
    expect(failed.error).toMatch(/decod|damaged|truncated/i);

    // Same asset, engine and model again: the transcript is replaced in place (its id, and links, stay).
    const again = await finished((await transcribe(jfkAsset)).id);
    expect(again.status).toBe('COMPLETED');
    expect(again.result).toMatchObject({
      status: 'transcribed',
      transcriptId: jfkTranscript,
      replaced: true,
    });
    const count = await api.ok(
      `query($a: ID) { transcripts(assetId: $a) { totalCount } }`,
      { a: jfkAsset },
      n.keys.app,
    );
    expect(count.transcripts.totalCount).toBe(1);
  }, 90_000);

  it('lists voices and synthesizes a text to an MP3 audio asset', async () => {
    const { speechVoices } = await api.ok(
      `{ speechVoices { engine engineVersion languages voices { id name language engine } } }`,
      {},
      n.keys.app,
    );
    expect(speechVoices.engine).toBe('local');
    expect(speechVoices.voices.map((v: { id: string }) => v.id)).toContain('flite/slt');
    expect(speechVoices.languages.some((l: string) => /^en/.test(l))).toBe(true);

    const SYNTH = `mutation($input: SynthesizeInput!) { synthesize(input: $input) { id type queue status } }`;
    const both = await api.gql(SYNTH, { input: { text: 'Hello', contentId: jfkAsset } }, n.keys.editor);
    expect(both.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const badVoice = await api.gql(SYNTH, { input: { text: 'Hello', voice: 'nobody/none' } }, n.keys.editor);
    expect(badVoice.errors?.[0].message).toMatch(/Unknown voice.*speechVoices/);

    const text =
      'The city council approved a new budget on Tuesday after a long debate about public transport.';
    const job = await api.ok(SYNTH, { input: { text, voice: 'flite/slt', format: 'MP3' } }, n.keys.editor);
    const done = await finished(job.synthesize.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.result).toMatchObject({
      status: 'synthesized',
      duplicate: false,
      format: 'mp3',
      mimeType: 'audio/mpeg',
    });
    const { asset } = await api.ok(
      `query($id: ID!) { asset(id: $id) { id kind mimeType filename checksum sizeBytes metadata downloadPath } }`,
      { id: done.result.assetId },
      n.keys.app,
    );
    expect(asset).toMatchObject({ kind: 'audio', mimeType: 'audio/mpeg' });
    expect(asset.metadata).toMatchObject({ voice: 'flite/slt', engine: 'flite', sourceContentId: null });
    // About 16 words at a speaking pace of 2 to 4 words a second.
    expect(asset.metadata.durationSec).toBeGreaterThan(3);
    expect(asset.metadata.durationSec).toBeLessThan(10);
    const audio = Buffer.from(await (await get(asset.downloadPath, n.keys.app)).arrayBuffer());
    expect(audio.length).toBe(Number(asset.sizeBytes));
    expect(
      audio.subarray(0, 3).toString('latin1') === 'ID3' || (audio[0] === 0xff && (audio[1] & 0xe0) === 0xe0),
    ).toBe(true);

    // A content item is read title first, then its body; the asset records where it came from.
    const item = await api.ok(
      `mutation($input: ContentInput!) { createContent(input: $input) { id } }`,
      {
        input: {
          title: 'Water restrictions eased',
          body: '<p>The city eased water restrictions.</p><p>Dam levels rose.</p>',
          language: 'en',
        },
      },
      n.keys.editor,
    );
    const fromContent = await finished(
      (await api.ok(SYNTH, { input: { contentId: item.createContent.id, format: 'OGG' } }, n.keys.editor))
        .synthesize.id,
    );
    expect(fromContent.result).toMatchObject({
      status: 'synthesized',
      format: 'ogg',
      mimeType: 'audio/ogg',
      language: 'en',
    });
    const oggAsset = (
      await api.ok(
        `query($id: ID!) { asset(id: $id) { kind metadata } }`,
        { id: fromContent.result.assetId },
        n.keys.app,
      )
    ).asset;
    expect(oggAsset).toMatchObject({
      kind: 'audio',
      metadata: { sourceContentId: item.createContent.id, voice: 'flite/slt' },
    });
    expect(oggAsset.metadata.durationSec).toBeGreaterThan(2);
  });

  it('builds a newsroom vocabulary, transcribes with it and switches versions atomically', async () => {
    // Enough sentences (20+) for the package to estimate its interpolation weight and perplexities on held-out text.
    const articles = [
      [
        'Council approves transport budget',
        'The city council approved a new budget on Tuesday. Councillor Dlamini said buses would run every ten minutes. The opposition called the plan too expensive.',
      ],
      [
        'Storm warning for the north',
        'Heavy rain is expected across the northern region. The weather service urged drivers to stay at home. Schools will close on Thursday.',
      ],
      [
        'Quarterly profits rise',
        'The company said its profits rose sharply in the third quarter. Shares closed higher in Johannesburg. Analysts expect a dividend in March.',
      ],
      [
        'Hospital opens new wing',
        "The provincial hospital opened a new children's wing on Monday. The minister of health cut the ribbon. Nurses said the wards were badly needed.",
      ],
      [
        'Elections set for May',
        'The electoral commission said the elections will be held in May. Voters have until February to register. Councillor Dlamini will stand again.',
      ],
      [
        'Water restrictions eased',
        'The city eased water restrictions after a week of rain. Dam levels rose above sixty percent. Residents may water gardens twice a week.',
      ],
      [
        'Rugby team names captain',
        'The national rugby team named a new captain for the tour. The coach praised his calm leadership. The first test is in Cape Town.',
      ],
      [
        'Train strike ends',
        'Rail workers returned to work after a three day strike. The union accepted a wage offer of six percent. Trains will run normally from Friday.',
      ],
    ];
    // The glossary goes in first: the eighth article queues the build, which may start at once.
    await api.ok(
      `mutation($input: GlossaryTermInput!) { upsertGlossaryTerm(input: $input) { id } }`,
      { input: { term: 'Dlamini', language: 'en', pronunciation: 'D L AH0 M IY1 N IY0' } },
      n.keys.editor,
    );
    for (const [title, body] of articles) {
      await api.ok(
        `mutation($input: ContentInput!) { createContent(input: $input) { id } }`,
        { input: { title, body, language: 'en' } },
        n.keys.editor,
      );
    }
    // The eighth content item (with the item read aloud above when that test ran) queued the build by itself.
    const auto = await api.db.job.findMany({ where: { newsroomId: n.id, type: 'speech.build-vocabulary' } });
    expect(auto).toHaveLength(1);
    expect(auto[0]!.idempotencyKey).toBe('speech-vocabulary:auto:8');
    const build = { buildSpeechVocabulary: { id: auto[0]!.id } };
    const built = await finished(build.buildSpeechVocabulary.id, 280_000);
    expect(built.status).toBe('COMPLETED');
    // A few dozen sentences, each scored out of fold: too few for the gate (50 in 5 folds, or 100 held out).
    expect(built.result).toMatchObject({
      status: 'built',
      version: 1,
      modelStatus: 'CANDIDATE',
      glossaryTerms: 1,
    });
    // the items there were when the queued build ran: 7 or more articles, and the item read aloud above
    expect(built.result.articles).toBeGreaterThanOrEqual(articles.length - 1);
    expect(built.result.modelId).toMatch(/^speech-lm@[0-9a-f]{16}$/);

    const MODELS = `{ modelVersions(filter: { area: "speech" }) { edges { node {
      id name version algorithm status metrics params dataWindowStart dataWindowEnd artifactBytes trainingJobId
      gate { passed reason against folds items } } } } }`;
    const [v1] = (await api.ok(MODELS, {}, n.keys.app)).modelVersions.edges.map(
      (e: { node: unknown }) => e.node,
    );
    expect(v1).toMatchObject({
      name: 'speech-lm',
      version: 1,
      algorithm: 'ngram3-interpolated',
      status: 'CANDIDATE',
      gate: { passed: false, against: 'general en-us model', folds: 5 },
    });
    expect(v1.gate.items).toBeGreaterThan(10);
    expect(v1.gate.reason).toMatch(/^kept as CANDIDATE: validated on \d+ item\(s\) in 5 folds/);
    expect(v1.trainingJobId).toBe(build.buildSpeechVocabulary.id);
    console.log(
      `speech.test: ${v1.params.modelId} built in ${v1.metrics.buildSec} s, held-out perplexity ${v1.metrics.perplexityGeneral} → ${v1.metrics.perplexityAdapted}, lambda ${v1.metrics.lambda}`,
    );
    expect(v1.metrics.texts).toBe(built.result.articles);
    expect(v1.metrics.perplexityGeneral).toBeGreaterThan(1);
    expect(v1.metrics.perplexityAdapted).toBeGreaterThan(1);
    expect(v1.metrics.perplexityAdapted).toBeLessThanOrEqual(v1.metrics.perplexityGeneral * 1.05);
    expect(v1.metrics.trigrams).toBeGreaterThan(1000);
    expect(v1.metrics.lmBytes).toBeGreaterThan(1_000_000);
    expect(v1.params.modelId).toBe(built.result.modelId);
    expect(v1.dataWindowEnd).toBeTruthy();

    // An editor may activate it anyway; transcription uses the ACTIVE version: its files come from
    // storage into the local model cache.
    await api.ok(`mutation($id: ID!) { activateSpeechModel(id: $id) { id } }`, { id: v1.id }, n.keys.editor);
    const short = await upload(fs.readFileSync(path.join(SPEECH!, 'ldc93s1.wav')), 'ldc93s1.wav');
    const withLm = await finished((await transcribe(short.id)).id);
    expect(withLm.status).toBe('COMPLETED');
    expect(withLm.result).toMatchObject({ modelVersionId: v1.id, identity: { model: built.result.modelId } });
    const t = (await api.ok(TRANSCRIPT, { id: withLm.result.transcriptId }, n.keys.app)).transcript;
    expect(t.modelVersionId).toBe(v1.id);
    expect(t.engineVersion).toContain(built.result.modelId);
    expect(fs.existsSync(path.join(defaultCacheDir(), 'newsroom-models', n.id, v1.id))).toBe(true);

    // A second version (same files) as a CANDIDATE: activating it retires v1; activating v1 rolls back.
    const row = await api.db.modelVersion.findUniqueOrThrow({ where: { id: v1.id } });
    const { id: _id, createdAt: _c, activatedAt: _a, ...copy } = row;
    const v2 = await api.db.modelVersion.create({
      data: {
        ...copy,
        version: 2,
        status: 'CANDIDATE',
        params: copy.params ?? {},
        metrics: copy.metrics ?? {},
        history: copy.history ?? [],
      },
    });
    const ACTIVATE = `mutation($id: ID!) { activateSpeechModel(id: $id) { id version status activatedAt } }`;
    const activated = (await api.ok(ACTIVATE, { id: v2.id }, n.keys.editor)).activateSpeechModel;
    expect(activated).toMatchObject({ id: v2.id, status: 'ACTIVE' });
    const statuses = async () =>
      Object.fromEntries(
        (await api.db.modelVersion.findMany({ where: { newsroomId: n.id, name: 'speech-lm' } })).map((m) => [
          m.version,
          m.status,
        ]),
      );
    expect(await statuses()).toEqual({ 1: 'RETIRED', 2: 'ACTIVE' });
    await api.ok(ACTIVATE, { id: v1.id }, n.keys.editor);
    expect(await statuses()).toEqual({ 1: 'ACTIVE', 2: 'RETIRED' });

    const wrong = await api.gql(ACTIVATE, { id: v1.id }, other.keys.editor);
    expect(wrong.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const appKey = await api.gql(ACTIVATE, { id: v1.id }, n.keys.app);
    expect(appKey.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  }, 400_000);
});
