import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Index, ScalarKind } from 'usearch';
import type { TopK } from '../core/topk.js';
import { encodeIndex, type EncodedHeader } from './exact.js';
import type { VectorIndex, VectorIndexBuildOptions, VectorSearchOptions } from './types.js';

/*
 * Maximum inner-product search on an HNSW graph (usearch, prebuilt binary from its npm package).
 *
 * HNSW needs a proper similarity; raw inner products are not one. The standard reduction: fold the
 * bias into the vectors (x' = [x, b], q' = [q, 1]), then append sqrt(M² − |x'|²) to every item
 * (M = the largest |x'|) and 0 to the query. Every item then has norm M, so ranking by cosine on the
 * augmented vectors is ranking by x'·q'. Items are stored unit-length and searched with usearch's
 * inner-product metric (cosine without the per-distance normalisation); a score is recovered as
 * (1 − distance) · M · |q'|.
 */

interface HnswParams {
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
  quantization: 'f32' | 'f16' | 'i8';
}

type Usearch = typeof import('usearch');
let usearch: Usearch | undefined;

/**
 * usearch, loaded on first use through its CommonJS entry: that one finds the prebuilt binary next to
 * itself in every runner (the ESM entry guesses its folder from a stack trace, which bundling test
 * runners rewrite), and processes that never build or load an index do not load the binary at all.
 */
function lib(): Usearch {
  return (usearch ??= createRequire(import.meta.url)('usearch') as Usearch);
}

const SCALAR: Record<HnswParams['quantization'], `${ScalarKind}`> = { f32: 'f32', f16: 'f16', i8: 'i8' };

function tempPath(): string {
  return path.join(os.tmpdir(), `mediaai-hnsw-${process.pid}-${randomUUID()}.usearch`);
}

function newIndex(dims: number, p: HnswParams): Index {
  const { Index: UsearchIndex, MetricKind, ScalarKind: Scalar } = lib();
  const quantization = Object.values(Scalar).find((k) => k === SCALAR[p.quantization])!;
  return new UsearchIndex({
    dimensions: dims,
    metric: MetricKind.IP,
    quantization,
    connectivity: p.connectivity,
    expansion_add: p.expansionAdd,
    expansion_search: p.expansionSearch,
    multi: false,
  });
}

export class HnswVectorIndex implements VectorIndex {
  readonly kind = 'hnsw' as const;
  private readonly augmented: number;
  private readonly query: Float32Array;

  private constructor(
    private readonly index: Index,
    readonly dim: number,
    readonly size: number,
    private readonly hasBias: boolean,
    /** Largest norm of [x, b] over the items. */
    private readonly maxNorm: number,
    private readonly params: HnswParams,
  ) {
    this.augmented = dim + (hasBias ? 1 : 0) + 1;
    this.query = new Float32Array(this.augmented);
  }

