import { matVec } from '../core/linalg.js';
import { topK, type TopK } from '../core/topk.js';
import type { VectorIndex, VectorSearchOptions } from './types.js';

/** Brute-force inner-product scan: exact, and the fallback of the approximate index. */
export class ExactVectorIndex implements VectorIndex {
  readonly kind = 'exact' as const;
  readonly size: number;

  constructor(
    readonly vectors: Float32Array,
    readonly dim: number,
    readonly bias: Float32Array | null = null,
  ) {
    if (!(dim > 0) || vectors.length % dim !== 0)
      throw new RangeError(`vectors (${vectors.length} floats) are not a multiple of dim ${dim}`);
    this.size = vectors.length / dim;
    if (bias && bias.length !== this.size)
      throw new RangeError(`bias has ${bias.length} entries for ${this.size} items`);
  }

  get memoryBytes(): number {
    return this.vectors.byteLength + (this.bias?.byteLength ?? 0);
  }

  search(query: Float32Array, k: number, options: VectorSearchOptions = {}): TopK {
    if (query.length !== this.dim) throw new RangeError(`query has ${query.length} dims, index ${this.dim}`);
    const scores = matVec(this.vectors, this.dim, query, this.bias ?? undefined);
    return topK(scores, k, options.filter);
  }

  serialize(): Buffer {
    return encodeIndex(
      { kind: 'exact', dim: this.dim, size: this.size, hasBias: this.bias !== null },
      this.bias ? [this.vectors, this.bias] : [this.vectors],
    );
  }
}

/*
 * Serialized index: "MANN" | u32 LE header length | header JSON | zero padding to 8 | parts, each
 * 8-aligned. The header says what the parts are.
 */
const MAGIC = 'MANN';
const align8 = (n: number) => (n + 7) & ~7;

export interface EncodedHeader {
  kind: 'exact' | 'hnsw';
  dim: number;
  size: number;
  [key: string]: unknown;
}

export function encodeIndex(header: EncodedHeader, parts: ArrayBufferView[]): Buffer {
  const full = { ...header, formatVersion: 1, parts: parts.map((p) => p.byteLength) };
  const json = Buffer.from(JSON.stringify(full), 'utf8');
  const start = align8(8 + json.length);
  let total = start;
  for (const p of parts) total = align8(total + p.byteLength);
  const out = Buffer.alloc(total);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  let offset = start;
  for (const p of parts) {
    Buffer.from(p.buffer, p.byteOffset, p.byteLength).copy(out, offset);
    offset = align8(offset + p.byteLength);
  }
  return out;
}

export function decodeIndex(buf: Uint8Array): { header: EncodedHeader; parts: Uint8Array[] } {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 8 || b.toString('latin1', 0, 4) !== MAGIC)
    throw new Error('Not a vector index (bad magic): expected bytes written by VectorIndex.serialize()');
  const len = b.readUInt32LE(4);
  const header = JSON.parse(b.toString('utf8', 8, 8 + len)) as EncodedHeader & {
    formatVersion: number;
    parts: number[];
  };
  if (header.formatVersion !== 1) throw new Error(`Unsupported vector index format ${header.formatVersion}`);
  let offset = align8(8 + len);
  const parts: Uint8Array[] = [];
  for (const n of header.parts) {
    if (offset + n > b.length) throw new Error('Vector index bytes are truncated');
    parts.push(b.subarray(offset, offset + n));
    offset = align8(offset + n);
  }
  return { header, parts };
}

/** A Float32Array copy of bytes that may sit at any offset. */
export function floatsOf(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
