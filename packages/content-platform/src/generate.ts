import {
  checkGeneratedText,
  createContentEngine,
  extractEntities,
  type ArticleInput,
  type ContentEngine,
  type EngineInfo,
  type EngineOutput,
  type GuardrailReport,
} from '@media-ai/content-gen';
import { DomainError } from '@media-ai/core';
import type { GeneratedKind, Prisma } from '@media-ai/db';
import type { RecordingLlm } from './llm.js';
import { modelIdentity } from './models.js';
import type { NewsroomGeneration } from './newsroom.js';
import type {
  ContentFallback,
  ContentOperation,
  GenerationOptions,
  GenerationSource,
  NewGeneratedItem,
} from './types.js';

/** "local:textrank", "local:tags", "llm:<model>": the engine column of GeneratedItem. */
export function engineLabel(e: EngineInfo): string {
  return e.kind === 'llm' ? `llm:${e.model ?? e.name}` : `local:${e.name.replace(/^local\//, '')}`;
}

/** Package version, plus the trained model's identity when one made the output ("0.1.0/summary-scorer@3"). */
export function engineVersionLabel(e: EngineInfo): string {
  return e.kind === 'local' && e.model ? `${e.version}/${e.model}` : e.version;
}

/** The guardrail report as stored: without the text (it is the item's output). */
export function storedReport(r: GuardrailReport): Prisma.InputJsonValue {
  const { text, original, ...rest } = r;
  return JSON.parse(
    JSON.stringify({ ...rest, ...(original !== text ? { original } : {}) }),
  ) as Prisma.InputJsonValue;
}

const json = (v: unknown) => JSON.parse(JSON.stringify(v ?? null)) as Prisma.InputJsonValue;

export interface GenerateContext {
  generation: NewsroomGeneration;
  /** The job's LLM wrapper; null: local engines only. */
  llm: RecordingLlm | null;
  signal?: AbortSignal;
  /** Called before each operation. */
  onOperation?: (operation: ContentOperation, index: number, total: number) => void;
}

export interface GenerateOutcome {
  items: NewGeneratedItem[];
  fallbacks: ContentFallback[];
}

/** Refuses what no engine can do before any work starts. */
export function checkOperations(options: GenerationOptions, generation: NewsroomGeneration): void {
  if (options.method === 'scorer' && !generation.scorer) {
    throw new DomainError(
      'BAD_USER_INPUT',
      'method SCORER needs an active trained summary scorer, and this newsroom has none: train one (trainSummaryScorer) or use LEAD or TEXTRANK',
    );
  }
}

export function buildEngine(generation: NewsroomGeneration, llm: RecordingLlm | null): ContentEngine {
  return createContentEngine({
    llm,
    ...(generation.scorer ? { scorer: generation.scorer.model } : {}),
    ...(generation.classifier ? { classifier: generation.classifier.model } : {}),
    glossary: generation.glossary,
    guardrails: { policy: generation.policy.guardrails, bannedTerms: generation.policy.bannedTerms },
  });
}

function sourceInfo(source: GenerationSource): Prisma.InputJsonValue {
  return json(
    source.contentId
      ? {
          contentId: source.contentId,
          title: source.title ?? null,
          language: source.language ?? null,
          chars: source.text.length,
          contentUpdatedAt: source.contentUpdatedAt?.toISOString() ?? null,
        }
      : { text: source.text, title: source.title ?? null, language: source.language ?? null },
  );
}

