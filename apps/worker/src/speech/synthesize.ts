import { storeMediaAsset } from '@media-ai/db';
import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import { FILE_EXTENSIONS, isSpeechError } from '@media-ai/speech';
import { getStorage } from '../lib/deps.js';
import { synthesizer } from './engines.js';
import { articleText } from './text.js';

type Payload = PayloadOf<'speech.synthesize'>;
type Result = ResultOf<'speech.synthesize'>;

/**
 * Reads a text or a content item aloud and stores the audio as a new audio MediaAsset under
 * ${newsroomId}/derived/speech/audio/, with the voice and engine in its metadata. Identical bytes
 * (same text, voice and format) return the existing asset instead of a copy.
 */
export async function runSynthesize(payload: Payload, ctx: JobContext): Promise<Result> {
  const db = ctx.db;
  let text = payload.text ?? '';
  let language = payload.language;
  let title: string | null = null;
  if (payload.contentId) {
    const item = await db.contentItem.findUnique({ where: { id: payload.contentId } });
    if (!item) {
      throw new PermanentJobError(
        `Content item ${payload.contentId} does not exist in this newsroom`,
        'NOT_FOUND',
      );
    }
    text = articleText(item.title, item.body);
    language ??= item.language ?? undefined;
    title = item.title;
  }
  language ??= 'en-US';
  const format = payload.format ?? 'mp3';
  const engine = synthesizer();

  ctx.progress(0.02, 'reading the text aloud');
  let result;
  try {
    result = await engine.synthesize(text, {
      voice: payload.voice,
      language,
      format,
      ...(payload.speed ? { speed: payload.speed } : {}),
      signal: ctx.signal,
      onProgress: (f) => ctx.progress(0.02 + 0.88 * f, 'reading the text aloud'),
    });
  } catch (error) {
    if (isSpeechError(error, 'UNSUPPORTED_LANGUAGE')) {
      return {
        status: 'unsupported-language',
        assetId: null,
        duplicate: false,
        identity: null,
        language,
        format: null,
        mimeType: null,
        durationSec: null,
        characters: text.length,
        processingSec: 0,
        message: error.message,
      };
    }
    throw error;
  }

  ctx.progress(0.92, 'storing the audio');
  const identity = {
    engine: result.identity.engine,
    version: result.identity.version,
    model: result.identity.voice,
  };
  const summary = {
    status: 'synthesized' as const,
    identity,
    language,
    format: result.format,
    mimeType: result.mimeType,
    durationSec: result.durationSec,
    characters: text.length,
    processingSec: result.processingSec,
  };
  const job = await db.job.findUnique({ where: { id: ctx.jobId }, select: { requesterId: true } });
  const ext = FILE_EXTENSIONS[result.format];
  const { asset, duplicate } = await storeMediaAsset(db, getStorage(), {
    source: result.audio,
    prefix: `${ctx.newsroomId}/derived/speech/audio`,
    ext,
    filename: `${slug(title ?? text)}-${result.identity.voice.replace(/[^a-z0-9]+/gi, '-')}.${ext}`,
    mimeType: result.mimeType,
    kind: 'audio',
    uploadedById: job?.requesterId ?? null,
    metadata: {
      voice: result.identity.voice,
      engine: result.identity.engine,
      engineVersion: result.identity.version,
      language,
      format: result.format,
      durationSec: result.durationSec,
      sampleRate: result.sampleRate,
      characters: text.length,
      sourceContentId: payload.contentId ?? null,
      jobId: ctx.jobId,
    },
  });
  if (!duplicate) {
    ctx.log.info('synthesized', {
      assetId: asset.id,
      voice: result.identity.voice,
      durationSec: result.durationSec,
    });
  }
  return { ...summary, assetId: asset.id, duplicate };
}

function slug(text: string): string {
  const s = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return s || 'speech';
}
