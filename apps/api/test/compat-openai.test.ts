import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataDir } from '@media-ai/core';
import { parseWav, wordErrorRate } from '@media-ai/speech';
import { startWorker, type WorkerRuntime } from '@media-ai/worker';
import { createApiClient } from '../src/auth/api-keys.js';
import {
  createNewsroom,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';

/*
 * The OpenAI-compatible audio endpoints driven by the official `openai` npm client (and raw HTTP for the
 * error shapes and the event stream), against the real engines: pocketsphinx behind speech.transcribe
 * jobs, flite behind speech.synthesize, one in-process worker on the speech queue.
 */

const SPEECH = sharedDataDir('speech');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'openai-compat-'));

/** A short recording and what it says: from ../shared/data/speech, else read by flite here. */
function recording(name: string, fallbackText: string): { file: string; text: string } {
  if (SPEECH && fs.existsSync(path.join(SPEECH, `${name}.wav`))) {
    const refs = fs.readFileSync(path.join(SPEECH, 'transcripts.tsv'), 'utf8').split('\n');
    const text = refs.find((l) => l.startsWith(`${name}\t`))!.split('\t')[1];
    return { file: path.join(SPEECH, `${name}.wav`), text };
  }
  const file = path.join(tmp, `${name}.wav`);
  execFileSync('flite', ['-voice', 'slt', '-t', fallbackText, '-o', file]);
  return { file, text: fallbackText };
}
if (!SPEECH)
  console.log('compat-openai.test: no ../shared/data/speech; recordings are synthesized with flite');

const SHORT = recording(
  'jfk',
  'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.',
);
const LONGER = recording(
  'lj_LJ001-0001',
  'Printing, in the only sense with which we are at present concerned, differs from most if not from all the arts and crafts represented in the Exhibition',
);

const config = testConfig({ WORKER_QUEUES: 'speech:1', MEDIAAI_COMPAT_WAIT_S: '120' });
let api: Awaited<ReturnType<typeof startTestApi>>;
let impatient: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime;
let n: TestNewsroom;
let openai: OpenAI;

