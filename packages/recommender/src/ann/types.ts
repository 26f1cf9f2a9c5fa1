import type { TopK } from '../core/topk.js';

/** Engines behind {@link VectorIndex}: a brute-force scan, or an HNSW graph (usearch). */
export type VectorIndexKind = 'exact' | 'hnsw';

export interface VectorSearchOptions {
  /** Items (by row index) that may not be returned: the reader's history, blocked or embargoed items. */
  filter?: (row: number) => boolean;
  /**
   * Approximate indices fetch `k × overfetch` candidates, drop the filtered ones and widen the search
   * when fewer than k remain (falling back to a full scan). Default 4.
   */
  overfetch?: number;
}

/**
 * Maximum inner-product search over item vectors (score = item · query + item bias), as factor
 * models score. Rows are the model's item indices.
 */
export interface VectorIndex {
  readonly kind: VectorIndexKind;
  /** Number of items. */
  readonly size: number;
  /** Dimension of the query (the model's factor dimension). */
  readonly dim: number;
  /** The k best rows for a query, best first, with their scores (item · query + bias). */
  search(query: Float32Array, k: number, options?: VectorSearchOptions): TopK;
  /** Self-contained bytes for {@link loadVectorIndex}. */
  serialize(): Buffer;
  /** Bytes the index holds in memory (vectors and graph), approximately. */
  readonly memoryBytes: number;
}

export interface VectorIndexBuildOptions {
  /** Only inner product (MIPS) is supported: what factor models score with. */
  metric?: 'ip';
  /** Per-item bias added to the inner product (BPR's item bias). */
  bias?: Float32Array;
  /** Below this many items the index is an exact scan. Default 50,000. */
  exactBelow?: number;
  /** Force an engine regardless of size. */
  kind?: VectorIndexKind;
  /** HNSW graph degree (usearch `connectivity`). Default 16. */
  connectivity?: number;
  /** Candidate list size while building. Default 64. */
  expansionAdd?: number;
  /** Candidate list size while searching (higher: better recall, slower). Default 128. */
  expansionSearch?: number;
  /** Vector storage in the graph: f32, f16 (half the memory) or i8. Default f32. */
  quantization?: 'f32' | 'f16' | 'i8';
  /** Build threads; 0 = every core. Default 0. */
  threads?: number;
}

export const DEFAULT_EXACT_BELOW = 50_000;
