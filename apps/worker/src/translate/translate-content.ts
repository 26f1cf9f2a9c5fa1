import type { ContentItem, TenantDb } from '@media-ai/db';
import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import { isTranslateError, parseLanguage, type DocumentFormat, type LanguageTag } from '@media-ai/translate';
import {
  guessFormat,
  identifyLanguage,
  languageTag,
  saveTranslation,
  translateForNewsroom,
  TranslationEngines,
  translationEnv,
} from '@media-ai/translate-platform';
import { workerConfig } from '../lib/deps.js';

type Payload = PayloadOf<'translate.content'>;
type Result = ResultOf<'translate.content'>;
type Outcome = Result['translations'][number];

/** Longest body a job translates (the API takes bodies up to 2,000,000 characters). */
const MAX_BODY_CHARS = 2_000_000;
const FORMATS: readonly DocumentFormat[] = ['text', 'html', 'markdown'];

/** This thread's engines: Apertium pipelines stay warm from one job to the next. */
const engines = new TranslationEngines(() => translationEnv(workerConfig()));

/**
 * translate.content: the item's title, summary and body into each target language, each stored as a
 * ContentItem linked to the original (same type, category, tags, asset); run again, it updates them.
 */
export async function translateContent(payload: Payload, ctx: JobContext): Promise<Result> {
  const targets = checkPayload(payload);
  const db = ctx.db;
  const item = await db.contentItem.findUnique({ where: { id: payload.contentId } });
  if (!item)
    throw new PermanentJobError(
      `Content item ${payload.contentId} was not found (deleted after the job was queued?)`,
      'NOT_FOUND',
    );
  const format = payload.format ?? guessFormat(item.body);
  const source = await sourceLanguage(payload, item, format);
  const registry = engines.get();
  ctx.progress(
    0,
    `Translating from ${source.name} into ${targets.length} language${targets.length === 1 ? '' : 's'}`,
  );

  const translations: Outcome[] = [];
  for (const [index, target] of targets.entries()) {
    if (ctx.signal.aborted)
      throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('Aborted');
    const language = languageTag(target);
    const skipped = (status: Outcome['status'], message: string): Outcome => ({
      language,
      status,
      contentId: null,
      engine: null,
      provider: null,
      route: [],
      sentences: 0,
      memoryHits: 0,
      glossaryApplied: 0,
      doNotTranslateApplied: 0,
      message,
    });
    if (target.iso3 === source.iso3) {
      translations.push(skipped('SAME_LANGUAGE', `The item is already in ${source.name}`));
      continue;
    }
    try {
      await registry.engineFor(source.iso3, language);
    } catch (error) {
      if (!isTranslateError(error, 'UNSUPPORTED_PAIR')) throw error;
      translations.push(skipped('UNSUPPORTED', error.message));
      continue;
    }
    const report = (fraction: number, done: number, total: number) =>
      ctx.progress(
        Math.min(1, (index + fraction) / targets.length),
        `${target.name} (${index + 1} of ${targets.length}): ${done} of ${total} sentences`,
        { language, index, done, total },
      );
    const common = {
      db,
      registry,
      from: source.iso3,
      to: language,
      fuzzyMatch: workerConfig().TRANSLATE_FUZZY_MATCH,
    };
    const title = await translateForNewsroom({ ...common, text: item.title, format: 'text' });
    const summary = item.summary?.trim()
      ? await translateForNewsroom({ ...common, text: item.summary, format: 'text' })
      : null;
    const body = item.body.trim()
      ? await translateForNewsroom({
          ...common,
          text: item.body,
          format,
          maxChars: MAX_BODY_CHARS,
          onProgress: ({ done, total }) =>
            report(0.05 + 0.95 * (total === 0 ? 1 : done / total), done, total),
        })
      : null;
    const parts = [title, summary, body].filter((p) => p !== null);
    const text = {
      title: title.text,
      summary: summary ? summary.text : item.summary,
      body: body ? body.text : item.body,
    };
    const main = body ?? title;
    const route = main.stats.route.map((iso3) => languageTag(iso3));
    let saved: { id: string; created: boolean } | null = null;
    let proposed: string | null = null;
    if (payload.review) {
      proposed = await proposeTranslation(db, ctx.jobId, item, {
        language,
        sourceLanguage: languageTag(source),
        format,
        text,
        engine: main.stats.engine,
        provider: main.provider,
        route,
      });
    } else {
      saved = await saveTranslation(db, item, target, text);
    }
    translations.push({
      language,
      status: saved ? (saved.created ? 'CREATED' : 'UPDATED') : 'PROPOSED',
      contentId: saved?.id ?? null,
      ...(proposed ? { generatedItemId: proposed } : {}),
      engine: main.stats.engine,
      provider: main.provider,
      route,
      sentences: sum(parts, (p) => p.stats.sentences),
      memoryHits: sum(parts, (p) => p.stats.memoryHits),
      glossaryApplied: sum(parts, (p) => p.stats.glossaryApplied),
      doNotTranslateApplied: sum(parts, (p) => p.stats.doNotTranslateApplied),
      message: null,
    });
    report(1, main.stats.sentences, main.stats.sentences);
    ctx.log.info('translated content item', {
      contentId: item.id,
      language,
      translationId: saved?.id ?? null,
      generatedItemId: proposed,
      engine: main.stats.engine,
    });
  }
  return { originalId: item.id, sourceLanguage: languageTag(source), format, translations };
}

