import { z } from 'zod';
import { defineJob } from '../define.js';

// Jobs of the graphics area. Names, queue and the string values below are persisted: never rename them.

export type CardFormat = 'og' | 'square' | 'portrait' | 'story';
export type ChartKind = 'bar' | 'column' | 'line';

/** Every graphics job can name the asset it re-makes (regenerateGraphic sets it). */
interface Regenerates {
  regeneratedFrom?: string;
}

export interface GraphicsCardPayload extends Regenerates {
  headline: string;
  quote?: string | null;
  byline?: string | null;
  /** The article's photo (an image asset); its stored faces and objects steer the crop. */
  photoAssetId?: string | null;
  /** The article the card is for (kept with the card). */
  contentId?: string | null;
  formats: CardFormat[];
}

export interface GraphicsCardResult {
  status: 'created';
  cards: Array<{
    format: CardFormat;
    assetId: string;
    graphicId: string;
    width: number;
    height: number;
    headlineSize: number;
    truncated: boolean;
    /** The same bytes existed already (nothing changed since the last render). */
    unchanged: boolean;
  }>;
  crop: { strategy: string; coverage: number | null } | null;
  renderMs: number;
}

export interface GraphicsChartPayload extends Regenerates {
  kind: ChartKind;
  title: string;
  subtitle?: string | null;
  source: string;
  unit?: string | null;
  locale?: string | null;
  width?: number | null;
  height?: number | null;
  /** A table: header and rows. */
  table?: { columns: string[]; rows: Array<Array<string | number | null>> } | null;
  labelColumn?: string | number | null;
  valueColumns?: Array<string | number> | null;
  /** Or JSON data (a data-to-text draft's input) and how to read the chart from it. */
  data?: unknown;
  mapping?:
    | { items: string; label: string; values: Array<{ field: string; name?: string }> }
    | { fields: Array<{ path: string; label?: string }>; seriesName: string }
    | null;
  /** The data-to-text draft (GeneratedItem) the data came from. */
  draftItemId?: string | null;
}

export interface GraphicsChartResult {
  status: 'created';
  assetId: string;
  graphicId: string;
  svgKind: 'chart-svg';
  width: number;
  height: number;
  altText: string;
  /** Numbers of the description traced to the input / not traced (expected 0). */
  tracedNumbers: number;
  untracedNumbers: number;
  unchanged: boolean;
  renderMs: number;
}

export interface GraphicsImagePayload extends Regenerates {
  prompt: string;
  /** As the image server accepts it, e.g. 1024x1024. */
  size?: string | null;
  quality?: string | null;
  style?: string | null;
}

export interface GraphicsImageResult {
  /** refused: moderation blocked the image and it was not kept; flagged: kept, waiting for review. */
  status: 'created' | 'flagged' | 'refused';
  assetId: string | null;
  graphicId: string | null;
  model: string;
  revisedPrompt: string | null;
  moderation: {
    decision: 'allow' | 'flag' | 'block';
    reasons: Array<{ className: string; score: number; action: string }>;
  };
  usage: { inputTokens: number; outputTokens: number } | null;
  costUsd: number;
  generateMs: number;
}

const uuid = z.string().uuid();
const text = (max: number) => z.string().trim().min(1).max(max);
const regenerates = { regeneratedFrom: uuid.optional() };
const cell = z.union([z.string().max(200), z.number(), z.null()]);

export const graphicsJobs = {
  'graphics.card': defineJob<GraphicsCardPayload, GraphicsCardResult>()({
    name: 'graphics.card',
    queue: 'graphics',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        headline: text(300),
        quote: z.string().max(400).nullish(),
        byline: z.string().max(120).nullish(),
        photoAssetId: uuid.nullish(),
        contentId: uuid.nullish(),
        formats: z
          .array(z.enum(['og', 'square', 'portrait', 'story']))
          .min(1)
          .max(4),
        ...regenerates,
      })
      .passthrough(),
    options: { attempts: 2, backoffMs: 5_000, timeoutMs: 5 * 60_000 },
    description:
      "Renders social cards: the headline (and quote, byline) over a smart crop of the photo in the newsroom's brand template, one PNG per platform size.",
  }),
  'graphics.chart': defineJob<GraphicsChartPayload, GraphicsChartResult>()({
    name: 'graphics.chart',
    queue: 'graphics',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        kind: z.enum(['bar', 'column', 'line']),
        title: text(200),
        subtitle: z.string().max(300).nullish(),
        source: text(200),
        unit: z.string().max(20).nullish(),
        locale: z.string().max(35).nullish(),
        width: z.number().int().min(320).max(2400).nullish(),
        height: z.number().int().min(240).max(2400).nullish(),
        table: z
          .object({
            columns: z.array(z.string().max(100)).min(2).max(9),
            rows: z.array(z.array(cell)).min(1).max(60),
          })
          .nullish(),
        labelColumn: z.union([z.string(), z.number().int()]).nullish(),
        valueColumns: z
          .array(z.union([z.string(), z.number().int()]))
          .max(8)
          .nullish(),
        data: z.unknown().optional(),
        mapping: z
          .union([
            z.object({
              items: z.string().min(1),
              label: z.string().min(1),
              values: z
                .array(z.object({ field: z.string().min(1), name: z.string().optional() }))
                .min(1)
                .max(8),
            }),
            z.object({
              fields: z
                .array(z.object({ path: z.string().min(1), label: z.string().optional() }))
                .min(1)
                .max(60),
              seriesName: z.string().min(1),
            }),
          ])
          .nullish(),
        draftItemId: uuid.nullish(),
        ...regenerates,
      })
      .passthrough()
      .refine((p) => !!p.table !== (p.data !== undefined && p.data !== null), {
        message: 'give either table or data with mapping',
        path: ['table'],
      })
      .refine((p) => !p.table || !p.mapping, {
        message: 'mapping goes with data, not with table',
        path: ['mapping'],
      })
      .refine((p) => p.data === undefined || p.data === null || !!p.mapping, {
        message: 'data needs a mapping (items, label, values or fields, seriesName)',
        path: ['mapping'],
      }),
    options: { attempts: 2, backoffMs: 5_000, timeoutMs: 5 * 60_000 },
    description:
      'Draws a bar, column or line chart from a table or from draft data: PNG asset with an SVG twin, source line and a description whose numbers are traced to the input.',
  }),
  'graphics.image': defineJob<GraphicsImagePayload, GraphicsImageResult>()({
    name: 'graphics.image',
    queue: 'graphics',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        prompt: text(4000),
        size: z
          .string()
          .regex(/^\d{2,4}x\d{2,4}$/, 'size is WIDTHxHEIGHT, e.g. 1024x1024')
          .nullish(),
        quality: z.string().max(20).nullish(),
        style: z.string().max(20).nullish(),
        ...regenerates,
      })
      .passthrough(),
    options: { attempts: 3, backoffMs: 10_000, timeoutMs: 10 * 60_000 },
    description:
      'Generates an image with the configured OpenAI-compatible image server, checks it with the moderation model and stores it labelled AI-generated.',
  }),
};
