import { DomainError, isDomainError } from '@media-ai/core';
import { htmlToText } from '@media-ai/text';
import { Prisma, type GeneratedItem, type Job, type ReviewStatus } from '@media-ai/db';
import type { AuthedContext } from '../common/context.js';
import { paginate, type PageArgs } from '../common/pagination.js';
import type { GeneratedItemFilter, GenerationInput, GenerationOptionsInput } from './generation.types.js';
import { ReviewDecision } from './generation.types.js';
import {
  activeContentModel,
  applyAccepted,
  generateItems,
  llmConfig,
  loadContentSource,
  loadNewsroomGeneration,
  MAX_SYNC_CHARS,
  storeGeneratedItems,
  SUMMARY_SCORER,
  type ContentOperation,
  type GenerationOptions,
  type GenerationSource,
  type NewGeneratedItem,
  type NewsroomGeneration,
  undoApplied,
  type AppliedChange,
} from './pipeline.js';

interface Plan {
  source: GenerationSource;
  options: GenerationOptions;
  inline: boolean;
}

/** Most text a batch of inputs (summarizeBatch) carries in all. */
export const MAX_BATCH_CHARS = 200_000;

export interface GenerationOutcome {
  items: GeneratedItem[];
  job: Job | null;
}

const MAX_EDIT_CHARS = 100_000;

function toOptions(o: GenerationOptionsInput | undefined): GenerationOptions {
  if (!o) return {};
  return {
    ...(o.engine ? { engine: o.engine } : {}),
    ...(o.method ? { method: o.method } : {}),
    ...(o.maxSentences ? { maxSentences: o.maxSentences } : {}),
    ...(o.maxChars ? { maxChars: o.maxChars } : {}),
    ...(o.count ? { count: o.count } : {}),
    ...(o.url ? { url: o.url } : {}),
  };
}

/** Most items one bulk review decides. */
export const MAX_BULK_REVIEW = 100;

export interface SourceText {
  contentId: string | null;
  title: string | null;
  text: string;
  language: string | null;
}

export interface BulkReviewResult {
  id: string;
  item: GeneratedItem | null;
  code: string | null;
  error: string | null;
}

/** Generation for the caller's newsroom: inline for short texts with the local engines, else as jobs. */
export class GenerationService {
  constructor(private readonly ctx: AuthedContext) {}

  private get db() {
    return this.ctx.db;
  }

  /** The LLM model the API is configured with (LLM_BASE_URL + LLM_MODEL), or null. */
  llmModel(): string | null {
    return llmConfig(this.ctx.services.config)?.model ?? null;
  }

  async generate(operations: ContentOperation[], input: GenerationInput): Promise<GenerationOutcome> {
    const { source, options, inline } = await this.plan(input);
    if (inline) {
      const generation = await loadNewsroomGeneration(
        this.db,
        source.language ? { language: source.language } : {},
      );
      const outcome = await generateItems(source, operations, options, { generation, llm: null });
      const items = await storeGeneratedItems(this.db, outcome.items, {
        contentId: source.contentId ?? null,
      });
      return { items, job: null };
    }
    return { items: [], job: await this.enqueue(operations, source, options) };
  }