beforeAll(async () => {
  api = await startTestApi(config);
  // A second API process of the same deployment that waits for no job: long work answers 503 at once.
  impatient = await startTestApi({ ...config, MEDIAAI_COMPAT_WAIT_S: 0 });
  n = await createNewsroom(api.db, 'OpenAI Desk');
  worker = await startWorker(config, silentLog());
  openai = new OpenAI({ apiKey: n.keys.editor, baseURL: `${api.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await worker?.close(1000);
  await impatient?.close();
  await api?.close();
  fs.rmSync(config.MEDIAAI_DATA_DIR, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

const wav = (f: { file: string }) =>
  toFile(fs.readFileSync(f.file), path.basename(f.file), { type: 'audio/wav' });

describe('OpenAI-compatible audio API', { timeout: 180_000 }, () => {
  it('lists the models it serves', async () => {
    const ids = [];
    for await (const m of openai.models.list()) ids.push(m.id);
    expect(ids).toEqual(
      expect.arrayContaining(['whisper-1', 'gpt-4o-transcribe', 'pocketsphinx-en-us', 'tts-1']),
    );
    expect((await openai.models.retrieve('whisper-1')).owned_by).toBe('media-ai');
  });

  it('transcribes with the official client, as a platform job visible in GraphQL, in every response format', async () => {
    const json = await openai.audio.transcriptions.create({ file: await wav(SHORT), model: 'whisper-1' });
    expect(wordErrorRate(SHORT.text, json.text).wer).toBeLessThan(0.5);
    expect(json.usage).toEqual({ type: 'duration', seconds: expect.any(Number) });

    const { jobs } = await api.ok(
      `{ jobs(filter: { types: ["speech.transcribe"] }, first: 10) { edges { node { id status requesterId result } } } }`,
      {},
      n.keys.editor,
    );
    expect(jobs.edges).toHaveLength(1);
    expect(jobs.edges[0].node.status).toBe('COMPLETED');
    const me = (await api.ok(`{ me { clientId } }`, {}, n.keys.editor)).me.clientId;
    expect(jobs.edges[0].node.requesterId).toBe(me);

    const text = await openai.audio.transcriptions.create({
      file: await wav(SHORT),
      model: 'whisper-1',
      response_format: 'text',
    });
    expect(text.trim()).toBe(json.text);
    const srt = await openai.audio.transcriptions.create({
      file: await wav(SHORT),
      model: 'whisper-1',
      response_format: 'srt',
    });
    expect(srt).toMatch(/^1\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}\n/);
    const vtt = await openai.audio.transcriptions.create({
      file: await wav(SHORT),
      model: 'whisper-1',
      response_format: 'vtt',
    });
    expect(vtt).toMatch(/^WEBVTT\n\n/);
    const verbose = await openai.audio.transcriptions.create({
      file: await wav(SHORT),
      model: 'whisper-1',

      response_format: 'verbose_json',
      timestamp_granularities: ['word', 'segment'],
    });
    expect(verbose).toMatchObject({ task: 'transcribe', language: 'english', text: json.text });
    expect(verbose.duration).toBeGreaterThan(2);
    // Words are as heard; the text is readable (punctuated and cased), as Whisper's is.
    const plain = (t: string) =>
      t
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s']/gu, '')
        .replace(/\s+/g, ' ')
        .trim();
    expect(plain(verbose.words!.map((w) => w.word).join(' '))).toBe(plain(json.text));
    for (const w of verbose.words!) expect(w.end).toBeGreaterThan(w.start);
    expect(verbose.segments![0]).toMatchObject({ id: 0, seek: 0, temperature: 0, tokens: [] });
    const wordsOnly = await openai.audio.transcriptions.create({
      file: await wav(SHORT),
      model: 'whisper-1',
      response_format: 'verbose_json',
      timestamp_granularities: ['word'],
    });
    expect(wordsOnly.segments).toBeUndefined();
    expect(wordsOnly.words!.length).toBeGreaterThan(3);
    // The same recording with the same options is one job, however often it is asked for.
    const again = await api.ok(
      `{ jobs(filter: { types: ["speech.transcribe"] }) { totalCount } }`,
      {},
      n.keys.editor,
    );
    expect(again.jobs.totalCount).toBe(1);
  });

  it('streams the transcript as OpenAI transcript.text.delta / done events', async () => {
    const stream = await openai.audio.transcriptions.create({
      file: await wav(LONGER),
      model: 'gpt-4o-transcribe',
      stream: true,
    });
    const deltas: string[] = [];
    let done = '';
    for await (const event of stream) {
      if (event.type === 'transcript.text.delta') deltas.push(event.delta);
      if (event.type === 'transcript.text.done') done = event.text;
    }
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.join('')).toBe(done);
    expect(wordErrorRate(LONGER.text, done).wer).toBeLessThan(0.6);

    // The wire format itself: data-only SSE lines with JSON events, ending with the done event.
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(LONGER.file)]), 'again.wav');
    form.append('model', 'whisper-1');
    form.append('stream', 'true');
    const res = await fetch(`${api.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${n.keys.editor}` },
      body: form,
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await res.text())
      .split('\n\n')
      .filter((b) => b.startsWith('data: '))
      .map((b) => JSON.parse(b.slice(6)) as { type: string; text?: string });
    // This request joins the finished job: its one delta is the readable text; the words are the same.
    const plain = (t: string) =>
      t
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s']/gu, '')
        .replace(/\s+/g, ' ')
        .trim();
    expect(events.at(-1)?.type).toBe('transcript.text.done');
    expect(plain(events.at(-1)!.text!)).toBe(plain(done));
  });

  it('translates English audio to English text, and refuses a language the recogniser does not hear', async () => {
    const t = await openai.audio.translations.create({ file: await wav(SHORT), model: 'whisper-1' });
    const json = await openai.audio.transcriptions.create({ file: await wav(SHORT), model: 'whisper-1' });
    expect(t.text).toBe(json.text);
    const err = await openai.audio.transcriptions
      .create({ file: await wav(SHORT), model: 'whisper-1', language: 'de' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err).toMatchObject({ status: 400, param: 'language', code: 'unsupported_language' });
  });

  it('reads text aloud in every response format, at a speed, and the audio transcribes back', async () => {
    const input = 'The council approved the new budget on Tuesday.';
    const wavRes = await openai.audio.speech.create({
      model: 'tts-1',
      voice: 'alloy',
      input,
      response_format: 'wav',
    });
    expect(wavRes.headers.get('content-type')).toBe('audio/wav');
    const wavBytes = Buffer.from(await wavRes.arrayBuffer());
    const pcm = parseWav(wavBytes)!;
    const seconds = pcm.samples.length / pcm.sampleRate;
    expect(seconds).toBeGreaterThan(1.5);
    const heard = await openai.audio.transcriptions.create({
      file: await toFile(wavBytes, 'tts.wav'),
      model: 'whisper-1',
    });
    expect(wordErrorRate(input, heard.text).wer).toBeLessThan(0.4);

    const fast = parseWav(
      Buffer.from(
        await (
          await openai.audio.speech.create({
            model: 'tts-1',
            voice: 'alloy',
            input,
            response_format: 'wav',
            speed: 2,
          })
        ).arrayBuffer(),
      ),
    )!;
    expect(fast.samples.length / fast.sampleRate).toBeLessThan(seconds * 0.75);

    const bytes = async (response_format: 'mp3' | 'flac' | 'opus' | 'aac' | 'pcm') =>
      Buffer.from(
        await (
          await openai.audio.speech.create({ model: 'tts-1', voice: 'onyx', input, response_format })
        ).arrayBuffer(),
      );
    const mp3 = await bytes('mp3');
    expect(mp3.subarray(0, 3).toString('latin1') === 'ID3' || mp3[0] === 0xff).toBe(true);
    expect((await bytes('flac')).subarray(0, 4).toString('latin1')).toBe('fLaC');
    expect((await bytes('opus')).subarray(0, 4).toString('latin1')).toBe('OggS');
    const aac = await bytes('aac');
    expect(aac[0]).toBe(0xff);
    expect(aac[1] & 0xf0).toBe(0xf0);
    const raw = await bytes('pcm');
    // 16-bit mono at 24 kHz, no header: about as long as the wav.
    expect(raw.length % 2).toBe(0);
    expect(raw.length / 2 / 24_000).toBeGreaterThan(seconds * 0.8);
    expect(raw.subarray(0, 4).toString('latin1')).not.toBe('RIFF');
  });

  it('answers a request whose job outlasts the wait with 503 and Retry-After; retries join the same job', async () => {
    const slow = new OpenAI({ apiKey: n.keys.editor, baseURL: `${impatient.url}/v1`, maxRetries: 0 });
    const file = fs.readFileSync(LONGER.file);
    const err = (await slow.audio.transcriptions
      .create({ file: await toFile(file, 'late.wav'), model: 'whisper-1', prompt: 'Exhibition' })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.status).toBe(503);
    expect(err.code).toBe('job_pending');
    expect(err.headers!.get('retry-after')).toBe('1');
    const jobId = err.headers!.get('x-mediaai-job-id')!;
    const { job } = await api.ok(
      `query($id: ID!) { job(id: $id) { type status } }`,
      { id: jobId },
      n.keys.app,
    );
    expect(job.type).toBe('speech.transcribe');

    // The client's own retries (Retry-After: 1) send the same upload again until the job is done.
    const patient = new OpenAI({ apiKey: n.keys.editor, baseURL: `${impatient.url}/v1`, maxRetries: 60 });
    const text = await patient.audio.transcriptions.create({
      file: await toFile(file, 'late.wav'),
      model: 'whisper-1',
      prompt: 'Exhibition',
      response_format: 'text',
    });
    expect(wordErrorRate(LONGER.text, text).wer).toBeLessThan(0.6);
    const { jobs } = await api.ok(
      `query($a: ID) { jobs(filter: { types: ["speech.transcribe"], assetId: $a }) { totalCount } }`,
      {
        a: (await api.ok(`query($id: ID!) { job(id: $id) { assetId } }`, { id: jobId }, n.keys.app)).job
          .assetId,
      },
      n.keys.app,
    );
    expect(jobs.totalCount).toBe(2); // the stream test's job (no prompt) and this one
  });

  it("answers errors in OpenAI's shape with OpenAI's status codes", async () => {
    const raw = async (
      headers: Record<string, string>,
      fields: Record<string, string>,
      file: Blob | null = new Blob([fs.readFileSync(SHORT.file)]),
    ) => {
      const form = new FormData();
      if (file) form.append('file', file, 'a.wav');
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      const res = await fetch(`${api.url}/v1/audio/transcriptions`, { method: 'POST', headers, body: form });
      return {
        status: res.status,
        body: (await res.json()) as {
          error: { message: string; type: string; param: string | null; code: string | null };
        },
      };
    };
    const editor = { authorization: `Bearer ${n.keys.editor}` };
    const noKey = await raw({}, { model: 'whisper-1' });
    expect(noKey.status).toBe(401);
    expect(noKey.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    expect((await raw({ authorization: 'Bearer sk-not-ours' }, { model: 'whisper-1' })).status).toBe(401);
    const app = await raw({ authorization: `Bearer ${n.keys.app}` }, { model: 'whisper-1' });
    expect(app.status).toBe(403);
    const unknown = await raw(editor, { model: 'whisper-9' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ param: 'model', code: 'model_not_found' });
    expect((await raw(editor, {})).body.error).toMatchObject({
      param: 'model',
      type: 'invalid_request_error',
    });
    const format = await raw(editor, { model: 'whisper-1', response_format: 'docx' });
    expect(format.status).toBe(400);
    expect(format.body.error.param).toBe('response_format');
    const grain = await raw(editor, { model: 'whisper-1', 'timestamp_granularities[]': 'word' });
    expect(grain.body.error.param).toBe('timestamp_granularities');
    const notAudio = await raw(editor, { model: 'whisper-1' }, new Blob(['just some text, not a recording']));
    expect(notAudio.status).toBe(400);
    expect(notAudio.body.error.param).toBe('file');
    const noFile = await raw(editor, { model: 'whisper-1' }, null);
    expect(noFile.status).toBe(400);
    const speech = await fetch(`${api.url}/v1/audio/speech`, {
      method: 'POST',
      headers: { ...editor, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tts-1', voice: 'robot', input: 'Hello' }),
    });
    expect(speech.status).toBe(400);
    expect(((await speech.json()) as { error: { param: string } }).error.param).toBe('voice');
    const badSpeed = await openai.audio.speech
      .create({ model: 'tts-1', voice: 'alloy', input: 'Hi', speed: 9 })
      .catch((e: unknown) => e);
    expect(badSpeed).toMatchObject({ status: 400, param: 'speed' });

    // The key's rate limit and the newsroom's job quota, as OpenAI clients know them.
    const { key } = await createApiClient(api.db, {
      newsroomId: n.id,
      name: 'slow',
      role: 'EDITOR',
      rateLimitPerMinute: 1,
    });
    const limited = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
    await limited.models.list();
    const tooMany = await limited.models.list().catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(OpenAI.RateLimitError);
    expect((tooMany as InstanceType<typeof OpenAI.APIError>).code).toBe('rate_limit_exceeded');
    const capped = await createNewsroom(api.db, 'Capped Desk');
    await api.db.newsroom.update({ where: { id: capped.id }, data: { maxJobsPerDay: 0 } });
    const quota = await new OpenAI({
      apiKey: capped.keys.editor,
      baseURL: `${api.url}/v1`,
      maxRetries: 0,
    }).audio.transcriptions
      .create({ file: await wav(SHORT), model: 'whisper-1' })
      .catch((e: unknown) => e);
    expect(quota).toMatchObject({ status: 429, code: 'insufficient_quota' });
  });

  it('accounts audio seconds and characters per key in apiUsage', async () => {
    await api.server.services.usage.flush();
    await impatient.server.services.usage.flush();
    const rows = (await api.ok(`{ apiUsage { operation unit requests quantity } }`, {}, n.keys.editor))
      .apiUsage as {
      operation: string;
      unit: string;
      requests: number;
      quantity: number;
    }[];
    const transcriptions = rows.find((r) => r.operation === 'openai.audio.transcriptions')!;
    expect(transcriptions.unit).toBe('audio_seconds');
    expect(transcriptions.requests).toBeGreaterThanOrEqual(10);
    expect(transcriptions.quantity).toBeGreaterThan(20);
    const speech = rows.find((r) => r.operation === 'openai.audio.speech')!;
    expect(speech).toMatchObject({ unit: 'characters' });
    expect(speech.requests).toBe(7);
  });
});
