import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '@media-ai/core';
import type { Job, MediaAsset } from '@media-ai/db';
import type { ResultOf } from '@media-ai/jobs';
import {
  parseWav,
  pcmBytes,
  resamplePcm,
  speechConfigFromEnv,
  type TranscriptSegment,
} from '@media-ai/speech';
import { findLanguage, parseLanguage } from '@media-ai/translate';
import { translateManyForNewsroom } from '@media-ai/translate-platform';
import type { Services } from '../common/services.js';
import { httpErrorOf } from '../common/errors.js';
import { Roles } from '../auth/roles.js';
import { receiveUpload, type FormFields } from '../assets/upload.js';
import { renderCaptions } from '../speech/captions.js';
import { recognitionEngine, voiceCatalog } from '../speech/voices.js';
import { translationEngines } from '../translate/engines.js';
import { compatCaller, type CompatCaller } from './auth.js';
import { JobWatch } from './job-wait.js';
import { readForm } from './form.js';

/**
 * OpenAI's audio API (POST /v1/audio/transcriptions, /v1/audio/translations, /v1/audio/speech, GET
 * /v1/models) served by the platform's speech jobs: an upload becomes an asset, the work a normal
 * `speech.transcribe` or `speech.synthesize` job (visible in GraphQL and on the dashboard, under the
 * newsroom's job quotas), and the request waits for it up to MEDIAAI_COMPAT_WAIT_S. Keys are the platform's,
 * sent as OpenAI clients send theirs (Authorization: Bearer). Errors come in OpenAI's shape.
 */

/** Model names OpenAI clients send, served by the configured engines. */
const TRANSCRIBE_MODELS = ['whisper-1', 'gpt-4o-transcribe', 'gpt-4o-mini-transcribe'];
const SPEECH_MODELS = ['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts'];
const RESPONSE_FORMATS = ['json', 'text', 'srt', 'verbose_json', 'vtt'] as const;
type ResponseFormat = (typeof RESPONSE_FORMATS)[number];
const SPEECH_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;
type SpeechFormat = (typeof SPEECH_FORMATS)[number];
const SPEECH_CONTENT_TYPES: Record<SpeechFormat, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};
/** OpenAI's voices by the voice they sound like: the platform's voice of that gender for English. */
const FEMALE_VOICES = new Set(['alloy', 'coral', 'nova', 'sage', 'shimmer', 'marin', 'ballad']);
const MALE_VOICES = new Set(['ash', 'echo', 'fable', 'onyx', 'verse', 'cedar']);
/** OpenAI's limit on `input` of /v1/audio/speech. */
const MAX_SPEECH_INPUT = 4096;
/** Seconds between SSE comments that keep a quiet stream open through proxies. */
const KEEPALIVE_S = 15;

const KEY_HOW = 'Authorization: Bearer <key> (the apiKey of an OpenAI client)';

/** An OpenAI-shaped error: status, type, param, code. */
export class OpenAiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const invalid = (message: string, param: string | null = null, code: string | null = null) =>
  new OpenAiError(400, message, 'invalid_request_error', param, code);

