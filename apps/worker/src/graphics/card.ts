import type { Box } from '@media-ai/vision';
import { focusFromDetections, type FocusBox } from '@media-ai/vision';
import { renderCard, CARD_FORMATS } from '@media-ai/graphics';
import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import type { TenantDb } from '@media-ai/db';
import { getStorage } from '../lib/deps.js';
import { loadBrand } from './brand.js';
import { asJobError, inputsOf, storeGraphic } from './store.js';

type Payload = PayloadOf<'graphics.card'>;
type Result = ResultOf<'graphics.card'>;

/** The photo's bytes and what to keep in frame: its stored faces (as heads) and object tags. */
async function loadPhoto(db: TenantDb, assetId: string): Promise<{ bytes: Buffer; focus: FocusBox[] }> {
  const asset = await db.mediaAsset.findUnique({ where: { id: assetId } });
  if (!asset) {
    throw new PermanentJobError(
      `Photo ${assetId} does not exist in this newsroom (was it deleted?)`,
      'NOT_FOUND',
    );
  }
  if (asset.kind !== 'image') {
    throw new PermanentJobError(`Asset ${assetId} is not a photo (it is ${asset.kind}, ${asset.mimeType})`);
  }
  const [faces, tags] = await Promise.all([
    db.face.findMany({ where: { assetId }, select: { box: true } }),
    db.assetTag.findMany({
      where: { assetId, source: 'objects', box: { not: undefined } },
      select: { label: true, confidence: true, box: true },
    }),
  ]);
  const focus = focusFromDetections({
    faces: faces.map((f) => ({ box: f.box as unknown as Box })),
    objects: tags
      .filter((t) => t.box)
      .map((t) => ({ label: t.label, score: t.confidence, box: t.box as unknown as Box })),
  });
  return { bytes: await getStorage().readBuffer(asset.storageKey), focus };
}

const slug = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .slice(0, 6)
    .join('-') || 'card';

/**
 * Renders the social cards of one headline, one PNG per format, each stored as an image asset with the
 * inputs, the brand template and the layout it got (size, lines, cut or not).
 */
export async function runGraphicsCard(payload: Payload, ctx: JobContext): Promise<Result> {
  const db = ctx.db;
  ctx.progress(0.02, 'Loading the brand template and the photo');
  const { brand, logo, logoAssetId } = await loadBrand(db);
  const photo = payload.photoAssetId ? await loadPhoto(db, payload.photoAssetId) : null;
  const inputs = inputsOf(payload);
  const formats = [...new Set(payload.formats)];
  const cards: Result['cards'] = [];
  let crop: Result['crop'] = null;
  const t0 = performance.now();
  for (const [i, format] of formats.entries()) {
    if (ctx.signal.aborted) throw new Error('Cancelled');
    ctx.progress(
      0.05 + (0.9 * i) / formats.length,
      `Rendering the ${format} card (${CARD_FORMATS[format].width}×${CARD_FORMATS[format].height})`,
    );
    let card;
    try {
      card = await renderCard({
        format,
        headline: payload.headline,
        quote: payload.quote ?? null,
        byline: payload.byline ?? null,
        photo: photo?.bytes ?? null,
        focus: photo?.focus ?? [],
        logo,
        brand,
      });
    } catch (error) {
      throw asJobError(error);
    }
    if (card.crop) crop = { strategy: card.crop.strategy, coverage: card.crop.coverage ?? null };
    const { asset, graphic, unchanged } = await storeGraphic(
      db,
      ctx,
      {
        bytes: card.png,
        ext: 'png',
        mimeType: 'image/png',
        filename: `card-${format}-${slug(payload.headline)}.png`,
        type: 'card',
        variant: format,
        inputs: { ...inputs, formats: [format] },
        render: {
          brand,
          logoAssetId,
          fonts: card.fonts,
          headline: card.headline,
          quote: card.quote,
          byline: card.byline,
          crop: card.crop,
          renderMs: card.renderMs,
        },
        aiGenerated: false,
      },
      payload.regeneratedFrom ?? null,
    );
    cards.push({
      format,
      assetId: asset.id,
      graphicId: graphic.id,
      width: card.width,
      height: card.height,
      headlineSize: card.headline.size,
      truncated: card.headline.truncated,
      unchanged,
    });
  }
  ctx.progress(1, `${cards.length} card${cards.length === 1 ? '' : 's'} ready`);
  return { status: 'created', cards, crop, renderMs: Math.round(performance.now() - t0) };
}
