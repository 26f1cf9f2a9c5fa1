import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Prisma, type TenantDb } from '@media-ai/db';
import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import {
  assignSpeakers,
  decodeAudio,
  diarize,
  isSpeechError,
  isVoiceModel,
  matchVoices,
  transcriptSpeakers,
  VOICE_METHOD,
  type Diarization,
  type LanguageModelFiles,
  type ModelIdentity,
  type Pcm,
  type Recognizer,
  type TranscribeProgress,
  type TranscriptSpeaker,
  punctuationModelFor,
  readableTranscript,
} from '@media-ai/speech';
import { newsroomTruecase } from './text.js';
import { getStorage } from '../lib/deps.js';
import { SPEECH_AREA, SPEECH_LM, transcriptLockKey } from '@media-ai/speech-platform';
import { recognitionLimitSec, recognizer } from './engines.js';
import { decodeManifest, ensureModelFiles } from './model-files.js';

type Payload = PayloadOf<'speech.transcribe'>;
type Result = ResultOf<'speech.transcribe'>;

interface Vocabulary {
  languageModel?: LanguageModelFiles;
  modelVersionId: string | null;
  /** Spelling hints for engines that take a prompt instead of a language model. */
  prompt?: string;
}

/**
 * Transcribes an audio or video asset and stores the Transcript. Re-transcribing an asset with the
 * same engine, engine version, model and language replaces that transcript in place (same id, so
 * caption links stay valid); a different engine or model adds a transcript beside it.
 */
