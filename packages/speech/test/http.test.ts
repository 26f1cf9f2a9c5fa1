import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  concatPcm,
  createRecognizer,
  createSynthesizer,
  decodeAudio,
  encodeWav,
  isSpeechError,
  OpenAiRecognizer,
  OpenAiSynthesizer,
  parseWav,
  silence,
} from '../src/index.js';
import { sine } from './helpers.js';

interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** A small multipart/form-data parser: what a real transcription server does with the request. */
function parseMultipart(body: Buffer, contentType: string): Part[] {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw new Error(`no boundary in ${contentType}`);
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    const next = body.indexOf(delimiter, headerEnd);
    const headers = body.subarray(start + 2, headerEnd).toString('utf8');
    const data = body.subarray(headerEnd + 4, next - 2); // strip the CRLF before the delimiter
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    parts.push({
      name: /name="([^"]*)"/.exec(disposition)?.[1] ?? '',
      filename: /filename="([^"]*)"/.exec(disposition)?.[1],
      contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1],
      data,
    });
    pos = next;
  }
  return parts;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

interface Seen {
  transcriptions: Array<{ fields: Record<string, string[]>; audioSec: number; file: Part }>;
  speech: Array<{ body: Record<string, unknown>; auth?: string }>;
}

let server: http.Server;
let base = '';
const seen: Seen = { transcriptions: [], speech: [] };
let failWith: number | null = null;

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    if (failWith) {
      res.writeHead(failWith, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'model is loading' } }));
      return;
    }
    if (req.method === 'POST' && req.url === '/v1/audio/transcriptions') {
      const parts = parseMultipart(body, req.headers['content-type'] ?? '');
      const fields: Record<string, string[]> = {};
      for (const p of parts)
        if (p.filename === undefined) (fields[p.name] ??= []).push(p.data.toString('utf8'));
      const file = parts.find((p) => p.name === 'file');
      const pcm = file ? parseWav(file.data) : null;
      if (!file || !pcm || fields.model?.[0] !== 'whisper-test') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'bad request' } }));
        return;
      }
      const audioSec = pcm.samples.length / pcm.sampleRate;
      seen.transcriptions.push({ fields, audioSec, file });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          task: 'transcribe',
          language: 'english',
          duration: audioSec,
          text: ' Hello newsroom. [BLANK_AUDIO]',
          segments: [
            {
              id: 0,
              start: 0.5,
              end: 1.5,
              text: ' Hello newsroom.',
              avg_logprob: -0.2,
              no_speech_prob: 0.01,
            },
            { id: 1, start: 1.5, end: audioSec, text: ' Thank you.', avg_logprob: -1.4, no_speech_prob: 0.9 },
          ],
          words: [
            { word: 'Hello', start: 0.5, end: 0.9, probability: 0.95 },
            { word: 'newsroom.', start: 0.9, end: 1.5, probability: 0.8 },
          ],
        }),
      );
      return;
    }
    if (req.method === 'POST' && req.url === '/v1/audio/speech') {
      const json = JSON.parse(body.toString('utf8')) as {
        input: string;
        response_format: string;
        voice: string;
        model: string;
      };
      seen.speech.push({ body: json, auth: req.headers.authorization });
      // About 12 characters a second of "speech".
      const wav = encodeWav(sine(220, Math.max(0.3, json.input.length / 12), 24_000, 0.3));
      res.writeHead(200, { 'content-type': 'audio/wav' });
      res.end(wav);
      return;
    }
    res.writeHead(404);
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('OpenAI-compatible transcription engine', () => {
  it('uploads multipart WAV with model and verbose_json, and maps segments, words and confidence', async () => {
    const recognizer = createRecognizer({ engine: 'openai', baseUrl: base, model: 'whisper-test' });
    expect(recognizer.id).toBe('openai-http');
    const speechLike = concatPcm([sine(300, 2), silence(0.5, 16_000), sine(500, 1)]);
    const progress: number[] = [];
    const t = await recognizer.transcribe(
      encodeWav(speechLike),
      { language: 'en-GB', prompt: 'Kennedy' },
      (p) => progress.push(p.fraction),
    );
    const req = seen.transcriptions.at(-1);
    expect(req?.fields.model).toEqual(['whisper-test']);
    expect(req?.fields.response_format).toEqual(['verbose_json']);
    expect(req?.fields['timestamp_granularities[]']).toEqual(['segment', 'word']);
    expect(req?.fields.language).toEqual(['en']);
    expect(req?.fields.prompt).toEqual(['Kennedy']);
    expect(req?.file.filename).toBe('audio.wav');
    expect(req?.file.contentType).toBe('audio/wav');
    expect(req?.audioSec).toBeCloseTo(3.5, 2);
    // The no-speech segment ("Thank you." over silence) is dropped.
    expect(t.segments).toHaveLength(1);
    expect(t.text).toBe('Hello newsroom.');
    expect(t.segments[0].words.map((w) => w.word)).toEqual(['Hello', 'newsroom.']);
    expect(t.segments[0].confidence).toBeCloseTo(0.875, 3);
    expect(t.identity).toEqual({ engine: 'openai-http', version: 'whisper-test', model: 'whisper-test' });
    expect(progress.at(-1)).toBe(1);
  });

  it('uploads long recordings in pieces cut at pauses and shifts their timestamps', async () => {
    const before = seen.transcriptions.length;
    const recognizer = new OpenAiRecognizer({
      baseUrl: `${base}/v1/`,
      model: 'whisper-test',
      maxUploadSec: 4,
    });
    const pcm = concatPcm([sine(300, 3), silence(2, 16_000), sine(400, 3)]);
    const t = await recognizer.transcribe(pcm);
    const uploads = seen.transcriptions.slice(before);
    expect(uploads).toHaveLength(2);
    for (const u of uploads) expect(u.audioSec).toBeLessThanOrEqual(4);
    expect(t.segments).toHaveLength(2);
    expect(t.segments[1].start).toBeGreaterThan(4.5);
    expect(t.segments[1].words[0].start).toBeCloseTo(t.segments[1].start, 3);
  });

  it('maps server failures to retryable or final errors', async () => {
    const recognizer = new OpenAiRecognizer({ baseUrl: base, model: 'whisper-test' });
    failWith = 503;
    try {
      const e = await recognizer.transcribe(sine(300, 1)).catch((x: unknown) => x);
      expect(isSpeechError(e, 'PROVIDER_ERROR') && e.retryable).toBe(true);
      expect((e as Error).message).toMatch(/503.*model is loading/);
      failWith = 401;
      const f = await recognizer.transcribe(sine(300, 1)).catch((x: unknown) => x);
      expect(isSpeechError(f, 'PROVIDER_ERROR') && !f.retryable).toBe(true);
    } finally {
      failWith = null;
    }
    const down = new OpenAiRecognizer({ baseUrl: 'http://127.0.0.1:9', model: 'x' });
    const g = await down.transcribe(sine(300, 1)).catch((x: unknown) => x);
    expect(isSpeechError(g, 'ENGINE_UNAVAILABLE') && g.retryable).toBe(true);
  });
});