export function openAiRoutes(services: Services): Router {
  const router = Router();
  const { config } = services;

  const handle =
    (fn: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        await fn(req, res);
      } catch (e) {
        next(e);
      }
    };
  const caller = (req: Request, res: Response, roles: readonly string[]) =>
    compatCaller(services, {
      authorization: req.headers.authorization,
      ip: req.ip ?? 'unknown',
      res,
      roles,
      howToSendKey: KEY_HOW,
    });

  const models = async () => {
    const asr = speechConfigFromEnv().recognizer;
    const native = asr.engine === 'pocketsphinx' ? 'pocketsphinx-en-us' : asr.model;
    let tts: string | null = null;
    try {
      tts = (await voiceCatalog()).engine;
    } catch {
      tts = null; // a wrong synthesizer configuration: speech is not offered
    }
    const created = 1_700_000_000;
    return [
      ...[...TRANSCRIBE_MODELS, native].map((id) => ({ id, object: 'model', created, owned_by: 'media-ai' })),
      ...(tts
        ? [...SPEECH_MODELS, tts].map((id) => ({ id, object: 'model', created, owned_by: 'media-ai' }))
        : []),
    ];
  };

  router.get(
    '/v1/models',
    handle(async (req, res) => {
      await caller(req, res, Roles.any);
      res.json({ object: 'list', data: await models() });
    }),
  );
  router.get(
    '/v1/models/:id',
    handle(async (req, res) => {
      await caller(req, res, Roles.any);
      const model = (await models()).find((m) => m.id === req.params.id);
      if (!model)
        throw new OpenAiError(
          404,
          `The model '${String(req.params.id)}' does not exist; GET /v1/models lists what this platform serves`,
          'invalid_request_error',
          'model',
          'model_not_found',
        );
      res.json(model);
    }),
  );

  const audioRoute = (task: 'transcribe' | 'translate') =>
    handle(async (req, res) => {
      const who = await caller(req, res, Roles.editor);
      const knownModels = new Set((await models()).map((m) => m.id));
      let request: AudioRequest | null = null;
      const { asset, duplicate } = await receiveUpload(req, {
        db: who.db,
        storage: services.storage,
        newsroomId: who.client.newsroomId,
        uploadedById: who.client.id,
        maxBytes: config.MEDIAAI_MAX_UPLOAD_BYTES,
        check: (fields, file) => {
          request = audioRequest(fields, task, knownModels);
          if (file.kind !== 'audio' && file.kind !== 'video')
            throw invalid(
              `Invalid file format (${file.mimeType}): send audio or video (flac, m4a, mp3, mp4, mpeg, mpga, oga, ogg, wav, webm)`,
              'file',
            );
        },
      });
      const r = request as AudioRequest | null;
      if (!r) throw invalid('The form is missing its fields', 'model');
      await checkLanguage(r, task, who);
      const job = await transcribeJob(who, asset, r, duplicate);
      await answerAudio(req, res, who, job, r, task);
    });

  router.post('/v1/audio/transcriptions', audioRoute('transcribe'));
  router.post('/v1/audio/translations', audioRoute('translate'));

  /** The source language given is one the recogniser hears (pocketsphinx: English), and translates to English. */
  async function checkLanguage(r: AudioRequest, task: 'transcribe' | 'translate', who: CompatCaller) {
    if (!r.language) return;
    if (recognitionEngine() === 'pocketsphinx' && !/^en\b/i.test(r.language))
      throw invalid(
        `Language '${r.language}' is not supported: the recogniser here (pocketsphinx) hears English only`,
        'language',
        'unsupported_language',
      );
    if (task === 'translate' && parseLanguageOr400(r.language).iso3 !== 'eng')
      await translationEngines(config).get().engineFor(parseLanguage(r.language!).iso3, 'en');
    void who;
  }

  /** The job of this request: the same upload with the same options again finds the same job. */
  async function transcribeJob(
    who: CompatCaller,
    asset: MediaAsset,
    r: AudioRequest,
    duplicate: boolean,
  ): Promise<Job> {
    const key = createHash('sha256')
      .update(JSON.stringify([asset.id, r.language ?? null, r.prompt ?? null]))
      .digest('hex')
      .slice(0, 32);
    const job = await services.jobs.enqueue(
      who.client.newsroomId,
      'speech.transcribe',
      {
        assetId: asset.id,
        ...(r.language ? { language: r.language } : {}),
        ...(r.prompt ? { prompt: r.prompt } : {}),
        // OpenAI's formats carry no speakers: the drop-in answers as whisper-1 does.
        diarize: false,
      },
      { requesterId: who.client.id, assetId: asset.id, idempotencyKey: `openai-transcribe:${key}` },
    );
    // Sent again after a failure: try again (a damaged file fails again at once).
    if (duplicate && (job.status === 'FAILED' || job.status === 'CANCELLED'))
      return services.jobs.retry(who.client.newsroomId, job.id);
    return job;
  }

  async function answerAudio(
    req: Request,
    res: Response,
    who: CompatCaller,
    job: Job,
    r: AudioRequest,
    task: 'transcribe' | 'translate',
  ) {
    const watch = new JobWatch(services.pubsub, who.client.newsroomId);
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    try {
      if (r.stream) {
        await streamTranscript(res, who, job, r, task, watch, gone.signal);
        return;
      }
      const row = await watch.wait(who.db, job.id, {
        timeoutMs: config.MEDIAAI_COMPAT_WAIT_S * 1000,
        signal: gone.signal,
      });
      if (gone.signal.aborted) return;
      if (!row) throw pending(await who.db.job.findUnique({ where: { id: job.id } }), job.id);
      const done = await finishedTranscript(who, row, r, task);
      sendTranscript(res, done, r, task);
    } finally {
      watch.close();
    }
  }

  async function streamTranscript(
    res: Response,
    who: CompatCaller,
    job: Job,
    r: AudioRequest,
    task: 'transcribe' | 'translate',
    watch: JobWatch,
    signal: AbortSignal,
  ) {
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('x-mediaai-job-id', job.id);
    res.flushHeaders();
    const send = (event: Record<string, unknown>) => res.write(`data: ${JSON.stringify(event)}\n\n`);
    const keepalive = setInterval(() => res.write(': waiting for the job\n\n'), KEEPALIVE_S * 1000);
    // Chunks may finish out of order: their texts go out in time order, each as soon as all before it are in.
    const chunks = new Map<number, string>();
    let nextChunk = 0;
    let emitted = '';
    const emit = (text: string) => {
      if (!text) return;
      const delta = emitted ? ` ${text}` : text;
      emitted += delta;
      send({ type: 'transcript.text.delta', delta });
    };
    try {
      const row = await watch.wait(who.db, job.id, {
        // A stream stays open while its job runs (comments keep it alive); it ends when the client leaves.
        timeoutMs: 24 * 3600_000,
        signal,
        onEvent: (e) => {
          // Translations are translated as a whole at the end: no partial source text goes out.
          if (task !== 'transcribe') return;
          const data = (e.data ?? {}) as { chunkIndex?: unknown; chunkText?: unknown };
          if (typeof data.chunkIndex !== 'number' || typeof data.chunkText !== 'string') return;
          chunks.set(data.chunkIndex, data.chunkText.trim());
          while (chunks.has(nextChunk)) emit(chunks.get(nextChunk++)!);
        },
      });
      if (!row || signal.aborted) return;
      const done = await finishedTranscript(who, row, r, task);
      // Whatever the events did not carry (a request that joined a running job) goes out as one last delta.
      if (!emitted) emit(done.text);
      else if (done.text.startsWith(emitted)) emit(done.text.slice(emitted.length).trim());
      // The done event repeats the deltas, as OpenAI's does: streamed chunks are the words as heard, while
      // the other response formats carry the readable text (punctuation, casing and paragraphs).
      send({ type: 'transcript.text.done', text: emitted });
    } catch (e) {
      const o = toOpenAiError(e, config.MEDIAAI_MAX_REQUEST_BYTES);
      send({ type: 'error', error: { message: o.message, type: o.type, param: o.param, code: o.code } });
    } finally {
      clearInterval(keepalive);
      res.end();
    }
  }

  interface Finished {
    text: string;
    language: string;
    durationSec: number;
    segments: TranscriptSegment[];
  }

  /** The transcript of a finished job (translated into English for /translations), or its failure as an error. */
  async function finishedTranscript(
    who: CompatCaller,
    row: Job,
    r: AudioRequest,
    task: 'transcribe' | 'translate',
  ): Promise<Finished> {
    if (row.status !== 'COMPLETED') throw jobFailure(row);
    const result = row.result as ResultOf<'speech.transcribe'> | null;
    if (!result || result.status === 'unsupported-language' || !result.transcriptId)
      throw invalid(
        result?.message ?? 'The recording could not be transcribed',
        'language',
        'unsupported_language',
      );
    const t = await who.db.transcript.findUnique({ where: { id: result.transcriptId } });
    if (!t)
      throw new OpenAiError(
        500,
        `Transcript ${result.transcriptId} of job ${row.id} is gone; send the request again`,
        'server_error',
      );
    let segments = Array.isArray(t.segments) ? (t.segments as unknown as TranscriptSegment[]) : [];
    let text = t.text;
    let language = t.language;
    if (task === 'translate' && parseLanguageOr400(t.language).iso3 !== 'eng' && segments.length) {
      const translated = await translateManyForNewsroom({
        db: who.db,
        registry: translationEngines(config).get(),
        texts: segments.map((s) => s.text),
        format: 'text',
        from: t.language,
        to: 'en',
      });
      segments = segments.map((s, i) => ({ ...s, text: translated[i].text, words: [] }));
      text = segments
        .map((s) => s.text.trim())
        .filter(Boolean)
        .join(' ');
      language = 'en';
    } else if (task === 'translate') language = 'en';
    services.usage.record(
      who,
      `openai.audio.${task === 'transcribe' ? 'transcriptions' : 'translations'}`,
      'audio_seconds',
      t.durationSec,
    );
    void r;
    return { text, language, durationSec: t.durationSec, segments };
  }

  function sendTranscript(res: Response, done: Finished, r: AudioRequest, task: 'transcribe' | 'translate') {
    const usage = { type: 'duration', seconds: Math.ceil(done.durationSec) };
    switch (r.responseFormat) {
      case 'json':
        res.json({ text: done.text, usage });
        return;
      case 'text':
        res.type('text/plain; charset=utf-8').send(`${done.text}\n`);
        return;
      case 'srt':
        res.type('application/x-subrip; charset=utf-8').send(renderCaptions(done.segments, 'srt'));
        return;
      case 'vtt':
        res.type('text/vtt; charset=utf-8').send(renderCaptions(done.segments, 'vtt'));
        return;
      case 'verbose_json': {
        const wantSegments = r.granularities.length === 0 || r.granularities.includes('segment');
        const wantWords = task === 'transcribe' && r.granularities.includes('word');
        res.json({
          task,
          language: (findLanguage(done.language.split('-')[0])?.name ?? done.language).toLowerCase(),
          duration: done.durationSec,
          text: done.text,
          ...(wantSegments ? { segments: done.segments.map(verboseSegment) } : {}),
          ...(wantWords
            ? {
                words: done.segments.flatMap((s) =>
                  s.words.map((w) => ({ word: w.word, start: w.start, end: w.end })),
                ),
              }
            : {}),
          usage,
        });
        return;
      }
    }
  }

  router.post(
    '/v1/audio/speech',
    handle(async (req, res) => {
      const who = await caller(req, res, Roles.editor);
      const form = await readForm(req, res, { maxBodyBytes: config.MEDIAAI_MAX_REQUEST_BYTES });
      if (!form.json)
        throw invalid('Send a JSON body: {"model", "input", "voice", "response_format", "speed"}');
      const f = form.fields;
      const model = typeof f.model === 'string' ? f.model : '';
      if (!model) throw invalid('you must provide a model parameter', 'model');
      const known = new Set((await models()).map((m) => m.id));
      if (!known.has(model) || TRANSCRIBE_MODELS.includes(model))
        throw new OpenAiError(
          404,
          `The model '${model}' does not exist or does not make speech; GET /v1/models lists what this platform serves`,
          'invalid_request_error',
          'model',
          'model_not_found',
        );
      const input = typeof f.input === 'string' ? f.input : '';
      if (!input.trim()) throw invalid('input must be a non-empty string', 'input');
      if (input.length > MAX_SPEECH_INPUT)
        throw invalid(
          `input is ${input.length} characters; the most is ${MAX_SPEECH_INPUT}`,
          'input',
          'string_above_max_length',
        );
      const format = (f.response_format ?? 'mp3') as SpeechFormat;
      if (!SPEECH_FORMATS.includes(format))
        throw invalid(`response_format must be one of ${SPEECH_FORMATS.join(', ')}`, 'response_format');
      const speed = f.speed === undefined || f.speed === null ? 1 : Number(f.speed);
      if (!Number.isFinite(speed) || speed < 0.25 || speed > 4)
        throw invalid('speed must be a number from 0.25 to 4.0', 'speed');
      if (f.stream_format !== undefined && f.stream_format !== 'audio')
        throw invalid(
          'stream_format "sse" is not supported here; leave it unset (the audio comes whole)',
          'stream_format',
        );
      const voice = await platformVoice(f.voice);
      const job = await services.jobs.enqueue(
        who.client.newsroomId,
        'speech.synthesize',
        {
          text: input,
          voice,
          // pcm is cut from wav here: the stored asset stays a playable file.
          format: format === 'pcm' ? 'wav' : format,
          // The engines read at 0.5x to 2x.
          ...(speed !== 1 ? { speed: Math.min(2, Math.max(0.5, speed)) } : {}),
        },
        { requesterId: who.client.id },
      );
      const watch = new JobWatch(services.pubsub, who.client.newsroomId);
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      let row: Job | null;
      try {
        row = await watch.wait(who.db, job.id, {
          timeoutMs: config.MEDIAAI_COMPAT_WAIT_S * 1000,
          signal: gone.signal,
        });
      } finally {
        watch.close();
      }
      if (gone.signal.aborted) return;
      if (!row) throw pending(await who.db.job.findUnique({ where: { id: job.id } }), job.id);
      if (row.status !== 'COMPLETED') throw jobFailure(row);
      const result = row.result as ResultOf<'speech.synthesize'> | null;
      if (!result?.assetId) throw invalid(result?.message ?? 'The text could not be read aloud', 'voice');
      const asset = await who.db.mediaAsset.findUnique({ where: { id: result.assetId } });
      if (!asset)
        throw new OpenAiError(
          500,
          `The audio of job ${row.id} is gone; send the request again`,
          'server_error',
        );
      services.usage.record(who, 'openai.audio.speech', 'characters', input.length);
      res.setHeader('x-mediaai-job-id', row.id);
      res.setHeader('x-mediaai-asset-id', asset.id);
      res.setHeader('content-type', SPEECH_CONTENT_TYPES[format]);
      const bytes = await readAll(services.storage.read(asset.storageKey));
      res.send(format === 'pcm' ? await wavToPcm(bytes) : bytes);
    }),
  );

  /** An OpenAI voice name (or a platform voice id, e.g. "flite/slt") as a platform voice id. */
  async function platformVoice(voice: unknown): Promise<string | undefined> {
    const name =
      typeof voice === 'string'
        ? voice
        : typeof voice === 'object' && voice
          ? (voice as { id?: unknown }).id
          : undefined;
    if (typeof name !== 'string' || !name)
      throw invalid('voice is required (e.g. "alloy", or a platform voice id such as "flite/slt")', 'voice');
    const { voices } = await voiceCatalog();
    if (voices.some((v) => v.id === name)) return name;
    const lower = name.toLowerCase();
    const gender = FEMALE_VOICES.has(lower) ? 'female' : MALE_VOICES.has(lower) ? 'male' : null;
    if (!gender)
      throw invalid(
        `Unknown voice '${name}': use an OpenAI voice name (${[...FEMALE_VOICES, ...MALE_VOICES].join(', ')}) or a platform voice id (speechVoices in GraphQL, e.g. ${voices
          .slice(0, 3)
          .map((v) => v.id)
          .join(', ')})`,
        'voice',
      );
    const english = voices.filter((v) => /^en\b/i.test(v.language));
    return (english.find((v) => v.gender === gender) ?? english[0])?.id;
  }

  // Errors of these routes in OpenAI's shape.
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/v1/audio/') && !req.path.startsWith('/v1/models')) return next(err);
    const o = toOpenAiError(err, config.MEDIAAI_MAX_REQUEST_BYTES);
    if (o.status >= 500 && !(err instanceof OpenAiError) && !(err instanceof DomainError))
      services.log.error(
        { path: req.path, err: { message: (err as Error)?.message, stack: (err as Error)?.stack } },
        'unhandled OpenAI-compatible error',
      );
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(o.headers)) res.setHeader(k, v);
    res.status(o.status).json({ error: { message: o.message, type: o.type, param: o.param, code: o.code } });
  });
  return router;
}

