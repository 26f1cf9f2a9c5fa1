import {
  storeMediaAsset,
  type GeneratedGraphic,
  type MediaAsset,
  type Prisma,
  type TenantDb,
} from '@media-ai/db';
import { PermanentJobError, type JobContext } from '@media-ai/jobs';
import { isGraphicsError } from '@media-ai/graphics';
import { getStorage } from '../lib/deps.js';

export interface NewGraphic {
  bytes: Buffer;
  ext: string;
  mimeType: string;
  filename: string;
  type: 'card' | 'chart' | 'image';
  variant: string;
  /** The job payload that made it (running that job type on it makes it again). */
  inputs: unknown;
  render: unknown;
  aiGenerated: boolean;
  /** Extra asset metadata (an image's AI label). */
  metadata?: Record<string, unknown>;
}

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/**
 * Stores a graphic as an image asset (its inputs in the asset's metadata too) and its GeneratedGraphic
 * row. The same bytes give the same asset: a render whose inputs did not change is reported unchanged.
 */
export async function storeGraphic(
  db: TenantDb,
  ctx: JobContext,
  g: NewGraphic,
  regeneratedFrom: string | null,
): Promise<{ asset: MediaAsset; graphic: GeneratedGraphic; unchanged: boolean }> {
  const job = await db.job.findUnique({ where: { id: ctx.jobId }, select: { requesterId: true } });
  const { asset, duplicate } = await storeMediaAsset(db, getStorage(), {
    source: g.bytes,
    prefix: `${ctx.newsroomId}/derived/graphics/${g.type}`,
    ext: g.ext,
    filename: g.filename,
    mimeType: g.mimeType,
    kind: 'image',
    uploadedById: job?.requesterId ?? null,
    metadata: json({
      graphic: { type: g.type, variant: g.variant, inputs: g.inputs, jobId: ctx.jobId },
      ...(g.metadata ?? {}),
    }),
  });
  const data = {
    type: g.type,
    variant: g.variant,
    inputs: json(g.inputs),
    render: json(g.render),
    aiGenerated: g.aiGenerated,
    jobId: ctx.jobId,
  };
  const graphic = await db.generatedGraphic.upsert({
    where: { assetId: asset.id },
    create: {
      assetId: asset.id,
      regeneratedFrom: regeneratedFrom === asset.id ? null : regeneratedFrom,
      ...data,
    },
    update: data,
  });
  return { asset, graphic, unchanged: duplicate };
}

/** The payload as it is kept with the graphic: without regeneratedFrom (that is lineage, not input). */
export function inputsOf<T extends { regeneratedFrom?: string }>(payload: T): Omit<T, 'regeneratedFrom'> {
  const { regeneratedFrom: _lineage, ...inputs } = payload;
  return inputs;
}

/** Refused input fails at once with the package's code; provider trouble is retried. */
export function asJobError(error: unknown): unknown {
  if (isGraphicsError(error) && !error.retryable && error.code !== 'CANCELLED')
    return new PermanentJobError(error.message, error.code);
  return error;
}
