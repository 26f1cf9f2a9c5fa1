import { isDomainError } from '@media-ai/core';
import type { TenantDb } from '@media-ai/db';
import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import { workerConfig } from '../lib/deps.js';
import {
  CONTENT_OPERATIONS,
  generateItems,
  llmConfig,
  loadContentSource,
  loadNewsroomGeneration,
  MAX_JOB_CHARS,
  RecordingLlm,
  sharedLlmProvider,
  storeGeneratedItems,
  storeLlmUsage,
  usageTotals,
  type ContentFallback,
  type ContentOperation,
  type EngineChoice,
  type GenerationOptions,
  type GenerationSource,
  type NewsroomGeneration,
} from '@media-ai/content-platform';

/** Bad input found by the shared pipeline (DomainError) must not be retried. */
async function permanentOnBadInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isDomainError(e) && (e.code === 'BAD_USER_INPUT' || e.code === 'NOT_FOUND')) {
      throw new PermanentJobError(e.message, e.code);
    }
    throw e;
  }
}

function checkOperations(operations: unknown): ContentOperation[] {
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new PermanentJobError(`operations must list one or more of ${CONTENT_OPERATIONS.join(', ')}`);
  }
  for (const op of operations) {
    if (!CONTENT_OPERATIONS.includes(op as ContentOperation)) {
      throw new PermanentJobError(`Unknown operation "${String(op)}"; use ${CONTENT_OPERATIONS.join(', ')}`);
    }
  }
  return [...new Set(operations as ContentOperation[])];
}

/**
 * The job's LLM (a recording wrapper around the thread's shared provider) or null for the local engines.
 * Tokens go out as job progress {token, operation}: jobProgress and generationTokens subscribers see them.
 */
function jobLlm(
  engine: EngineChoice | undefined,
  ctx: JobContext,
  fraction: () => number,
): RecordingLlm | null {
  if (engine === 'local') return null;
  const config = llmConfig(workerConfig());
  if (!config) {
    if (engine === 'llm') {
      throw new PermanentJobError(
        'engine LLM was asked for but the worker has no LLM configured (set LLM_BASE_URL and LLM_MODEL)',
      );
    }
    return null;
  }
  let n = 0;
  return new RecordingLlm(sharedLlmProvider(config), (operation, token) =>
    ctx.progress(fraction(), `${operation}: generating`, { operation, token, index: n++ }),
  );
}

interface RunState {
  fraction: number;
}

async function generateOne(
  db: TenantDb,
  source: GenerationSource,
  operations: ContentOperation[],
  options: GenerationOptions,
  generation: NewsroomGeneration,
  ctx: JobContext,
  llm: RecordingLlm | null,
  span: { from: number; to: number },
  state: RunState,
) {
  const outcome = await generateItems(source, operations, options, {
    generation,
    llm,
    signal: ctx.signal,
    onOperation: (operation, i, total) => {
      state.fraction = span.from + ((span.to - span.from) * i) / total;
      ctx.progress(state.fraction, `${operation} (${i + 1}/${total})`, { operation });
    },
  });
  const rows = await storeGeneratedItems(db, outcome.items, {
    contentId: source.contentId ?? null,
    jobId: ctx.jobId,
  });
  return { rows, fallbacks: outcome.fallbacks };
}