/** Runs the operations on one text with the newsroom's engines, models, glossary and policy; nothing is stored. */
export async function generateItems(
  source: GenerationSource,
  operations: readonly ContentOperation[],
  options: GenerationOptions,
  ctx: GenerateContext,
): Promise<GenerateOutcome> {
  const { generation, llm } = ctx;
  checkOperations(options, generation);
  const engine = buildEngine(generation, llm);
  const policy = generation.policy;
  const article: ArticleInput = {
    text: source.text,
    ...(source.title ? { title: source.title } : {}),
    ...(source.language ? { lang: source.language } : {}),
  };
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const items: NewGeneratedItem[] = [];
  const fallbacks: ContentFallback[] = [];
  const modelIds = new Map<string, string>();
  if (generation.scorer) modelIds.set(modelIdentity(generation.scorer.model), generation.scorer.id);
  if (generation.classifier)
    modelIds.set(modelIdentity(generation.classifier.model), generation.classifier.id);

  // Keywords, entities and tags come from the title too.
  const fullText = source.title ? `${source.title}\n\n${source.text}` : source.text;
  const guard = (text: string) =>
    checkGeneratedText(text, fullText, {
      policy: policy.guardrails,
      bannedTerms: policy.bannedTerms,
      glossary: generation.glossary,
      ...(source.language ? { lang: source.language } : {}),
    });

  const push = (
    operation: ContentOperation,
    out: EngineOutput<unknown>,
    kind: GeneratedKind,
    output: string,
    report: GuardrailReport,
    data: Record<string, unknown>,
    requestOptions: Record<string, unknown>,
  ) => {
    const engineInfo = out.engine;
    const rejected = report.action === 'reject';
    items.push({
      kind,
      engine: engineLabel(engineInfo),
      engineVersion: engineVersionLabel(engineInfo),
      prompt: engineInfo.kind === 'llm' ? (llm?.promptOf(operation) ?? null) : null,
      input: json({ operation, options: requestOptions, source: sourceInfo(source) }),
      output,
      outputData: json({
        ...data,
        engine: engineInfo,
        modelVersionId: engineInfo.model ? (modelIds.get(engineInfo.model) ?? null) : null,
        fallback: out.fallback ? { from: engineLabel(out.fallback.from), reason: out.fallback.reason } : null,
        ...(engineInfo.kind === 'llm' && out.usage ? { usage: out.usage, cost: out.cost ?? 0 } : {}),
        latencyMs: out.latencyMs,
      }),
      guardrails: storedReport(report),
      status: rejected ? 'REJECTED' : 'PENDING',
      decidedAt: rejected ? new Date() : null,
    });
  };

  for (const [index, operation] of operations.entries()) {
    ctx.onOperation?.(operation, index, operations.length);
    if (llm) llm.operation = operation;
    let out: EngineOutput<unknown>;
    switch (operation) {
      case 'summary': {
        const req = {
          ...(options.method ? { method: options.method } : {}),
          ...(options.maxSentences ? { maxSentences: options.maxSentences } : {}),
          ...((options.maxChars ?? policy.summaryMaxChars)
            ? { maxChars: options.maxChars ?? policy.summaryMaxChars! }
            : {}),
        };
        const o = await engine.summarize(article, { ...req, ...signal });
        out = o;
        push(
          operation,
          o,
          'SUMMARY',
          o.value.text,
          o.value.guardrails,
          {
            method: o.value.method,
            sentences: o.value.sentences ?? null,
          },
          req,
        );
        break;
      }
      case 'headlines': {
        const req = { count: options.count ?? 5, maxChars: options.maxChars ?? policy.headlineMaxChars };
        const o = await engine.headlines(article, { ...req, ...signal });
        out = o;
        o.value.forEach((h, rank) =>
          push(
            operation,
            o,
            'HEADLINE',
            h.text,
            h.guardrails,
            { rank: rank + 1, score: h.score ?? null },
            req,
          ),
        );
        break;
      }
      case 'social': {
        const req = {
          count: options.count ?? 3,
          maxChars: options.maxChars ?? policy.socialMaxChars,
          ...(options.url ? { url: options.url } : {}),
        };
        const o = await engine.social(article, { ...req, ...signal });
        out = o;
        o.value.forEach((p, rank) =>
          push(
            operation,
            o,
            'SOCIAL_POST',
            p.text,
            p.guardrails,
            { rank: rank + 1, length: p.length, hashtags: p.hashtags },
            req,
          ),
        );
        break;
      }
      case 'keywords': {
        const req = { max: options.count ?? 10 };
        const o = await engine.keywords(article, { ...req, ...signal });
        out = o;
        const keywords = o.value.map((k) => k.term).join(', ');
        push(operation, o, 'KEYWORDS', keywords, guard(keywords), { keywords: o.value }, req);
        // Entities always come from the local extractor (the LLM has no entity operation).
        const t0 = Date.now();
        const entities = extractEntities(fullText, {
          ...(source.language ? { lang: source.language } : {}),
        });
        const entityText = entities.map((e) => `${e.text} (${e.type})`).join('; ');
        const local: EngineInfo = { kind: 'local', name: 'local/entities', version: o.engine.version };
        push(
          operation,
          { value: entities, engine: local, latencyMs: Date.now() - t0 },
          'ENTITIES',
          entityText,
          guard(entities.map((e) => e.text).join('; ')),
          {
            entities: entities.map((e) => ({
              text: e.text,
              type: e.type,
              count: e.count,
              confidence: e.confidence,
              mentions: e.mentions.slice(0, 20),
            })),
          },
          {},
        );
        break;
      }
      case 'tags': {
        const req = { max: options.count ?? 10 };
        const o = await engine.tags(article, { ...req, ...signal });
        out = o;
        const tags = o.value.map((t) => t.tag).join(', ');
        push(operation, o, 'TAGS', tags, guard(tags), { tags: o.value }, req);
        break;
      }
      default: {
        const never: never = operation;
        throw new DomainError('BAD_USER_INPUT', `Unknown operation "${String(never)}"`);
      }
    }
    if (out.fallback) {
      fallbacks.push({
        operation,
        from: engineLabel(out.fallback.from),
        to: engineLabel(out.engine),
        reason: out.fallback.reason,
      });
    }
  }
  return { items, fallbacks };
}