export async function runTranscribe(payload: Payload, ctx: JobContext): Promise<Result> {
  const db = ctx.db;
  const asset = await db.mediaAsset.findUnique({ where: { id: payload.assetId } });
  if (!asset) {
    throw new PermanentJobError(
      `Asset ${payload.assetId} does not exist in this newsroom (was it deleted?)`,
      'NOT_FOUND',
    );
  }
  if (asset.kind !== 'audio' && asset.kind !== 'video') {
    throw new PermanentJobError(
      `Asset ${asset.id} is not audio or video (it is ${asset.kind}, ${asset.mimeType}); only recordings can be transcribed`,
    );
  }
  if (payload.contentId && !(await db.contentItem.findUnique({ where: { id: payload.contentId } }))) {
    throw new PermanentJobError(
      `Content item ${payload.contentId} does not exist in this newsroom`,
      'NOT_FOUND',
    );
  }
  const engine = recognizer();
  const vocabulary = await chooseVocabulary(db, ctx, payload, engine);
  const language = payload.language ?? 'en-US';

  ctx.progress(0.02, 'fetching the recording');
  const storage = getStorage();
  if (!(await storage.exists(asset.storageKey))) {
    throw new PermanentJobError(
      `The file of asset ${asset.id} is missing from storage; upload it again`,
      'NOT_FOUND',
    );
  }
  const file = path.join(await storage.tempDir(), `speech-${randomUUID()}${path.extname(asset.storageKey)}`);
  let transcript;
  let pcm: Pcm;
  try {
    await pipeline(storage.read(asset.storageKey), createWriteStream(file));
    // Decoded once: the recognizer and the speaker search read the same samples.
    pcm = (await decodeAudio(file, { maxDurationSec: recognitionLimitSec(), signal: ctx.signal })).pcm;
    transcript = await engine.transcribe(
      pcm,
      {
        language: payload.language,
        languageModel: vocabulary.languageModel,
        prompt: vocabulary.prompt,
        signal: ctx.signal,
      },
      (p) => reportProgress(ctx, p),
    );
  } catch (error) {
    if (isSpeechError(error, 'UNSUPPORTED_LANGUAGE')) {
      return {
        status: 'unsupported-language',
        assetId: asset.id,
        transcriptId: null,
        replaced: false,
        identity: null,
        modelVersionId: vocabulary.modelVersionId,
        language,
        durationSec: null,
        segments: 0,
        words: 0,
        processingSec: 0,
        message: error.message,
      };
    }
    throw error;
  } finally {
    await rm(file, { force: true });
  }

  // Punctuation (the model reads the words and the pauses), casing (the newsroom's spelling of names) and
  // paragraphs: text that reads.
  const punctuation = punctuationModelFor(transcript.language);
  transcript = readableTranscript(transcript, {
    truecase: await newsroomTruecase(db, ctx.newsroomId),
    punctuation,
  });
  // Who speaks when: labels and segment cuts only, the words stay as recognised.
  let speakers: TranscriptSpeaker[] | null = null;
  if (payload.diarize !== false && transcript.segments.some((s) => s.words.length > 0)) {
    ctx.progress(0.96, 'finding the speakers');
    const diarization = diarize(pcm);
    const segments = assignSpeakers(transcript.segments, diarization.turns);
    const used = new Set(segments.map((s) => s.speaker));
    speakers = (await namedSpeakers(db, diarization)).filter((s) => used.has(s.id));
    transcript = { ...transcript, segments };
  }
  ctx.progress(0.97, 'saving the transcript');
  const engineVersion = versionWithModel(transcript.identity);
  const data = {
    assetId: asset.id,
    contentId: payload.contentId ?? null,
    language: transcript.language,
    engine: transcript.identity.engine,
    engineVersion,
    modelVersionId: vocabulary.modelVersionId,
    text: transcript.text,
    segments: transcript.segments as unknown as Prisma.InputJsonValue,
    speakers: speakers ? (speakers as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
    durationSec: transcript.durationSec,
    jobId: ctx.jobId,
  };
  const { id, replaced } = await db.$transaction(async (tx) => {
    // One writer per asset at a time, so two jobs with the same identity cannot both add a transcript.
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${transcriptLockKey(asset.id)}))`;
    const previous = await tx.transcript.findFirst({
      where: {
        assetId: asset.id,
        engine: data.engine,
        engineVersion,
        modelVersionId: data.modelVersionId,
        language: data.language,
      },
      orderBy: { createdAt: 'desc' },
      select: { id: true, contentId: true },
    });
    if (previous) {
      await tx.transcript.update({
        where: { id: previous.id },
        data: { ...data, contentId: data.contentId ?? previous.contentId, createdAt: new Date() },
      });
      return { id: previous.id, replaced: true };
    }
    const created = await tx.transcript.create({
      data: data,
      select: { id: true },
    });
    return { id: created.id, replaced: false };
  });
  const words = transcript.segments.reduce((n, s) => n + s.words.length, 0);
  ctx.log.info('transcribed', {
    assetId: asset.id,
    words,
    engineVersion,
    punctuation: punctuation && `${punctuation.identity.name}@${punctuation.identity.version}`,
    processingSec: transcript.processingSec,
  });
  return {
    status: words > 0 ? 'transcribed' : 'no-speech',
    assetId: asset.id,
    transcriptId: id,
    replaced,
    identity: { ...transcript.identity },
    modelVersionId: vocabulary.modelVersionId,
    ...(punctuation ? { punctuation: `${punctuation.identity.name}@${punctuation.identity.version}` } : {}),
    language: transcript.language,
    durationSec: transcript.durationSec,
    segments: transcript.segments.length,
    words,
    speakers: speakers?.length ?? 0,
    speakersMatched: speakers?.filter((s) => s.personId).length ?? 0,
    processingSec: transcript.processingSec,
    ...(words > 0 ? {} : { message: 'The recording decoded but no words were recognised' }),
  };
}

/** engineVersion stores the engine version and the language model: results of different models never mix. */
function versionWithModel(identity: ModelIdentity): string {
  return identity.model && identity.model !== identity.version
    ? `${identity.version}+${identity.model}`
    : identity.version;
}

function reportProgress(ctx: JobContext, p: TranscribeProgress): void {
  const message =
    p.stage === 'decoding'
      ? 'decoding the audio'
      : p.stage === 'done'
        ? 'recognised'
        : `recognising: ${Math.round(p.processedSec)} of ${Math.round(p.totalSec)} s`;
  ctx.progress(0.05 + 0.9 * p.fraction, message, {
    stage: p.stage,
    chunksDone: p.chunksDone,
    chunksTotal: p.chunksTotal,
    processedSec: Math.round(p.processedSec * 10) / 10,
    totalSec: Math.round(p.totalSec * 10) / 10,
    // The text of the chunk just recognised, for clients that show or stream the transcript as it comes.
    ...(p.chunk ? { chunkIndex: p.chunk.index, chunkText: p.chunk.text } : {}),
  });
}

/**
 * The newsroom vocabulary for this job: an explicit speech-lm version, else the ACTIVE one, for
 * pocketsphinx (its files fetched into the local cache); glossary spelling hints for HTTP engines.
 */
async function chooseVocabulary(
  db: TenantDb,
  ctx: JobContext,
  payload: Payload,
  engine: Recognizer,
): Promise<Vocabulary> {
  if (payload.useVocabulary === false && !payload.modelVersionId)
    return { modelVersionId: null, prompt: payload.prompt?.trim() || undefined };
  if (engine.id !== 'pocketsphinx') {
    if (payload.modelVersionId) {
      throw new PermanentJobError(
        `Newsroom language models apply to the pocketsphinx engine; this worker recognises with ${engine.id}. Leave modelVersionId unset.`,
      );
    }
    const iso = payload.language?.split('-')[0].toLowerCase();
    const terms = await db.glossaryTerm.findMany({
      where: iso ? { language: { in: ['', iso] } } : {},
      orderBy: { updatedAt: 'desc' },
      take: 200,
      select: { term: true, preferredSpelling: true },
    });
    const prompt = [
      [...new Set(terms.map((t) => t.preferredSpelling || t.term))].join(', ').slice(0, 800),
      payload.prompt?.trim() ?? '',
    ]
      .filter(Boolean)
      .join('. ');
    return { modelVersionId: null, prompt: prompt || undefined };
  }
  const version = payload.modelVersionId
    ? await db.modelVersion.findFirst({
        where: { id: payload.modelVersionId, area: SPEECH_AREA, name: SPEECH_LM },
      })
    : await db.modelVersion.findFirst({
        where: { area: SPEECH_AREA, name: SPEECH_LM, status: 'ACTIVE' },
        orderBy: { activatedAt: 'desc' },
      });
  if (!version) {
    if (payload.modelVersionId) {
      throw new PermanentJobError(
        `Model version ${payload.modelVersionId} is not a speech vocabulary (${SPEECH_LM}) of this newsroom`,
        'NOT_FOUND',
      );
    }
    return { modelVersionId: null };
  }
  if (version.status === 'FAILED' || version.status === 'TRAINING') {
    throw new PermanentJobError(
      `${SPEECH_LM} v${version.version} is ${version.status.toLowerCase()} and cannot be used`,
    );
  }
  const label = `${SPEECH_LM} v${version.version}`;
  ctx.progress(0.01, `loading ${label}`);
  const manifest = decodeManifest(version.artifact, label);
  const languageModel = await ensureModelFiles(getStorage(), ctx.newsroomId, version.id, manifest, label);
  return { languageModel, modelVersionId: version.id };
}

/** Enrolled voices the newsroom keeps at most for matching (the most recent). */
const MAX_ENROLLED_VOICES = 5000;

/** The diarized speakers, each named after the person whose enrolled voice matches it, if any. */
async function namedSpeakers(db: TenantDb, diarization: Diarization): Promise<TranscriptSpeaker[]> {
  const prints = await db.voicePrint.findMany({
    where: { method: VOICE_METHOD },
    orderBy: { createdAt: 'desc' },
    take: MAX_ENROLLED_VOICES,
    select: { personId: true, voice: true, person: { select: { name: true } } },
  });
  const enrolled = prints.flatMap((p) => (isVoiceModel(p.voice) ? [{ id: p.personId, voice: p.voice }] : []));
  const matches = matchVoices(diarization.speakers, enrolled);
  return transcriptSpeakers(diarization, matches, new Map(prints.map((p) => [p.personId, p.person.name])));
}
