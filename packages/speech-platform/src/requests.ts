import { DomainError } from '@media-ai/core';
import type { ContentItem, TenantDb } from '@media-ai/db';
import { SPEECH_AREA, SPEECH_LM } from './model.js';
import { findSpeechModel } from './models.js';

/*
 * What a transcription or a synthesis request must satisfy before a job is queued, checked with
 * messages that say what to fix, and the job payloads they become.
 */

export interface TranscribeRequest {
  language?: string | null;
  useVocabulary?: boolean | null;
  modelVersionId?: string | null;
  contentId?: string | null;
  /** false: one speaker, no speaker turns. */
  diarize?: boolean | null;
}

export interface SynthesizeRequest {
  text?: string | null;
  contentId?: string | null;
  voice?: string | null;
  language?: string | null;
  format?: 'mp3' | 'ogg' | 'wav' | 'opus' | null;
}

export async function requireContent(db: TenantDb, id: string): Promise<ContentItem> {
  const item = await db.contentItem.findUnique({ where: { id } });
  if (!item) throw new DomainError('NOT_FOUND', `Content item ${id} was not found`);
  return item;
}

const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/**
 * Checks a transcription request (an audio or video asset, the content it belongs to, a usable
 * vocabulary version) and returns the speech.transcribe payload. `recognizer`: the configured
 * recognition engine, null when unknown (only pocketsphinx uses a newsroom vocabulary).
 */
export async function checkTranscribeRequest(
  db: TenantDb,
  assetId: string,
  request: TranscribeRequest,
  recognizer: string | null,
) {
  const asset = await db.mediaAsset.findUnique({ where: { id: assetId } });
  if (!asset) throw new DomainError('NOT_FOUND', `Asset ${assetId} was not found`);
  if (asset.kind !== 'audio' && asset.kind !== 'video') {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Asset ${assetId} is ${article(asset.kind)} ${asset.kind} (${asset.mimeType}); transcribe takes audio or video assets`,
    );
  }
  if (request.contentId) await requireContent(db, request.contentId);
  if (request.modelVersionId) {
    const version = await findSpeechModel(db, request.modelVersionId);
    if (version.status === 'FAILED' || version.status === 'TRAINING') {
      throw new DomainError(
        'BAD_USER_INPUT',
        `${SPEECH_LM} v${version.version} is ${version.status.toLowerCase()}; choose a CANDIDATE, ACTIVE or RETIRED version`,
      );
    }
  } else if (request.useVocabulary === true && recognizer === 'pocketsphinx') {
    const active = await db.modelVersion.count({
      where: { area: SPEECH_AREA, name: SPEECH_LM, status: 'ACTIVE' },
    });
    if (!active) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'This newsroom has no active speech vocabulary: build one with buildSpeechVocabulary, or leave useVocabulary unset',
      );
    }
  }
  return {
    assetId,
    ...(request.language ? { language: request.language } : {}),
    ...(request.useVocabulary !== undefined && request.useVocabulary !== null
      ? { useVocabulary: request.useVocabulary }
      : {}),
    ...(request.modelVersionId ? { modelVersionId: request.modelVersionId } : {}),
    ...(request.contentId ? { contentId: request.contentId } : {}),
    ...(request.diarize === false ? { diarize: false } : {}),
  };
}

/**
 * Checks a synthesis request (text or an article to read, one of them; a voice the synthesizer has,
 * given its voice ids when it lists any) and returns the speech.synthesize payload.
 */
export async function checkSynthesizeRequest(
  db: TenantDb,
  request: SynthesizeRequest,
  voiceIds: () => Promise<string[]>,
) {
  const hasText = typeof request.text === 'string' && request.text.length > 0;
  if (hasText === Boolean(request.contentId)) {
    throw new DomainError('BAD_USER_INPUT', 'Give either text or contentId (one of them, not both)');
  }
  if (hasText && !/\p{L}|\p{N}/u.test(request.text!)) {
    throw new DomainError('BAD_USER_INPUT', 'text has no words to read');
  }
  if (request.contentId) {
    const item = await requireContent(db, request.contentId);
    if (!item.title.trim() && !item.body.trim()) {
      throw new DomainError('BAD_USER_INPUT', `Content item ${item.id} has no title or body to read`);
    }
  }
  if (request.voice) {
    const voices = await voiceIds();
    if (voices.length > 0 && !voices.includes(request.voice)) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `Unknown voice "${request.voice}"; speechVoices lists the ${voices.length} choices (e.g. ${voices.slice(0, 5).join(', ')})`,
      );
    }
  }
  return {
    ...(hasText ? { text: request.text! } : { contentId: request.contentId! }),
    ...(request.voice ? { voice: request.voice } : {}),
    ...(request.language ? { language: request.language } : {}),
    format: request.format ?? 'mp3',
  };
}