function checkPayload(payload: Payload): LanguageTag[] {
  if (!payload || typeof payload.contentId !== 'string' || payload.contentId === '') {
    throw new PermanentJobError('The payload needs contentId, the content item to translate');
  }
  if (!Array.isArray(payload.targetLanguages) || payload.targetLanguages.length === 0) {
    throw new PermanentJobError('The payload needs targetLanguages, e.g. ["es", "ca"]');
  }
  if (payload.format !== undefined && !FORMATS.includes(payload.format)) {
    throw new PermanentJobError(`format must be one of ${FORMATS.join(', ')}`);
  }
  const targets = new Map<string, LanguageTag>();
  for (const code of payload.targetLanguages) {
    const tag = parseLanguage(String(code));
    targets.set(languageTag(tag), tag);
  }
  return [...targets.values()];
}

async function sourceLanguage(
  payload: Payload,
  item: ContentItem,
  format: DocumentFormat,
): Promise<LanguageTag> {
  const given = payload.sourceLanguage ?? item.language;
  if (given) return parseLanguage(given);
  const detected = await identifyLanguage(`${item.title}\n\n${item.body}`, format);
  return parseLanguage(detected.iso3);
}

/**
 * A translation waiting for an editor: a TRANSLATION generated item whose output is the translated body
 * (the title and summary in its outputData); accepting it writes the translated content item.
 */
async function proposeTranslation(
  db: TenantDb,
  jobId: string,
  original: ContentItem,
  p: {
    language: string;
    sourceLanguage: string;
    format: DocumentFormat;
    text: { title: string; summary: string | null; body: string };
    engine: string;
    provider: string | null;
    route: string[];
  },
): Promise<string> {
  // Written here rather than through the content pipeline, which this thread does not load.
  const stored = await db.generatedItem.create({
    data: {
      contentId: original.id,
      jobId,
      kind: 'TRANSLATION',
      engine: `translate:${p.engine}`,
      engineVersion: p.provider ?? p.engine,
      input: {
        operation: 'translate',
        targetLanguage: p.language,
        sourceLanguage: p.sourceLanguage,
        source: { contentId: original.id, title: original.title, language: p.sourceLanguage },
      },
      output: p.text.body || p.text.title,
      outputData: {
        language: p.language,
        sourceLanguage: p.sourceLanguage,
        format: p.format,
        title: p.text.title,
        summary: p.text.summary,
        body: p.text.body,
        provider: p.provider,
        route: p.route,
      },
    },
    select: { id: true },
  });
  return stored.id;
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}
