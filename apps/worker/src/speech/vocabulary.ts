import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { modelRegistry, type TenantDb } from '@media-ai/db';
import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import {
  buildNewsroomModel,
  clearNgramModelCache,
  isSpeechError,
  textToSentences,
  type GlossaryTerm,
  type NewsroomModel,
} from '@media-ai/speech';
import { putContentAddressed } from '@media-ai/storage';
import { getStorage } from '../lib/deps.js';
import {
  encodeManifest,
  SPEECH_AREA,
  SPEECH_LM,
  type SpeechLmManifest,
  type StoredModelFile,
} from '@media-ai/speech-platform';
import { articleText } from './text.js';

type Payload = PayloadOf<'speech.build-vocabulary'>;
type Result = ResultOf<'speech.build-vocabulary'>;

export const DEFAULT_MAX_ARTICLES = 2000;
export const MAX_ARTICLES = 20_000;

/**
 * Builds a newsroom language model from the newsroom's most recent English (or unlabelled) content
 * items and its glossary, stores its files in storage and registers it as a speech-lm ModelVersion:
 * ACTIVE when the newsroom has none active yet, else CANDIDATE (activateSpeechModel switches).
 */
export async function runBuildVocabulary(payload: Payload, ctx: JobContext): Promise<Result> {
  const started = performance.now();
  const db = ctx.db;
  const maxArticles = Math.min(
    MAX_ARTICLES,
    Math.max(1, Math.floor(payload.maxArticles ?? DEFAULT_MAX_ARTICLES)),
  );

  ctx.progress(0.02, 'reading articles and glossary');
  const items = await db.contentItem.findMany({
    where: { OR: [{ language: null }, { language: '' }, { language: { startsWith: 'en' } }] },
    orderBy: [{ publishedAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }],
    take: maxArticles,
    select: { title: true, body: true, createdAt: true, publishedAt: true },
  });
  const texts = items.map((i) => articleText(i.title, i.body)).filter(Boolean);
  const { glossary, ignored } = await readGlossary(db);
  const empty = (): Result => ({
    status: 'no-text',
    modelVersionId: null,
    version: null,
    modelStatus: null,
    modelId: null,
    articles: texts.length,
    glossaryTerms: glossary.length,
    ignoredPronunciations: ignored,
    metrics: {},
    buildSec: round((performance.now() - started) / 1000),
  });
  if (texts.length === 0 && glossary.length === 0) return empty();

  const outDir = await mkdtemp(path.join(os.tmpdir(), 'speech-lm-'));
  // The package gives no progress while it builds (20-60 s): a ticker shows the job is alive.
  const ticker = setInterval(() => {
    const sec = (performance.now() - started) / 1000;
    ctx.progress(Math.min(0.85, 0.05 + sec / 120), `building the language model (${Math.round(sec)} s)`);
  }, 3000);
  let model: NewsroomModel;
  try {
    try {
      model = await buildNewsroomModel({
        texts,
        glossary,
        outDir,
        name: SPEECH_LM,
        description: `${texts.length} content items and ${glossary.length} glossary terms of newsroom ${ctx.newsroomId}`,
      });
    } catch (error) {
      if (isSpeechError(error, 'EMPTY_TEXT')) return empty();
      if (isSpeechError(error, 'INVALID_INPUT') && typeof error.details['term'] === 'string') {
        throw new PermanentJobError(
          `${error.message}; fix or clear the pronunciation of glossary term "${error.details['term']}" with upsertGlossaryTerm`,
        );
      }
      throw error;
    } finally {
      clearInterval(ticker);
      // The general model (hundreds of MB) is only needed while building: free it in this warm thread.
      clearNgramModelCache();
    }
    ctx.progress(0.88, 'storing the model');
    const meta = model.metadata;
    const existing = await db.modelVersion.findFirst({
      where: {
        area: SPEECH_AREA,
        name: SPEECH_LM,
        status: { not: 'FAILED' },
        params: { path: ['modelId'], equals: meta.id },
      },
      orderBy: { version: 'desc' },
    });
    if (existing) {
      return {
        status: 'unchanged',
        modelVersionId: existing.id,
        version: existing.version,
        modelStatus: existing.status === 'TRAINING' || existing.status === 'FAILED' ? null : existing.status,
        modelId: meta.id,
        articles: texts.length,
        glossaryTerms: glossary.length,
        ignoredPronunciations: ignored,
        metrics: (existing.metrics ?? {}) as Record<string, number | null>,
        buildSec: round((performance.now() - started) / 1000),
      };
    }
    const storage = getStorage();
    const prefix = `${ctx.newsroomId}/derived/speech/models`;
    const store = async (file: string): Promise<StoredModelFile> => {
      const name = path.basename(file);
      const { key, bytes, sha256 } = await putContentAddressed(storage, prefix, file, path.extname(name));
      return { key, name, bytes, sha256 };
    };
    const manifest: SpeechLmManifest = {
      format: 'media-ai/speech-lm@1',
      modelId: meta.id,
      engine: 'pocketsphinx',
      files: {
        lm: await store(model.lmPath),
        dict: await store(model.dictPath),
        metadata: await store(model.metadataPath),
      },
    };
    const buildSec = round((performance.now() - started) / 1000);
    const [adapted1, adapted2, adapted3] = meta.counts.adapted;
    const metrics: Record<string, number | null> = {
      perplexityGeneral: meta.metrics.perplexityGeneral,
      perplexityAdapted: meta.metrics.perplexityAdapted,
      heldOutTokens: meta.metrics.heldOutTokens,
      heldOutOovRate: meta.metrics.heldOutOovRate,
      lambda: meta.params.lambda,
      texts: meta.data.texts,
      sentences: meta.data.sentences,
      tokens: meta.data.tokens,
      glossaryTerms: meta.data.glossaryTerms,
      inDomainWords: meta.vocabulary.inDomainWords,
      newWords: meta.vocabulary.newWords,
      unigrams: adapted1 ?? null,
      bigrams: adapted2 ?? null,
      trigrams: adapted3 ?? null,
      lmBytes: manifest.files.lm.bytes,
      dictBytes: manifest.files.dict.bytes,
      buildSec,
    };
    const params = {
      modelId: meta.id,
      hash: meta.version,
      order: meta.params.order,
      lambda: meta.params.lambda,
      lambdaSource: meta.params.lambdaSource,
      smoothing: meta.params.smoothing,
      glossaryWeight: meta.params.glossaryWeight,
      maxArticles,
      baseModel: 'pocketsphinx en-us (en-us.lm.bin, cmudict-en-us.dict)',
      pronunciations: meta.vocabulary.pronunciations,
      lmFormat: manifest.files.lm.name.endsWith('.bin') ? 'sphinx-binary' : 'arpa',
    };
    const dates = items.map((i) => (i.publishedAt ?? i.createdAt).getTime());
    // Through the registry's gate: ACTIVE only when the sentences, each scored by a model built without it
    // (5-fold), show by a paired bootstrap a higher probability per word than the general model that
    // serves without a vocabulary. A newer build that passes replaces the active one (newer articles).
    const held = model.heldOut ?? { general: [], adapted: [], words: [] };
    const perWord = (scores: number[]) => (indices: readonly number[]) => {
      let logProb = 0;
      let words = 0;
      for (const i of indices) {
        logProb += scores[i]!;
        words += held.words[i]!;
      }
      return words ? logProb / words : 0;
    };
    const { row: registered } = await modelRegistry(db, ctx.newsroomId).completeGated(
      { area: SPEECH_AREA, name: SPEECH_LM },
      null,
      {
        algorithm: `ngram${meta.params.order}-interpolated`,
        params,
        metrics,
        dataWindowStart: dates.length ? new Date(Math.min(...dates)) : null,
        dataWindowEnd: dates.length ? new Date(Math.max(...dates)) : null,
        artifact: encodeManifest(manifest),
        backend: 'pocketsphinx',
        trainingJobId: ctx.jobId,
        notes: `${meta.id}: ${texts.length} content items, ${glossary.length} glossary terms; files in storage under ${prefix}/ by sha256`,
      },
      {
        metric: 'log10ProbPerWord',
        against: 'general en-us model',
        candidate: held.adapted,
        reference: held.general,
        statistic: (side, indices) => perWord(side === 'candidate' ? held.adapted : held.general)(indices),
        ...(held.folds ? { folds: held.folds } : {}),
      },
    );
    ctx.log.info('speech vocabulary built', {
      modelId: meta.id,
      version: registered.version,
      status: registered.status,
      buildSec,
    });
    return {
      status: 'built',
      modelVersionId: registered.id,
      version: registered.version,
      modelStatus: registered.status === 'ACTIVE' ? 'ACTIVE' : 'CANDIDATE',
      modelId: meta.id,
      articles: texts.length,
      glossaryTerms: glossary.length,
      ignoredPronunciations: ignored,
      metrics,
      buildSec,
    };
  } finally {
    clearInterval(ticker);
    await rm(outDir, { recursive: true, force: true });
  }
}

/** English (or any-language) glossary terms; a pronunciation is used only for single-word terms. */
async function readGlossary(db: TenantDb): Promise<{ glossary: GlossaryTerm[]; ignored: string[] }> {
  const rows = await db.glossaryTerm.findMany({
    where: { language: { in: ['', 'en'] } },
    orderBy: { term: 'asc' },
    select: { term: true, preferredSpelling: true, pronunciation: true },
  });
  const glossary: GlossaryTerm[] = [];
  const ignored: string[] = [];
  for (const row of rows) {
    const term = (row.preferredSpelling || row.term).trim();
    if (!term) continue;
    const phones = row.pronunciation?.trim();
    if (phones && textToSentences(term).flat().length !== 1) {
      ignored.push(`${term}: a pronunciation applies to one word; this term has several`);
      glossary.push({ term });
    } else {
      glossary.push(phones ? { term, phones } : { term });
    }
  }
  return { glossary, ignored };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
