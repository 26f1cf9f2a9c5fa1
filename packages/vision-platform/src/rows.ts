import type { Prisma, TenantDb } from '@media-ai/db';
import type { ModelRef } from './constants.js';

/*
 * Rows <-> engine: how the vision engines' results are stored (ImageAnalysis, Derivative, Face
 * descriptors) and how stored rows read back, for the API and the worker alike.
 */

/** One row per asset and kind, replaced by the latest run, with the model that made it. */
export function upsertAnalysis(
  db: TenantDb,
  row: { assetId: string; kind: string; model: ModelRef; result: unknown; jobId: string },
) {
  const data = {
    model: row.model.name,
    modelVersion: row.model.version,
    result: row.result as Prisma.InputJsonValue,
    jobId: row.jobId,
    createdAt: new Date(),
  };
  return db.imageAnalysis.upsert({
    where: { assetId_kind: { assetId: row.assetId, kind: row.kind } },
    create: { assetId: row.assetId, kind: row.kind, ...data },
    update: data,
  });
}

export function upsertDerivative(
  db: TenantDb,
  row: {
    assetId: string;
    kind: string;
    storageKey: string;
    mimeType: string;
    width: number;
    height: number;
    sizeBytes: number;
  },
) {
  const { assetId, kind, ...data } = row;
  return db.derivative.upsert({
    where: { assetId_kind: { assetId, kind } },
    create: { assetId, kind, ...data },
    update: { ...data, createdAt: new Date() },
  });
}

/** The model of a stored analysis. */
export const modelRefOf = (row: { model: string; modelVersion: string }): ModelRef => ({
  name: row.model,
  version: row.modelVersion,
});

/** 128 float32 values, little-endian, as Face.descriptor stores them. */
export function encodeDescriptor(descriptor: ArrayLike<number>): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(descriptor.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < descriptor.length; i++) view.setFloat32(i * 4, descriptor[i]!, true);
  return bytes;
}

export function decodeDescriptor(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export interface TagCount {
  label: string;
  count: number;
  maxConfidence: number;
  confidentCount: number;
  lowConfidence: boolean;
}

/** An image's tags merged per label (person x4 is one row), most found first, then most confident. */
export function mergeTags(
  rows: readonly { label: string; confidence: number }[],
  minConfidence: number,
): TagCount[] {
  const byLabel = new Map<string, Omit<TagCount, 'lowConfidence'>>();
  for (const r of rows) {
    const key = r.label.toLowerCase();
    const t = byLabel.get(key) ?? { label: r.label, count: 0, maxConfidence: 0, confidentCount: 0 };
    t.count++;
    t.maxConfidence = Math.max(t.maxConfidence, r.confidence);
    if (r.confidence >= minConfidence) t.confidentCount++;
    byLabel.set(key, t);
  }
  return [...byLabel.values()]
    .map((t) => ({ ...t, lowConfidence: t.confidentCount === 0 }))
    .sort(
      (a, b) =>
        Number(a.lowConfidence) - Number(b.lowConfidence) ||
        b.count - a.count ||
        b.maxConfidence - a.maxConfidence,
    );
}

export interface OcrLine<B> {
  text: string;
  confidence: number;
  box: B | null;
  lowConfidence: boolean;
}

/** A stored OCR result, its lines below minConfidence (0 to 100) flagged lowConfidence. */
export function readOcr<B>(result: unknown, minConfidence: number) {
  const r = (result ?? {}) as { text?: string; confidence?: number; lines?: unknown };
  const lines = (Array.isArray(r.lines) ? r.lines : []) as {
    text?: unknown;
    confidence?: unknown;
    box?: unknown;
  }[];
  const textLines: OcrLine<B>[] = lines.map((l) => ({
    text: typeof l.text === 'string' ? l.text : '',
    confidence: typeof l.confidence === 'number' ? l.confidence : 0,
    box: (l.box as B | undefined) ?? null,
    lowConfidence: !(typeof l.confidence === 'number' && l.confidence >= minConfidence),
  }));
  return {
    text: r.text ?? '',
    confidence: r.confidence ?? 0,
    lines: r.lines ?? [],
    textLines,
    confidentText: textLines
      .filter((l) => !l.lowConfidence)
      .map((l) => l.text)
      .join('\n'),
  };
}
