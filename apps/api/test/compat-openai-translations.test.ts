import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerRuntime } from '@media-ai/worker';
import { closeTranslationEngines } from '../src/translate/engines.js';
import {
  createNewsroom,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';

/*
 * /v1/audio/translations for a recording that is not English: the platform's recogniser is an HTTP
 * (Whisper-style) server here, a small one in this file that speaks OpenAI's verbose_json and hears Spanish;
 * the English comes from the platform's translation (Apertium), segment by segment.
 */

const SPANISH = [
  { start: 0, end: 2.1, text: 'El Gobierno aprueba la reforma de las pensiones.' },
  { start: 2.4, end: 4.5, text: 'La tormenta cortó las carreteras del valle.' },
];
const received: { language: string | null; prompt: string | null }[] = [];
const asr: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('latin1');
    const field = (name: string) => new RegExp(`name="${name}"\\r\\n\\r\\n([^\\r]*)`).exec(body)?.[1] ?? null;
    received.push({ language: field('language'), prompt: field('prompt') });
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        task: 'transcribe',
        language: 'spanish',
        duration: 4.5,
        text: SPANISH.map((s) => s.text).join(' '),
        segments: SPANISH.map((s, id) => ({ id, ...s, avg_logprob: -0.2, no_speech_prob: 0.01 })),
      }),
    );
  });
});

const ENV = ['SPEECH_ASR_ENGINE', 'SPEECH_ASR_URL', 'SPEECH_ASR_MODEL'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'openai-translations-'));
const recording = path.join(tmp, 'spanish.wav');
let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime;
let n: TestNewsroom;
let openai: OpenAI;
const config = testConfig({ WORKER_QUEUES: 'speech:1' });

beforeAll(async () => {
  await new Promise<void>((r) => asr.listen(0, '127.0.0.1', r));
  process.env.SPEECH_ASR_ENGINE = 'openai';
  process.env.SPEECH_ASR_URL = `http://127.0.0.1:${(asr.address() as AddressInfo).port}/v1`;
  process.env.SPEECH_ASR_MODEL = 'whisper-test';
  // Any recording will do: the server above says what it hears.
  execFileSync('flite', [
    '-voice',
    'slt',
    '-t',
    'The storm closed the roads in the valley.',
    '-o',
    recording,
  ]);
  api = await startTestApi(config);
  n = await createNewsroom(api.db, 'Spanish Desk');
  worker = await startWorker(config, silentLog());
  openai = new OpenAI({ apiKey: n.keys.editor, baseURL: `${api.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await worker?.close(1000);
  await api?.close();
  await closeTranslationEngines();
  asr.close();
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(config.MEDIAAI_DATA_DIR, { recursive: true, force: true });
});

const file = () => toFile(fs.readFileSync(recording), 'spanish.wav');

describe('OpenAI-compatible translations of non-English audio', { timeout: 120_000 }, () => {
  it('transcribes Spanish with the HTTP recogniser, passing language and prompt on', async () => {
    const t = await openai.audio.transcriptions.create({
      file: await file(),
      model: 'whisper-1',
      language: 'es',
      prompt: 'Moncloa',
      response_format: 'verbose_json',
    });
    expect(t).toMatchObject({
      task: 'transcribe',
      language: 'spanish',
      text: SPANISH.map((s) => s.text).join(' '),
    });
    expect(received.at(-1)).toEqual({ language: 'es', prompt: 'Moncloa' });
  });

  it('translates it into English segment by segment, keeping the times', async () => {
    const verbose = await openai.audio.translations.create({
      file: await file(),
      model: 'whisper-1',
      response_format: 'verbose_json',
      language: 'es',
    } as OpenAI.Audio.TranslationCreateParams & { language: string });
    expect(verbose).toMatchObject({ task: 'translate', language: 'english' });
    const segments = (verbose as unknown as { segments: { start: number; end: number; text: string }[] })
      .segments;
    expect(segments.map((s) => [s.start, s.end])).toEqual([
      [0, 2.1],
      [2.4, 4.5],
    ]);
    expect(segments[0].text).toMatch(/Government/);
    expect(segments[1].text).toMatch(/storm/);
    expect(verbose.text).toBe(segments.map((s) => s.text).join(' '));
    const srt = await openai.audio.translations.create({
      file: await file(),
      model: 'whisper-1',
      response_format: 'srt',
      language: 'es',
    } as OpenAI.Audio.TranslationCreateParams & { language: string });
    expect(String(srt)).toMatch(/^1\n00:00:00,000 --> .*\n.*Government/);
  });

  it('refuses a language with no pair into English before any job', async () => {
    const before = (await api.ok(`{ jobs { totalCount } }`, {}, n.keys.editor)).jobs.totalCount;
    const err = await openai.audio.translations
      .create({
        file: await file(),
        model: 'whisper-1',
        language: 'ja',
      } as OpenAI.Audio.TranslationCreateParams & {
        language: string;
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((err as Error).message)).toMatch(/Japanese|jpn|ja/);
    expect((await api.ok(`{ jobs { totalCount } }`, {}, n.keys.editor)).jobs.totalCount).toBe(before);
  });
});
