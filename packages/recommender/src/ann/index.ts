import { decodeIndex, ExactVectorIndex, floatsOf } from './exact.js';
import { HnswVectorIndex } from './hnsw.js';
import { DEFAULT_EXACT_BELOW, type VectorIndex, type VectorIndexBuildOptions } from './types.js';

export { ExactVectorIndex } from './exact.js';
export { HnswVectorIndex } from './hnsw.js';
export {
  DEFAULT_EXACT_BELOW,
  type VectorIndex,
  type VectorIndexBuildOptions,
  type VectorIndexKind,
  type VectorSearchOptions,
} from './types.js';

/**
 * An inner-product index over item vectors (rows of `vectors`, `dim` floats each): an exact scan
 * below `exactBelow` items (default 50,000), an HNSW graph above.
 */
export function buildVectorIndex(
  vectors: Float32Array,
  dim: number,
  options: VectorIndexBuildOptions = {},
): VectorIndex {
  if (options.metric !== undefined && options.metric !== 'ip')
    throw new Error(`Vector index metric "${String(options.metric)}" is not supported: use "ip"`);
  const size = vectors.length / dim;
  const kind = options.kind ?? (size < (options.exactBelow ?? DEFAULT_EXACT_BELOW) ? 'exact' : 'hnsw');
  return kind === 'exact'
    ? new ExactVectorIndex(vectors, dim, options.bias ?? null)
    : HnswVectorIndex.build(vectors, dim, options);
}

/**
 * An index from the bytes of `VectorIndex.serialize()`. `expansionSearch` overrides the HNSW
 * candidate-list size the index was built with (recall against speed).
 */
export function loadVectorIndex(bytes: Uint8Array, options: { expansionSearch?: number } = {}): VectorIndex {
  const { header, parts } = decodeIndex(bytes);
  if (header.kind === 'exact') {
    const vectors = floatsOf(parts[0]!);
    return new ExactVectorIndex(vectors, header.dim, parts[1] ? floatsOf(parts[1]) : null);
  }
  if (header.kind === 'hnsw') return HnswVectorIndex.fromEncoded(header, parts[0]!, options);
  throw new Error(`Unknown vector index kind "${String(header.kind)}"`);
}

/** What an index holds without loading it (kind, size, dimension). */
export function readVectorIndexHeader(bytes: Uint8Array): { kind: string; size: number; dim: number } {
  const { header } = decodeIndex(bytes);
  return { kind: header.kind, size: header.size, dim: header.dim };
}