  static build(vectors: Float32Array, dim: number, options: VectorIndexBuildOptions = {}): HnswVectorIndex {
    const n = vectors.length / dim;
    if (!(dim > 0) || !Number.isInteger(n))
      throw new RangeError(`vectors (${vectors.length} floats) are not a multiple of dim ${dim}`);
    const bias = options.bias ?? null;
    if (bias && bias.length !== n) throw new RangeError(`bias has ${bias.length} entries for ${n} items`);
    const params: HnswParams = {
      connectivity: options.connectivity ?? 16,
      expansionAdd: options.expansionAdd ?? 64,
      expansionSearch: options.expansionSearch ?? 128,
      quantization: options.quantization ?? 'f32',
    };
    const aug = dim + (bias ? 1 : 0) + 1;
    let maxSq = 0;
    const normsSq = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = bias ? bias[i]! * bias[i]! : 0;
      for (let d = 0; d < dim; d++) s += vectors[i * dim + d]! ** 2;
      normsSq[i] = s;
      if (s > maxSq) maxSq = s;
    }
    const maxNorm = Math.sqrt(maxSq) || 1;
    const index = newIndex(aug, params);
    // Add in chunks so the augmented copy stays small next to the model.
    const chunk = 65_536;
    const block = new Float32Array(chunk * aug);
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      for (let r = 0; r < m; r++) {
        const i = start + r;
        const o = r * aug;
        for (let d = 0; d < dim; d++) block[o + d] = vectors[i * dim + d]! / maxNorm;
        if (bias) block[o + dim] = bias[i]! / maxNorm;
        block[o + aug - 1] = Math.sqrt(Math.max(0, 1 - normsSq[i]! / maxSq || 0));
      }
      const keys = new BigUint64Array(m);
      for (let r = 0; r < m; r++) keys[r] = BigInt(start + r);
      index.add(keys, block.subarray(0, m * aug), options.threads ?? 0);
    }
    return new HnswVectorIndex(index, dim, n, bias !== null, maxNorm, params);
  }

  /** From the bytes of {@link serialize}; the graph is read into memory. */
  static fromEncoded(
    header: EncodedHeader,
    graph: Uint8Array,
    options: { expansionSearch?: number } = {},
  ): HnswVectorIndex {
    const stored = header as EncodedHeader & { hasBias: boolean; maxNorm: number; params: HnswParams };
    const h = {
      ...stored,
      params: { ...stored.params, expansionSearch: options.expansionSearch ?? stored.params.expansionSearch },
    };
    const file = tempPath();
    try {
      writeFileSync(file, graph);
      const index = newIndex(h.dim + (h.hasBias ? 1 : 0) + 1, h.params);
      index.load(file);
      if (index.size() !== h.size)
        throw new Error(`Vector index graph holds ${index.size()} items, header says ${h.size}`);
      return new HnswVectorIndex(index, h.dim, h.size, h.hasBias, h.maxNorm, h.params);
    } finally {
      rmSync(file, { force: true });
    }
  }

  get memoryBytes(): number {
    const bytesPerScalar = { f32: 4, f16: 2, i8: 1 }[this.params.quantization];
    // Vectors plus the graph: about 2·connectivity neighbours on the base layer, 4-byte slots, and the
    // upper layers (~1/connectivity of that).
    const graph = this.size * (2 * this.params.connectivity * 4 * (1 + 1 / this.params.connectivity) + 16);
    return this.size * this.augmented * bytesPerScalar + graph;
  }

  /** Candidate-list size while searching; raise it for recall, lower it for speed. */
  get expansionSearch(): number {
    return this.params.expansionSearch;
  }

  search(query: Float32Array, k: number, options: VectorSearchOptions = {}): TopK {
    if (query.length !== this.dim) throw new RangeError(`query has ${query.length} dims, index ${this.dim}`);
    const want = Math.max(0, Math.min(k, this.size));
    if (want === 0) return { indices: new Int32Array(0), scores: new Float32Array(0) };
    const q = this.query;
    let norm = this.hasBias ? 1 : 0;
    for (let d = 0; d < this.dim; d++) norm += query[d]! * query[d]!;
    norm = Math.sqrt(norm);
    if (!(norm > 0)) norm = 1;
    for (let d = 0; d < this.dim; d++) q[d] = query[d]! / norm;
    if (this.hasBias) q[this.dim] = 1 / norm;
    q[this.augmented - 1] = 0;
    const scale = this.maxNorm * norm;

    const filter = options.filter;
    let fetch = filter ? Math.ceil(want * Math.max(1, options.overfetch ?? 4)) : want;
    for (;;) {
      fetch = Math.min(fetch, this.size);
      const m = this.index.search(q, fetch, 1);
      const indices: number[] = [];
      const scores: number[] = [];
      for (let r = 0; r < m.keys.length && indices.length < want; r++) {
        const row = Number(m.keys[r]!);
        if (filter?.(row)) continue;
        indices.push(row);
        scores.push((1 - m.distances[r]!) * scale);
      }
      // Enough survived the filter, or the whole catalogue was visited.
      if (indices.length >= want || fetch >= this.size)
        return { indices: Int32Array.from(indices), scores: Float32Array.from(scores) };
      fetch *= 4;
    }
  }

  serialize(): Buffer {
    const file = tempPath();
    try {
      this.index.save(file);
      const graph = readFileSync(file);
      return encodeIndex(
        {
          kind: 'hnsw',
          engine: 'usearch',
          dim: this.dim,
          size: this.size,
          hasBias: this.hasBias,
          maxNorm: this.maxNorm,
          params: this.params,
        },
        [graph],
      );
    } finally {
      rmSync(file, { force: true });
    }
  }
}