describe('OpenAI-compatible speech engine', () => {
  it('posts {model, input, voice, response_format} with the key, one request per piece, and encodes the result', async () => {
    const before = seen.speech.length;
    const tts = new OpenAiSynthesizer({
      baseUrl: base,
      model: 'tts-test',
      apiKey: 'secret',
      voices: ['nova', 'onyx'],
      maxRequestChars: 60,
    });
    const text =
      'The council met on Tuesday. It approved $5 million for buses.\n\nRain is expected tomorrow.';
    const r = await tts.synthesize(text, { voice: 'openai/onyx', format: 'mp3' });
    const reqs = seen.speech.slice(before);
    expect(reqs.length).toBeGreaterThanOrEqual(3);
    for (const q of reqs) {
      expect(q.body).toMatchObject({ model: 'tts-test', voice: 'onyx', response_format: 'wav' });
      expect((q.body.input as string).length).toBeLessThanOrEqual(60);
      expect(q.auth).toBe('Bearer secret');
    }
    expect(reqs.map((q) => q.body.input).join(' ')).toContain('five million dollars');
    expect(r.identity).toEqual({ engine: 'openai-http', version: 'tts-test', voice: 'openai/onyx' });
    const decoded = await decodeAudio(r.audio);
    const expectedSec = reqs.reduce((s, q) => s + Math.max(0.3, (q.body.input as string).length / 12), 0);
    expect(decoded.durationSec).toBeGreaterThan(expectedSec);
    expect(decoded.durationSec).toBeLessThan(expectedSec + 3);
  });

  it('is chosen by configuration and refuses unknown voices', async () => {
    const tts = createSynthesizer({ engine: 'openai', baseUrl: base, model: 'tts-test' });
    expect(tts.id).toBe('openai-http');
    expect((await tts.voices()).map((v) => v.id)).toContain('openai/alloy');
    const e = await tts.synthesize('Hi.', { voice: 'zelda' }).catch((x: unknown) => x);
    expect(isSpeechError(e, 'UNKNOWN_VOICE')).toBe(true);
  });
});