interface AudioRequest {
  model: string;
  language?: string;
  prompt?: string;
  responseFormat: ResponseFormat;
  granularities: string[];
  stream: boolean;
}

/** The form fields of a transcription or translation, checked as OpenAI checks them. */
function audioRequest(
  fields: FormFields,
  task: 'transcribe' | 'translate',
  known: Set<string>,
): AudioRequest {
  const one = (name: string) => {
    const v = fields[name];
    return v && v.length ? v[v.length - 1] : undefined;
  };
  const model = one('model');
  if (!model) throw invalid('you must provide a model parameter', 'model');
  if (!known.has(model) || SPEECH_MODELS.includes(model))
    throw new OpenAiError(
      404,
      `The model '${model}' does not exist or does not transcribe; GET /v1/models lists what this platform serves`,
      'invalid_request_error',
      'model',
      'model_not_found',
    );
  const responseFormat = (one('response_format') ?? 'json') as ResponseFormat;
  if (!RESPONSE_FORMATS.includes(responseFormat))
    throw invalid(`response_format must be one of ${RESPONSE_FORMATS.join(', ')}`, 'response_format');
  const granularities = [
    ...(fields['timestamp_granularities[]'] ?? []),
    ...(fields.timestamp_granularities ?? []),
  ];
  for (const g of granularities)
    if (g !== 'word' && g !== 'segment')
      throw invalid(`timestamp_granularities: '${g}' is not one of word, segment`, 'timestamp_granularities');
  if (granularities.length && responseFormat !== 'verbose_json')
    throw invalid('timestamp_granularities needs response_format verbose_json', 'timestamp_granularities');
  const temperature = one('temperature');
  if (temperature !== undefined && !(Number(temperature) >= 0 && Number(temperature) <= 1))
    throw invalid('temperature must be a number from 0 to 1', 'temperature');
  const stream = (one('stream') ?? 'false').toLowerCase();
  if (stream !== 'true' && stream !== 'false') throw invalid('stream must be true or false', 'stream');
  const language = one('language')?.trim() || undefined;
  if (language) parseLanguageOr400(language);
  const prompt = one('prompt')?.trim() || undefined;
  if (prompt && prompt.length > 2000) throw invalid('prompt must be at most 2000 characters', 'prompt');
  void task;
  return { model, language, prompt, responseFormat, granularities, stream: stream === 'true' };
}