  /**
   * Many inputs in one call, answered in their order: the short local ones generated at once with the
   * newsroom's settings read once per language and their items stored in one write per linked item; the
   * others (long texts, the LLM, runAsJob) queued as one job each. Nothing is stored when an input is wrong.
   */
  async generateMany(
    operations: ContentOperation[],
    inputs: GenerationInput[],
  ): Promise<GenerationOutcome[]> {
    const total = inputs.reduce((n, input) => n + (input.text?.length ?? 0), 0);
    if (total > MAX_BATCH_CHARS) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `The inputs have ${total.toLocaleString('en')} characters of text in all; a batch takes at most ${MAX_BATCH_CHARS.toLocaleString('en')}. ` +
          'Split the list, or store the texts as content and use generateForContent.',
        { length: total, limit: MAX_BATCH_CHARS },
      );
    }
    const plans: Plan[] = [];
    for (const [index, input] of inputs.entries()) {
      try {
        plans.push(await this.plan(input));
      } catch (error) {
        if (!isDomainError(error)) throw error;
        throw new DomainError(error.code, `inputs[${index}]: ${error.message}`, { ...error.details, index });
      }
    }
    const generations = new Map<string, Promise<NewsroomGeneration>>();
    const generationFor = (language: string | undefined) => {
      const key = language ?? '';
      let found = generations.get(key);
      if (!found) {
        found = loadNewsroomGeneration(this.db, language ? { language } : {});
        generations.set(key, found);
      }
      return found;
    };
    const produced: { index: number; contentId: string | null; items: NewGeneratedItem[] }[] = [];
    for (const [index, { source, options, inline }] of plans.entries()) {
      if (!inline) continue;
      const generation = await generationFor(source.language);
      try {
        const outcome = await generateItems(source, operations, options, { generation, llm: null });
        produced.push({ index, contentId: source.contentId ?? null, items: outcome.items });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        throw new DomainError(error.code, `inputs[${index}]: ${error.message}`, { ...error.details, index });
      }
    }
    const outcomes = new Array<GenerationOutcome>(inputs.length);
    const byLink = new Map<string | null, typeof produced>();
    for (const p of produced) byLink.set(p.contentId, [...(byLink.get(p.contentId) ?? []), p]);
    for (const [contentId, group] of byLink) {
      const stored = await storeGeneratedItems(
        this.db,
        group.flatMap((p) => p.items),
        { contentId },
      );
      let at = 0;
      for (const p of group) {
        outcomes[p.index] = { items: stored.slice(at, at + p.items.length), job: null };
        at += p.items.length;
      }
    }
    for (const [index, { source, options, inline }] of plans.entries()) {
      if (!inline) outcomes[index] = { items: [], job: await this.enqueue(operations, source, options) };
    }
    return outcomes;
  }

  /** Where the text comes from, the options, and whether it is generated at once or queued. */
  private async plan(input: GenerationInput): Promise<Plan> {
    const options = toOptions(input.options);
    if (!input.contentId === (input.text === undefined || input.text === null)) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'Give either contentId (a stored content item) or text, not both and not neither',
      );
    }
    let source: GenerationSource;
    if (input.contentId) {
      source = await loadContentSource(this.db, input.contentId);
    } else {
      const text = (input.text ?? '').trim();
      if (!text) throw new DomainError('BAD_USER_INPUT', 'text is empty: there is nothing to generate from');
      source = {
        text,
        ...(input.title ? { title: input.title } : {}),
        ...(input.language ? { language: input.language } : {}),
      };
    }
    const llmModel = this.llmModel();
    if (options.engine === 'llm' && !llmModel) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'No LLM is configured (set LLM_BASE_URL and LLM_MODEL for the API and the worker); use engine LOCAL or AUTO',
      );
    }
    const useLlm = options.engine === 'llm' || (options.engine !== 'local' && llmModel !== null);
    const inline = !useLlm && !input.options?.runAsJob && source.text.length <= MAX_SYNC_CHARS;
    // What the job would refuse, refused now.
    if (!inline && options.method === 'scorer' && !(await activeContentModel(this.db, SUMMARY_SCORER))) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'method SCORER needs an active trained summary scorer, and this newsroom has none: train one (trainSummaryScorer) or use LEAD or TEXTRANK',
      );
    }
    return { source, options, inline };
  }

  private enqueue(operations: ContentOperation[], source: GenerationSource, options: GenerationOptions) {
    return this.ctx.services.jobs.enqueue(
      this.ctx.client.newsroomId,
      'content.generate',
      {
        operations,
        options,
        ...(source.contentId
          ? { contentId: source.contentId }
          : {
              source: {
                text: source.text,
                ...(source.title ? { title: source.title } : {}),
                ...(source.language ? { language: source.language } : {}),
              },
            }),
      },
      { requesterId: this.ctx.client.id, contentId: source.contentId ?? null },
    );
  }

  async generateForContent(
    contentIds: string[],
    operations: ContentOperation[],
    options: GenerationOptionsInput | undefined,
  ): Promise<Job> {
    const opts = toOptions(options);
    if (opts.engine === 'llm' && !this.llmModel()) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'No LLM is configured (set LLM_BASE_URL and LLM_MODEL for the API and the worker); use engine LOCAL or AUTO',
      );
    }
    const ids = [...new Set(contentIds)];
    const found = await this.db.contentItem.count({ where: { id: { in: ids } } });
    if (found === 0) throw new DomainError('NOT_FOUND', 'None of the content items was found');
    return this.ctx.services.jobs.enqueue(
      this.ctx.client.newsroomId,
      'content.generate-batch',
      { contentIds: ids, operations: [...new Set(operations)], options: opts },
      { requesterId: this.ctx.client.id },
    );
  }

  list(page: PageArgs, f: GeneratedItemFilter | undefined) {
    const where: Prisma.GeneratedItemWhereInput = {
      ...(f?.status?.length ? { status: { in: f.status } } : {}),
      ...(f?.kind?.length ? { kind: { in: f.kind } } : {}),
      ...(f?.contentId ? { contentId: f.contentId } : {}),
      ...(f?.jobId ? { jobId: f.jobId } : {}),
      ...(f?.engine ? { engine: { startsWith: f.engine } } : {}),
      ...(f?.flagged !== undefined && f?.flagged !== null
        ? { guardrails: { path: ['passed'], equals: !f.flagged } }
        : {}),
    };
    return paginate(
      page,
      (q) =>
        this.db.generatedItem.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...q }),
      () => this.db.generatedItem.count({ where }),
    );
  }

  async get(id: string): Promise<GeneratedItem> {
    const row = await this.db.generatedItem.findFirst({ where: { id } });
    if (!row) throw new DomainError('NOT_FOUND', `Generated item ${id} was not found`);
    return row;
  }

  /**
   * An editor's decision, recorded with who and when. ACCEPT/EDIT applies the text to the content item
   * (applyAccepted: a headline becomes the title, a summary the summary, keywords and tags are added to
   * the tags, a translation writes the linked translated item) in the same transaction, and keeps what it
   * changed so that undoReview can put it back.
   */
  async review(
    id: string,
    decision: ReviewDecision,
    editedOutput: string | null | undefined,
  ): Promise<GeneratedItem> {
    const item = await this.get(id);
    if (item.status !== 'PENDING') {
      throw new DomainError(
        'CONFLICT',
        `Generated item ${id} was already decided (${item.status.toLowerCase()}${item.decidedAt ? ` at ${item.decidedAt.toISOString()}` : ''}); only PENDING items can be decided — undo the decision (undoReview) or generate again`,
      );
    }
    const edited = editedOutput?.trim();
    if (decision === ReviewDecision.EDIT) {
      if (!edited)
        throw new DomainError(
          'BAD_USER_INPUT',
          'EDIT needs editedOutput: the text to use instead of the output',
        );
      if (edited.length > MAX_EDIT_CHARS)
        throw new DomainError('BAD_USER_INPUT', `editedOutput must be at most ${MAX_EDIT_CHARS} characters`);
    } else if (editedOutput !== undefined && editedOutput !== null) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `editedOutput goes with EDIT only (the decision was ${decision})`,
      );
    }
    const status: ReviewStatus =
      decision === ReviewDecision.ACCEPT
        ? 'ACCEPTED'
        : decision === ReviewDecision.EDIT
          ? 'EDITED'
          : 'REJECTED';
    const final = decision === ReviewDecision.EDIT ? edited! : item.output;
    const row = await this.db.$transaction(async (tx) => {
      const claimed = await tx.generatedItem.updateMany({
        where: { id, status: 'PENDING' },
        data: {
          status,
          editedOutput: decision === ReviewDecision.EDIT ? final : null,
          decidedById: this.ctx.client.id,
          decidedAt: new Date(),
        },
      });
      if (claimed.count === 0)
        throw new DomainError('CONFLICT', `Generated item ${id} was decided by someone else a moment ago`);
      const change = status === 'REJECTED' ? null : await applyAccepted(tx, item, final);
      if (change) {
        await tx.generatedItem.updateMany({
          where: { id },
          data: { appliedChange: change as unknown as Prisma.InputJsonValue },
        });
      }
      return tx.generatedItem.findFirstOrThrow({ where: { id } });
    });
    this.forgetContent(row);
    return row;
  }

  /**
   * Takes a decision back: what the accept changed is restored (a translation it created is deleted) and
   * the item is PENDING again. Refused (CONFLICT) when the content was changed since the accept.
   */
  async undoReview(id: string): Promise<GeneratedItem> {
    const item = await this.get(id);
    if (item.status === 'PENDING') {
      throw new DomainError(
        'CONFLICT',
        `Generated item ${id} has not been decided: there is nothing to undo`,
      );
    }
    const row = await this.db.$transaction(async (tx) => {
      const claimed = await tx.generatedItem.updateMany({
        where: { id, status: item.status, decidedAt: item.decidedAt },
        data: {
          status: 'PENDING',
          editedOutput: null,
          decidedById: null,
          decidedAt: null,
          appliedChange: Prisma.DbNull,
        },
      });
      if (claimed.count === 0)
        throw new DomainError('CONFLICT', `Generated item ${id} was changed by someone else a moment ago`);
      const change = item.appliedChange as AppliedChange | null;
      if (change) await undoApplied(tx, change);
      return tx.generatedItem.findFirstOrThrow({ where: { id } });
    });
    this.forgetContent(item);
    return row;
  }

  /**
   * Decides many items the same way, each on its own (one that cannot be decided does not stop the
   * others), in the order given. EDIT needs a text per item: decide those one by one.
   */
  async reviewMany(ids: string[], decision: ReviewDecision): Promise<BulkReviewResult[]> {
    if (decision === ReviewDecision.EDIT) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'Bulk review takes ACCEPT or REJECT; EDIT needs its own text per item',
      );
    }
    const unique = [...new Set(ids)];
    if (unique.length === 0)
      throw new DomainError('BAD_USER_INPUT', 'ids must list at least one generated item');
    if (unique.length > MAX_BULK_REVIEW) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `ids lists ${unique.length} items; a bulk review takes at most ${MAX_BULK_REVIEW}. Split the list.`,
        { limit: MAX_BULK_REVIEW },
      );
    }
    const results: BulkReviewResult[] = [];
    for (const id of unique) {
      try {
        results.push({ id, item: await this.review(id, decision, undefined), code: null, error: null });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        results.push({ id, item: null, code: error.code, error: error.message });
      }
    }
    return results;
  }

  /** The text an item was generated from: its content item as it is now, or the text given inline. */
  async sourceOf(item: GeneratedItem): Promise<SourceText | null> {
    if (item.contentId) {
      const content = await this.ctx.loaders.content.load(item.contentId);
      if (content) {
        return {
          contentId: content.id,
          title: content.title,
          text: htmlToText(content.body),
          language: content.language,
        };
      }
    }
    const given = (item.input as { source?: { text?: unknown; title?: unknown; language?: unknown } } | null)
      ?.source;
    if (!given || typeof given.text !== 'string') return null;
    return {
      contentId: null,
      title: typeof given.title === 'string' ? given.title : null,
      text: given.text,
      language: typeof given.language === 'string' ? given.language : null,
    };
  }

  /** The request's loaders must not answer a content item as it was before the decision changed it. */
  private forgetContent(item: GeneratedItem) {
    const change = item.appliedChange as AppliedChange | null;
    for (const id of [item.contentId, change?.translationId]) if (id) this.ctx.loaders.content.clear(id);
  }
}
