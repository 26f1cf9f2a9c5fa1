import { chartDataFromRecords, chartDataFromTable, renderChart, type ChartData } from '@media-ai/graphics';
import type { JobContext, PayloadOf, ResultOf } from '@media-ai/jobs';
import { getStorage } from '../lib/deps.js';
import { derivedKey, upsertAnalysis, upsertDerivative } from '@media-ai/vision-platform';
import { loadBrand } from './brand.js';
import { asJobError, inputsOf, storeGraphic } from './store.js';

type Payload = PayloadOf<'graphics.chart'>;
type Result = ResultOf<'graphics.chart'>;

export const CHART_SVG_KIND = 'chart-svg';
/** Identity of the chart description, stored as the image's alt text analysis. */
export const CHART_DESCRIPTION_MODEL = { name: 'media-ai/chart-description', version: '1' };

/**
 * Draws a chart from a table or draft data: the PNG becomes an image asset (inputs kept), the SVG its
 * `chart-svg` derivative, the description its alt text with each number's input path.
 */
export async function runGraphicsChart(payload: Payload, ctx: JobContext): Promise<Result> {
  const db = ctx.db;
  ctx.progress(0.05, 'Reading the data');
  const { brand } = await loadBrand(db);
  let rendered;
  try {
    const data: ChartData = payload.table
      ? chartDataFromTable(payload.table, {
          ...(payload.labelColumn != null ? { labelColumn: payload.labelColumn } : {}),
          ...(payload.valueColumns?.length ? { valueColumns: payload.valueColumns } : {}),
        })
      : chartDataFromRecords(payload.data, payload.mapping!);
    ctx.progress(0.2, `Drawing the ${payload.kind} chart`);
    rendered = await renderChart(
      {
        kind: payload.kind,
        title: payload.title,
        subtitle: payload.subtitle ?? null,
        source: payload.source,
        unit: payload.unit ?? null,
        data,
        ...(payload.width ? { width: payload.width } : {}),
        ...(payload.height ? { height: payload.height } : {}),
        ...(payload.locale ? { locale: payload.locale } : {}),
      },
      brand,
    );
  } catch (error) {
    throw asJobError(error);
  }
  ctx.progress(0.8, 'Storing the chart');
  const { asset, graphic, unchanged } = await storeGraphic(
    db,
    ctx,
    {
      bytes: rendered.png,
      ext: 'png',
      mimeType: 'image/png',
      filename: `chart-${payload.kind}-${payload.title
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, '-')
        .slice(0, 40)}.png`,
      type: 'chart',
      variant: payload.kind,
      inputs: inputsOf(payload),
      render: { brand, fonts: rendered.fonts, alt: rendered.alt, renderMs: rendered.renderMs },
      aiGenerated: false,
    },
    payload.regeneratedFrom ?? null,
  );
  const svg = Buffer.from(rendered.svg);
  const key = derivedKey(ctx.newsroomId, asset.id, CHART_SVG_KIND, 'svg');
  await getStorage().putBuffer(key, svg);
  await upsertDerivative(db, {
    assetId: asset.id,
    kind: CHART_SVG_KIND,
    storageKey: key,
    mimeType: 'image/svg+xml',
    width: rendered.width,
    height: rendered.height,
    sizeBytes: svg.length,
  });
  await upsertAnalysis(db, {
    assetId: asset.id,
    kind: 'altText',
    model: CHART_DESCRIPTION_MODEL,
    result: { text: rendered.alt.text, provenance: rendered.alt.provenance, untraced: rendered.alt.untraced },
    jobId: ctx.jobId,
  });
  ctx.progress(1, 'Chart ready');
  return {
    status: 'created',
    assetId: asset.id,
    graphicId: graphic.id,
    svgKind: CHART_SVG_KIND,
    width: rendered.width,
    height: rendered.height,
    altText: rendered.alt.text,
    tracedNumbers: rendered.alt.provenance.length,
    untracedNumbers: rendered.alt.untraced.length,
    unchanged,
    renderMs: rendered.renderMs,
  };
}