function parseLanguageOr400(tag: string) {
  try {
    return parseLanguage(tag);
  } catch {
    throw invalid(`Language '${tag}' is not an ISO 639 code (e.g. en, es, pt-BR)`, 'language');
  }
}

/** Whisper's segment fields: what the platform does not compute has Whisper's neutral value. */
function verboseSegment(s: TranscriptSegment) {
  const bytes = Buffer.from(s.text, 'utf8');
  return {
    id: s.id,
    seek: 0,
    start: s.start,
    end: s.end,
    text: s.text,
    tokens: [],
    temperature: 0,
    avg_logprob: s.confidence && s.confidence > 0 ? Math.round(Math.log(s.confidence) * 1000) / 1000 : 0,
    compression_ratio: bytes.length
      ? Math.round((bytes.length / deflateSync(bytes).length) * 1000) / 1000
      : 0,
    no_speech_prob: 0,
  };
}

/** The request has waited its limit: 503 with Retry-After, which OpenAI clients retry (and join the same job). */
function pending(row: Job | null, jobId: string): OpenAiError {
  const progress = row ? ` (${row.status.toLowerCase()}, ${Math.round(row.progress * 100)}%)` : '';
  return new OpenAiError(
    503,
    `The work is still running as job ${jobId}${progress}. Send the same request again to keep waiting for it, or follow job(id: "${jobId}") in GraphQL.`,
    'server_error',
    null,
    'job_pending',
    { 'retry-after': '1', 'x-mediaai-job-id': jobId },
  );
}