export async function runGenerate(
  payload: PayloadOf<'content.generate'>,
  ctx: JobContext,
): Promise<ResultOf<'content.generate'>> {
  const db = ctx.db;
  const operations = checkOperations(payload.operations);
  const options = payload.options ?? {};
  if (!payload.contentId === !payload.source) {
    throw new PermanentJobError('Give exactly one of contentId and source {text, title, language}');
  }
  const source: GenerationSource = payload.contentId
    ? await permanentOnBadInput(() => loadContentSource(db, payload.contentId!))
    : {
        text: payload.source!.text ?? '',
        ...(payload.source!.title ? { title: payload.source!.title } : {}),
        ...(payload.source!.language ? { language: payload.source!.language } : {}),
      };
  if (!source.text.trim())
    throw new PermanentJobError('The text is empty: there is nothing to generate from');
  if (source.text.length > MAX_JOB_CHARS) {
    throw new PermanentJobError(
      `The text has ${source.text.length} characters; a job takes at most ${MAX_JOB_CHARS}`,
    );
  }
  const state: RunState = { fraction: 0.02 };
  const llm = jobLlm(options.engine, ctx, () => state.fraction);
  ctx.progress(
    0.02,
    `loading the newsroom's models and glossary (${llm ? `LLM ${llm.model}` : 'local engines'})`,
  );
  const generation = await loadNewsroomGeneration(db, source.language ? { language: source.language } : {});
  try {
    const { rows, fallbacks } = await permanentOnBadInput(() =>
      generateOne(db, source, operations, options, generation, ctx, llm, { from: 0.05, to: 0.95 }, state),
    );
    for (const f of fallbacks)
      ctx.log.warn(`${f.operation}: ${f.from} failed, ${f.to} answered`, { reason: f.reason });
    return {
      contentId: source.contentId ?? null,
      items: rows.map((r) => ({ id: r.id, kind: r.kind, engine: r.engine, status: r.status })),
      fallbacks,
      llm: usageTotals(llm?.records() ?? []),
    };
  } finally {
    // Tokens were spent even when the job failed later: account for them.
    await storeLlmUsage(db, llm?.records() ?? [], ctx.jobId);
  }
}

export async function runGenerateBatch(
  payload: PayloadOf<'content.generate-batch'>,
  ctx: JobContext,
): Promise<ResultOf<'content.generate-batch'>> {
  const db = ctx.db;
  const operations = checkOperations(payload.operations);
  const options = payload.options ?? {};
  const ids = [...new Set(payload.contentIds ?? [])];
  if (!ids.length) throw new PermanentJobError('contentIds must list at least one content item');
  const state: RunState = { fraction: 0 };
  const llm = jobLlm(options.engine, ctx, () => state.fraction);
  const generations = new Map<string, NewsroomGeneration>();
  const contents: ResultOf<'content.generate-batch'>['contents'] = [];
  const fallbacks: ContentFallback[] = [];
  let items = 0;
  try {
    for (const [i, contentId] of ids.entries()) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      state.fraction = i / ids.length;
      ctx.progress(state.fraction, `content ${i + 1} of ${ids.length}`, { contentId });
      // A retried batch keeps what its earlier try stored.
      const done = await db.generatedItem.count({ where: { jobId: ctx.jobId, contentId } });
      if (done) {
        items += done;
        contents.push({
          contentId,
          status: 'GENERATED',
          items: done,
          message: 'generated by an earlier try of this job',
        });
        continue;
      }
      let source: GenerationSource;
      try {
        source = await loadContentSource(db, contentId);
      } catch (e) {
        if (!isDomainError(e)) throw e;
        contents.push({
          contentId,
          status: e.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'EMPTY',
          items: 0,
          message: e.message,
        });
        continue;
      }
      const lang = source.language ?? '';
      let generation = generations.get(lang);
      if (!generation) {
        generation = await loadNewsroomGeneration(db, lang ? { language: lang } : {});
        generations.set(lang, generation);
      }
      const span = { from: i / ids.length, to: (i + 1) / ids.length };
      const out = await permanentOnBadInput(() =>
        generateOne(db, source, operations, options, generation, ctx, llm, span, state),
      );
      items += out.rows.length;
      fallbacks.push(...out.fallbacks);
      contents.push({ contentId, status: 'GENERATED', items: out.rows.length, message: null });
    }
  } finally {
    await storeLlmUsage(db, llm?.records() ?? [], ctx.jobId);
  }
  return { contents, items, fallbacks: fallbacks.length, llm: usageTotals(llm?.records() ?? []) };
}
