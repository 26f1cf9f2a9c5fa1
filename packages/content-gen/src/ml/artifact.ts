/**
 * Trained-model artifacts for the platform's model registry: {name, version, params, metrics} plus weights,
 * serialised as UTF-8 JSON with Float32Arrays stored as base64 (exact round trip).
 */
export const ARTIFACT_FORMAT = 'media-ai.content-gen.model/v1';

export type ModelKind = 'sentence-scorer' | 'topic-classifier';

export interface ModelArtifact<K extends ModelKind = ModelKind, P = unknown, D = unknown> {
  format: typeof ARTIFACT_FORMAT;
  kind: K;
  name: string;
  version: string;
  createdAt: string;
  params: P;
  metrics: Record<string, number>;
  data: D;
}

export class ModelFormatError extends Error {
  readonly code = 'MODEL_FORMAT';
}

export function serializeModel(model: ModelArtifact<ModelKind, unknown, unknown>): Buffer {
  const json = JSON.stringify(model, (_key, value: unknown) =>
    value instanceof Float32Array
      ? { $f32: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') }
      : value,
  );
  return Buffer.from(json, 'utf8');
}

export function deserializeModel<K extends ModelKind>(
  input: Buffer | string,
  expectedKind: K,
): ModelArtifact<K> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      typeof input === 'string' ? input : input.toString('utf8'),
      (_key, value: unknown) => {
        if (
          value &&
          typeof value === 'object' &&
          '$f32' in value &&
          typeof (value as { $f32: unknown }).$f32 === 'string'
        ) {
          const bytes = Buffer.from((value as { $f32: string }).$f32, 'base64');
          const copy = new Uint8Array(bytes.byteLength);
          copy.set(bytes);
          return new Float32Array(copy.buffer);
        }
        return value;
      },
    );
  } catch (e) {
    throw new ModelFormatError(`model artifact is not valid JSON: ${(e as Error).message}`);
  }
  const a = parsed as Partial<ModelArtifact>;
  if (!a || a.format !== ARTIFACT_FORMAT)
    throw new ModelFormatError(`unknown model format ${String(a?.format)}`);
  if (a.kind !== expectedKind)
    throw new ModelFormatError(`expected a ${expectedKind} model, got ${String(a.kind)}`);
  if (typeof a.name !== 'string' || typeof a.version !== 'string')
    throw new ModelFormatError('model name/version missing');
  return a as ModelArtifact<K>;
}

/** Default version string: UTC timestamp, sortable ("20250101T120000Z"). */
export function defaultVersion(date = new Date()): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}