/** A failed job as the error its code calls for: the recording's fault is the client's (400), the engine's is ours. */
function jobFailure(row: Job): OpenAiError {
  const message = `${row.error ?? 'The job failed'} (job ${row.id})`;
  const clientFault = [
    'CORRUPT',
    'SILENT',
    'TOO_LONG',
    'UNSUPPORTED_MEDIA',
    'EMPTY_TEXT',
    'UNKNOWN_VOICE',
    'INVALID_INPUT',
    'NOT_FOUND',
  ];
  if (row.status === 'CANCELLED')
    return new OpenAiError(500, `Job ${row.id} was cancelled`, 'server_error', null, 'job_cancelled');
  if (row.errorCode && clientFault.includes(row.errorCode))
    return new OpenAiError(400, message, 'invalid_request_error', 'file', row.errorCode.toLowerCase());
  return new OpenAiError(500, message, 'server_error', null, row.errorCode?.toLowerCase() ?? null, {
    'x-mediaai-job-id': row.id,
  });
}

/** Any error of these routes in OpenAI's terms. */
export function toOpenAiError(err: unknown, maxRequestBytes: number): OpenAiError {
  if (err instanceof OpenAiError) return err;
  const e = httpErrorOf(err, maxRequestBytes);
  const retryAfter: Record<string, string> =
    typeof e.details.retryAfterSeconds === 'number'
      ? { 'retry-after': String(e.details.retryAfterSeconds) }
      : {};
  const param = typeof e.details.field === 'string' ? e.details.field : null;
  switch (e.code) {
    case 'UNAUTHENTICATED':
      return new OpenAiError(401, e.message, 'invalid_request_error', null, 'invalid_api_key');
    case 'FORBIDDEN':
      return new OpenAiError(403, e.message, 'invalid_request_error', null, 'insufficient_permissions');
    case 'RATE_LIMITED':
      return new OpenAiError(429, e.message, 'requests', null, 'rate_limit_exceeded', retryAfter);
    case 'QUOTA_EXCEEDED':
      return new OpenAiError(429, e.message, 'insufficient_quota', null, 'insufficient_quota');
    case 'NOT_FOUND':
      return new OpenAiError(404, e.message, 'invalid_request_error', param, null);
    case 'PAYLOAD_TOO_LARGE':
      return new OpenAiError(413, e.message, 'invalid_request_error', 'file', null);
    case 'UNSUPPORTED_MEDIA_TYPE':
      return new OpenAiError(400, `Invalid file format: ${e.message}`, 'invalid_request_error', 'file', null);
    case 'BAD_USER_INPUT':
    case 'CONFLICT':
      return new OpenAiError(400, e.message, 'invalid_request_error', param, null);
    case 'UNAVAILABLE':
      return new OpenAiError(503, e.message, 'server_error', null, null, { 'retry-after': '5' });
    default:
      return new OpenAiError(500, e.message, 'server_error', null, null);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

/** OpenAI's pcm: raw 16-bit little-endian mono samples at 24 kHz, no header. */
async function wavToPcm(wav: Buffer): Promise<Buffer> {
  const pcm = parseWav(wav);
  if (!pcm) throw new OpenAiError(500, 'The synthesized audio is not a WAV file', 'server_error');
  return pcmBytes(await resamplePcm(pcm, 24_000));
}
