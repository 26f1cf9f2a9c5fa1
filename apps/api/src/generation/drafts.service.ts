import {
  CONTENT_GEN_VERSION,
  DEFAULT_TEMPLATES,
  TemplateError,
  checkGeneratedText,
  getDefaultTemplate,
  renderDraft,
  schemaFromSample,
  validateTemplate,
  type Draft,
  type DraftTemplate as EngineTemplate,
  type FieldSchema,
  type GuardrailIssue,
  type TemplateIssue,
} from '@media-ai/content-gen';
import { DomainError } from '@media-ai/core';
import type { DraftTemplate, GeneratedItem, Prisma } from '@media-ai/db';
import type { AuthedContext } from '../common/context.js';
import { paginate, type PageArgs } from '../common/pagination.js';
import type { RenderDraftArgs, UpsertDraftTemplateArgs } from './generation.types.js';
import { loadGenerationPolicy, loadGlossary, storeGeneratedItems, storedReport } from './pipeline.js';
import { setNewsroomSetting } from './settings.js';

/** Newsroom.settings key recording that the default templates were given (so deleting them all is respected). */
const SEEDED_KEY = 'draftTemplatesSeededAt';

const DEFAULT_KINDS: Record<string, string> = {
  'sports-result': 'sports',
  'company-earnings': 'earnings',
  'election-results': 'election',
  'weather-forecast': 'weather',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "line 3, column 14: unknown field 'revnue' (did you mean 'revenue'?)" */
function describe(issues: readonly TemplateIssue[]): string {
  return issues
    .slice(0, 10)
    .map((i) => (i.line > 0 ? `line ${i.line}, column ${i.column}: ${i.message}` : i.message))
    .join('; ');
}

function issuesDetail(issues: readonly TemplateIssue[]) {
  return issues.map((i) => ({
    code: i.code,
    severity: i.severity,
    message: i.message,
    line: i.line,
    column: i.column,
    path: i.path ?? null,
  }));
}

/** The engine's template for a stored row: the default template's field schema when the name is a default's. */
function engineTemplate(row: DraftTemplate, schema?: FieldSchema): EngineTemplate {
  const def = getDefaultTemplate(row.name);
  return {
    id: row.name,
    name: row.name,
    version: String(row.version),
    description: row.description ?? '',
    source: row.body,
    schema: schema ?? def?.schema ?? 'any',
    sample: def?.sample ?? {},
  };
}

export class DraftService {
  constructor(private readonly ctx: AuthedContext) {}

  private get db() {
    return this.ctx.db;
  }

  /** Gives a newsroom the default templates (sports, earnings, election, weather) the first time it uses drafts. */
  async ensureDefaults(): Promise<void> {
    const newsroom = await this.db.newsroom.findFirst({ select: { settings: true } });
    const settings = (newsroom?.settings ?? {}) as Record<string, unknown>;
    if (settings[SEEDED_KEY]) return;
    if ((await this.db.draftTemplate.count()) === 0) {
      await this.db.draftTemplate.createMany({
        data: DEFAULT_TEMPLATES.map((t) => ({
          name: t.id,
          kind: DEFAULT_KINDS[t.id] ?? t.id,
          body: t.source,
          description: `${t.name}: ${t.description}`,
        })),
        skipDuplicates: true,
      });
    }
    await setNewsroomSetting(this.db, this.ctx.client.newsroomId, SEEDED_KEY, new Date().toISOString());
  }

  async list(page: PageArgs, kind: string | undefined) {
    await this.ensureDefaults();
    const where: Prisma.DraftTemplateWhereInput = kind ? { kind } : {};
    return paginate(
      page,
      (q) =>
        this.db.draftTemplate.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...q }),
      () => this.db.draftTemplate.count({ where }),
    );
  }

  async find(nameOrId: string): Promise<DraftTemplate> {
    await this.ensureDefaults();
    const row = await this.db.draftTemplate.findFirst({
      where: UUID.test(nameOrId) ? { id: nameOrId } : { name: nameOrId },
    });
    if (!row) {
      const names = await this.db.draftTemplate.findMany({
        select: { name: true },
        orderBy: { name: 'asc' },
        take: 50,
      });
      throw new DomainError(
        'NOT_FOUND',
        `Draft template "${nameOrId}" was not found${names.length ? `; templates: ${names.map((n) => n.name).join(', ')}` : ''}`,
      );
    }
    return row;
  }

  /** Checks a template: errors and warnings with line and column. */
  validate(body: string, sampleData: unknown, name?: string) {
    const schema =
      sampleData !== undefined && sampleData !== null
        ? schemaFromSample(sampleData)
        : name
          ? getDefaultTemplate(name)?.schema
          : undefined;
    const result = validateTemplate(body, schema ? { schema } : {});
    const issues = [...result.issues];
    if (sampleData !== undefined && sampleData !== null && !issues.some((i) => i.severity === 'error')) {
      try {
        renderDraft(
          {
            ...engineTemplate(
              { name: name ?? 'draft', body, description: null, version: 1 } as DraftTemplate,
              schema,
            ),
          },
          sampleData,
        );
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        issues.push(...e.issues);
      }
    }
    return { ok: !issues.some((i) => i.severity === 'error'), issues: issuesDetail(issues) };
  }

  async upsert(args: UpsertDraftTemplateArgs): Promise<DraftTemplate> {
    await this.ensureDefaults();
    const check = this.validate(args.body, args.sampleData, args.name);
    const errors = check.issues.filter((i) => i.severity === 'error');
    if (errors.length) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `The template has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${describe(errors as TemplateIssue[])}`,
        { issues: check.issues },
      );
    }
    const existing = await this.db.draftTemplate.findFirst({ where: { name: args.name } });
    if (existing) {
      return this.db.draftTemplate.update({
        where: { id: existing.id },
        data: {
          kind: args.kind,
          body: args.body,
          description: args.description ?? existing.description,
          version: existing.version + 1,
        },
      });
    }
    return this.db.draftTemplate.create({
      data: {
        name: args.name,
        kind: args.kind,
        body: args.body,
        description: args.description ?? null,
      },
    });
  }

  async delete(id: string): Promise<boolean> {
    const { count } = await this.db.draftTemplate.deleteMany({ where: { id } });
    if (!count) throw new DomainError('NOT_FOUND', `Draft template ${id} was not found`);
    return true;
  }

  /** Renders a draft, traces its numbers to the data, checks it and stores it for review (kind DRAFT). */
  async render(
    args: RenderDraftArgs,
  ): Promise<Omit<Draft, 'template'> & { template: DraftTemplate; item: GeneratedItem }> {
    const row = await this.find(args.template);
    if (args.data === null || typeof args.data !== 'object' || Array.isArray(args.data)) {
      throw new DomainError('BAD_USER_INPUT', 'data must be a JSON object with the fields the template uses');
    }
    if (args.contentId && !(await this.ctx.loaders.content.load(args.contentId))) {
      throw new DomainError('NOT_FOUND', `Content item ${args.contentId} was not found`);
    }
    let draft: Draft;
    try {
      draft = renderDraft(engineTemplate(row), args.data);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      throw new DomainError(
        'BAD_USER_INPUT',
        `The draft could not be rendered from template "${row.name}": ${describe(e.issues)}`,
        {
          issues: issuesDetail(e.issues),
        },
      );
    }
    const [policy, glossary] = await Promise.all([loadGenerationPolicy(this.db), loadGlossary(this.db)]);
    // Numbers are checked by provenance (each must come from the data), not against a source text.
    const report = checkGeneratedText(draft.text, '', {
      policy: policy.guardrails,
      bannedTerms: policy.bannedTerms,
      glossary,
      checkNumbers: false,
      checkEntities: false,
      applySpellings: false,
    });
    const untracedIssues: GuardrailIssue[] = draft.untraced.map((u) => ({
      kind: 'unsupported_number',
      severity: 'error',
      message: `number "${u.text}" was not produced from the data (it is written in the template)`,
      text: u.text,
      start: u.start,
      end: u.end,
    }));
    const passed = report.passed && untracedIssues.length === 0;
    const guardrails = {
      ...report,
      issues: [...report.issues, ...untracedIssues],
      unsupportedNumbers: draft.untraced.map((u) => u.text),
      passed,
      action: passed ? ('pass' as const) : policy.guardrails,
    };
    const rejected = guardrails.action === 'reject';
    const [item] = await storeGeneratedItems(
      this.db,
      [
        {
          kind: 'DRAFT',
          engine: `template:${row.name}`,
          engineVersion: `${CONTENT_GEN_VERSION}/${row.name}@${row.version}`,
          prompt: row.body,
          templateId: row.id,
          input: JSON.parse(
            JSON.stringify({ template: row.name, templateVersion: row.version, data: args.data }),
          ) as Prisma.InputJsonValue,
          output: draft.text,
          outputData: JSON.parse(
            JSON.stringify({ provenance: draft.provenance, untraced: draft.untraced }),
          ) as Prisma.InputJsonValue,
          guardrails: storedReport(guardrails),
          status: rejected ? 'REJECTED' : 'PENDING',
          decidedAt: rejected ? new Date() : null,
        },
      ],
      { contentId: args.contentId ?? null },
    );
    return { ...draft, template: row, item: item! };
  }
}
