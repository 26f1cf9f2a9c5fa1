import { DomainError } from '@media-ai/core';
import type { GeneratedGraphic, MediaAsset, Prisma } from '@media-ai/db';
import type { JobName, PayloadOf } from '@media-ai/jobs';
import type { AuthedContext } from '../common/context.js';
import { paginate, type PageArgs } from '../common/pagination.js';
import { derivativeContentPath } from '@media-ai/db';
import type {
  BrandTemplateGQL,
  BrandTemplateInput,
  GenerateImageInput,
  GeneratedGraphicGQL,
  GraphicTypeGQL,
  GraphicsOptionsGQL,
  MakeChartInput,
  MakeSocialCardsInput,
  CardFormatGQL,
} from './graphics.types.js';

/** The job that makes each type of graphic (regenerateGraphic runs it again on the stored inputs). */
const JOB_OF: Record<string, JobName> = {
  card: 'graphics.card',
  chart: 'graphics.chart',
  image: 'graphics.image',
};

const SCRIPTS = 'Latin, Greek and Cyrillic, written left to right (no Arabic, Hebrew, Indic or CJK scripts)';

// The engine (fonts, sharp) loads only when a request needs it: the API stays light.
const graphics = () => import('@media-ai/graphics');

export class GraphicsService {
  constructor(private readonly ctx: AuthedContext) {}

  private get db() {
    return this.ctx.db;
  }

  private enqueue<N extends JobName>(name: N, payload: PayloadOf<N>, assetId?: string) {
    return this.ctx.services.jobs.enqueue(this.ctx.client.newsroomId, name, payload, {
      requesterId: this.ctx.client.id,
      ...(assetId ? { assetId } : {}),
    });
  }

  private async imageAsset(assetId: string, field: string): Promise<MediaAsset> {
    const asset = await this.ctx.loaders.asset.load(assetId);
    if (!asset) throw new DomainError('NOT_FOUND', `${field}: asset ${assetId} was not found`, { field });
    if (asset.kind !== 'image') {
      throw new DomainError(
        'BAD_USER_INPUT',
        `${field}: asset ${assetId} is not an image (it is ${asset.kind})`,
        {
          field,
        },
      );
    }
    return asset;
  }

  /** Text the brand's font cannot set is refused here, before a job is queued. */
  private async checkDrawable(texts: Array<[string, string | null | undefined]>, font: 'headline' | 'text') {
    const { loadFont, assertDrawable, isGraphicsError } = await graphics();
    const brand = await this.brand();
    const loaded = loadFont(font === 'headline' ? brand.headlineFont : brand.textFont, 'bold');
    for (const [field, text] of texts) {
      if (!text) continue;
      try {
        assertDrawable(loaded, text, field);
      } catch (error) {
        if (isGraphicsError(error)) throw new DomainError('BAD_USER_INPUT', error.message, { field });
        throw error;
      }
    }
  }

  async makeCards(input: MakeSocialCardsInput) {
    let headline = input.headline?.trim() ?? '';
    let photoAssetId = input.photoAssetId ?? null;
    if (input.contentId) {
      const content = await this.ctx.loaders.content.load(input.contentId);
      if (!content)
        throw new DomainError('NOT_FOUND', `Content item ${input.contentId} was not found`, {
          field: 'input.contentId',
        });
      headline ||= content.title;
      photoAssetId ??= content.assetId ?? null;
    }
    if (!headline)
      throw new DomainError('BAD_USER_INPUT', 'input.headline: write the headline to put on the cards', {
        field: 'input.headline',
      });
    if (photoAssetId) await this.imageAsset(photoAssetId, 'input.photoAssetId');
    await this.checkDrawable([['input.headline', headline]], 'headline');
    await this.checkDrawable(
      [
        ['input.quote', input.quote],
        ['input.byline', input.byline],
      ],
      'text',
    );
    return this.enqueue(
      'graphics.card',
      {
        headline,
        quote: input.quote?.trim() || null,
        byline: input.byline?.trim() || null,
        photoAssetId,
        contentId: input.contentId ?? null,
        formats: [...new Set(input.formats)] as PayloadOf<'graphics.card'>['formats'],
      },
      photoAssetId ?? undefined,
    );
  }

  async makeChart(input: MakeChartInput) {
    const given = [
      input.table ? 'table' : null,
      input.draftItemId ? 'draftItemId' : null,
      input.data != null ? 'data' : null,
    ].filter(Boolean);
    if (given.length !== 1) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'Give the numbers one way: table, or draftItemId with mapping, or data with mapping',
        { field: 'input.table' },
      );
    }
    let data: unknown = input.data ?? null;
    if (input.draftItemId) {
      const item = await this.db.generatedItem.findUnique({ where: { id: input.draftItemId } });
      if (!item)
        throw new DomainError('NOT_FOUND', `Draft ${input.draftItemId} was not found`, {
          field: 'input.draftItemId',
        });
      const stored = (item.input as { data?: unknown } | null)?.data;
      if (item.kind !== 'DRAFT' || stored === undefined) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `Generated item ${input.draftItemId} is not a data-to-text draft (it has no input data)`,
          { field: 'input.draftItemId' },
        );
      }
      data = stored;
    }
    if (data !== null && !input.mapping) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'input.mapping: say how to read the chart from the data, e.g. {items: "scorers", label: "player", values: [{field: "minute"}]}',
        { field: 'input.mapping' },
      );
    }
    const payload: PayloadOf<'graphics.chart'> = {
      kind: input.kind as PayloadOf<'graphics.chart'>['kind'],
      title: input.title.trim(),
      subtitle: input.subtitle?.trim() || null,
      source: input.source.trim(),
      unit: input.unit?.trim() || null,
      locale: input.locale ?? null,
      width: input.width ?? null,
      height: input.height ?? null,
      ...(input.table
        ? {
            table: input.table as unknown as NonNullable<PayloadOf<'graphics.chart'>['table']>,
            labelColumn: input.labelColumn ?? null,
            valueColumns: input.valueColumns ?? null,
          }
        : {
            data,
            mapping: input.mapping as PayloadOf<'graphics.chart'>['mapping'],
            draftItemId: input.draftItemId ?? null,
          }),
    };
    // The chart data is read here too, so a table or mapping that cannot work is refused before a job is queued.
    const { chartDataFromTable, chartDataFromRecords, isGraphicsError } = await graphics();
    try {
      const chartData = payload.table
        ? chartDataFromTable(payload.table, {
            ...(payload.labelColumn != null ? { labelColumn: payload.labelColumn } : {}),
            ...(payload.valueColumns?.length ? { valueColumns: payload.valueColumns } : {}),
          })
        : chartDataFromRecords(payload.data, payload.mapping!);
      await this.checkDrawable(
        [
          ['input.title', payload.title],
          ['input.subtitle', payload.subtitle],
          ['input.source', payload.source],
          ...chartData.categories.map((c) => [c.path, c.label] as [string, string]),
          ...chartData.series.map((s) => [s.path, s.name] as [string, string]),
        ],
        'text',
      );
    } catch (error) {
      if (isGraphicsError(error)) {
        const field = `input.${String(error.details.field ?? 'table')}`;
        throw new DomainError('BAD_USER_INPUT', error.message, { field });
      }
      if (error instanceof TypeError)
        throw new DomainError('BAD_USER_INPUT', `input.mapping: ${error.message}`, {
          field: 'input.mapping',
        });
      throw error;
    }
    return this.enqueue('graphics.chart', payload);
  }

  /** The image model when the API is configured with an image server, else null. */
  async imageModel(): Promise<string | null> {
    const c = this.ctx.services.config;
    return c.IMAGES_BASE_URL && c.IMAGES_MODEL ? c.IMAGES_MODEL : null;
  }

  async generateImage(input: GenerateImageInput) {
    if (!(await this.imageModel())) {
      throw new DomainError(
        'UNAVAILABLE',
        'No image server is configured: set IMAGES_BASE_URL and IMAGES_MODEL for the API and the worker',
      );
    }
    return this.enqueue('graphics.image', {
      prompt: input.prompt.trim(),
      size: input.size ?? null,
      quality: input.quality ?? null,
      style: input.style ?? null,
    });
  }

  /** Runs the job that made a graphic again on its stored inputs, with today's brand template. */
  async regenerate(assetId: string) {
    const row = await this.db.generatedGraphic.findUnique({ where: { assetId } });
    if (!row)
      throw new DomainError('NOT_FOUND', `Asset ${assetId} is not a generated graphic`, { field: 'assetId' });
    const job = JOB_OF[row.type];
    if (!job) throw new DomainError('BAD_USER_INPUT', `Graphics of type ${row.type} cannot be made again`);
    if (job === 'graphics.image' && !(await this.imageModel())) {
      throw new DomainError(
        'UNAVAILABLE',
        'No image server is configured: set IMAGES_BASE_URL and IMAGES_MODEL for the API and the worker',
      );
    }
    const inputs = row.inputs as Record<string, unknown>;
    if (
      row.type === 'card' &&
      typeof inputs.photoAssetId === 'string' &&
      !(await this.ctx.loaders.asset.load(inputs.photoAssetId))
    ) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `The card's photo ${inputs.photoAssetId} was deleted; make a new card instead`,
      );
    }
    // The stored inputs passed the job's schema once; the job service checks them again.
    return this.enqueue(job, { ...inputs, regeneratedFrom: assetId } as never, assetId);
  }

  list(type: GraphicTypeGQL | null, page: PageArgs) {
    const where: Prisma.GeneratedGraphicWhereInput = type ? { type } : {};
    return paginate(
      page,
      (q) =>
        this.db.generatedGraphic.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...q }),
      () => this.db.generatedGraphic.count({ where }),
    );
  }

  async one(assetId: string): Promise<GeneratedGraphic | null> {
    return this.db.generatedGraphic.findUnique({ where: { assetId } });
  }

  async toGQL(row: GeneratedGraphic): Promise<GeneratedGraphicGQL> {
    const render = (row.render ?? {}) as { alt?: { text?: string }; moderation?: { decision?: string } };
    return {
      id: row.id,
      assetId: row.assetId,
      type: row.type as GraphicTypeGQL,
      variant: row.variant,
      inputs: row.inputs,
      render: row.render,
      aiGenerated: row.aiGenerated,
      label: row.aiGenerated ? (await graphics()).AI_GENERATED_LABEL : null,
      altText: render.alt?.text ?? null,
      contentPath: `/v1/assets/${row.assetId}/content`,
      svgPath: row.type === 'chart' ? derivativeContentPath(row.assetId, 'chart-svg') : null,
      moderation: render.moderation?.decision ?? null,
      regeneratedFrom: row.regeneratedFrom,
      jobId: row.jobId,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  private async storedBrand(): Promise<Record<string, unknown> | null> {
    const { BRAND_SETTING } = await graphics();
    const newsroom = await this.db.newsroom.findUnique({
      where: { id: this.ctx.client.newsroomId },
      select: { settings: true },
    });
    const value = ((newsroom?.settings ?? {}) as Record<string, unknown>)[BRAND_SETTING];
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  }

  private async brand() {
    return (await graphics()).resolveBrand(await this.storedBrand());
  }

  async brandTemplate(): Promise<BrandTemplateGQL> {
    const stored = await this.storedBrand();
    const brand = (await graphics()).resolveBrand(stored);
    return {
      ...brand,
      logoAssetId: typeof stored?.logoAssetId === 'string' ? stored.logoAssetId : null,
      isDefault: !stored,
    };
  }

  /** Lays the given fields over the stored template; every problem is named, nothing is written on one. */
  async setBrandTemplate(input: BrandTemplateInput): Promise<BrandTemplateGQL> {
    const { brandProblems, BRAND_SETTING } = await graphics();
    const stored = (await this.storedBrand()) ?? {};
    const { logoAssetId, clearLogo, ...fields } = input;
    const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined));
    const problems = brandProblems(given);
    if (problems.length)
      throw new DomainError('BAD_USER_INPUT', `The brand template is invalid: ${problems.join('; ')}`, {
        problems,
      });
    const next: Record<string, unknown> = { ...stored, ...given };
    if (clearLogo) delete next.logoAssetId;
    else if (logoAssetId) {
      const logo = await this.imageAsset(logoAssetId, 'input.logoAssetId');
      if (!/^image\/(png|svg\+xml|jpeg|webp)$/.test(logo.mimeType))
        throw new DomainError(
          'BAD_USER_INPUT',
          `input.logoAssetId: the logo must be PNG, SVG, JPEG or WebP (it is ${logo.mimeType})`,
          { field: 'input.logoAssetId' },
        );
      next.logoAssetId = logoAssetId;
    }
    const newsroom = await this.db.newsroom.findUnique({
      where: { id: this.ctx.client.newsroomId },
      select: { settings: true },
    });
    const settings = (newsroom?.settings ?? {}) as Record<string, unknown>;
    await this.db.newsroom.update({
      where: { id: this.ctx.client.newsroomId },
      data: { settings: { ...settings, [BRAND_SETTING]: next } as Prisma.InputJsonValue },
    });
    return this.brandTemplate();
  }

  async options(): Promise<GraphicsOptionsGQL> {
    const { CARD_FORMATS, FONT_FAMILY_NAMES } = await graphics();
    return {
      cardFormats: Object.entries(CARD_FORMATS).map(([format, f]) => ({
        format: format as CardFormatGQL,
        width: f.width,
        height: f.height,
        use: f.use,
      })),
      fonts: FONT_FAMILY_NAMES,
      scripts: SCRIPTS,
      imageModel: await this.imageModel(),
    };
  }
}
