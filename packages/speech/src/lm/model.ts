/**
 * An ARPA-style backoff n-gram model (order 1-3) in compact arrays. Children of a history are stored
 * contiguously and sorted by word id (CSR layout), so a lookup is a binary search.
 * All probabilities and backoff weights are log10, as in ARPA files.
 */
export interface NgramModel {
  order: number;
  vocab: string[];
  /** Unigram log10 probability and backoff weight, by word id. */
  p1: Float32Array;
  b1: Float32Array;
  /** Bigrams of history h: indices next1[h] .. next1[h+1]-1 (length V+1). */
  next1: Uint32Array;
  w2: Uint32Array;
  p2: Float32Array;
  b2: Float32Array;
  /** Trigrams of bigram b: indices next2[b] .. next2[b+1]-1 (length N2+1). */
  next2: Uint32Array;
  w3: Uint32Array;
  p3: Float32Array;
}

/** log10 of zero probability, as ARPA files write it (e.g. for <s>). */
export const LOG_ZERO = -99;

export function wordIndex(model: NgramModel): Map<string, number> {
  const index = new Map<string, number>();
  model.vocab.forEach((w, i) => index.set(w, i));
  return index;
}

export function counts(model: NgramModel): number[] {
  return [model.vocab.length, model.w2.length, model.w3.length].slice(0, model.order);
}

/** Position of `word` among words[from..to), or -1. */
export function search(words: Uint32Array, from: number, to: number, word: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const w = words[mid];
    if (w === word) return mid;
    if (w < word) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function bigramIndex(m: NgramModel, h: number, w: number): number {
  if (m.order < 2 || h >= m.vocab.length) return -1;
  return search(m.w2, m.next1[h], m.next1[h + 1], w);
}

export function trigramIndex(m: NgramModel, bigram: number, w: number): number {
  if (m.order < 3 || bigram < 0) return -1;
  return search(m.w3, m.next2[bigram], m.next2[bigram + 1], w);
}

/** log10 P(w | h2) with backoff; words outside the model's vocabulary have probability 0. */
export function logProb2(m: NgramModel, h2: number, w: number): number {
  if (w >= m.vocab.length) return -Infinity;
  const b = bigramIndex(m, h2, w);
  if (b >= 0) return m.p2[b];
  const bo = h2 < m.vocab.length ? m.b1[h2] : 0;
  return bo + m.p1[w];
}

/** log10 P(w | h1 h2) with backoff (h1 is the older word). */
export function logProb3(m: NgramModel, h1: number, h2: number, w: number): number {
  if (w >= m.vocab.length) return -Infinity;
  if (m.order < 3) return m.order < 2 ? m.p1[w] : logProb2(m, h2, w);
  const hb = bigramIndex(m, h1, h2);
  if (hb >= 0) {
    const t = trigramIndex(m, hb, w);
    if (t >= 0) return m.p3[t];
    return m.b2[hb] + logProb2(m, h2, w);
  }
  return logProb2(m, h2, w);
}

export interface RawNgrams {
  vocab: string[];
  p1: Float32Array;
  b1: Float32Array;
  /** Bigram (h, w) with prob and backoff, in any order. */
  bi: { h: Uint32Array; w: Uint32Array; p: Float32Array; b: Float32Array; length: number };
  /** Trigram (h1, h2, w) with prob, in any order. */
  tri: { h1: Uint32Array; h2: Uint32Array; w: Uint32Array; p: Float32Array; length: number };
}

/**
 * Builds the CSR layout from unordered n-gram lists (counting sort by history, then by word). Trigrams whose
 * history bigram is absent cannot be represented in ARPA and are dropped (their count is returned).
 */
export function buildModel(raw: RawNgrams): { model: NgramModel; dropped: number } {
  const V = raw.vocab.length;
  const nb = raw.bi.length;
  const order = raw.tri.length > 0 ? 3 : nb > 0 ? 2 : 1;

  const next1 = new Uint32Array(V + 1);
  for (let i = 0; i < nb; i++) next1[raw.bi.h[i] + 1]++;
  for (let h = 0; h < V; h++) next1[h + 1] += next1[h];
  const fill = next1.slice(0, V);
  const perm2 = new Uint32Array(nb);
  for (let i = 0; i < nb; i++) perm2[fill[raw.bi.h[i]]++] = i;
  sortRanges(perm2, next1, V, raw.bi.w);
  const w2 = new Uint32Array(nb);
  const p2 = new Float32Array(nb);
  const b2 = new Float32Array(nb);
  for (let k = 0; k < nb; k++) {
    const i = perm2[k];
    w2[k] = raw.bi.w[i];
    p2[k] = raw.bi.p[i];
    b2[k] = raw.bi.b[i];
  }
  const partial: NgramModel = {
    order: Math.min(order, 2),
    vocab: raw.vocab,
    p1: raw.p1,
    b1: raw.b1,
    next1,
    w2,
    p2,
    b2,
    next2: new Uint32Array(nb + 1),
    w3: new Uint32Array(0),
    p3: new Float32Array(0),
  };

  const nt = raw.tri.length;
  const parent = new Int32Array(nt);
  const next2 = new Uint32Array(nb + 1);
  let dropped = 0;
  for (let i = 0; i < nt; i++) {
    const b = bigramIndex(partial, raw.tri.h1[i], raw.tri.h2[i]);
    parent[i] = b;
    if (b < 0) dropped++;
    else next2[b + 1]++;
  }
  for (let b = 0; b < nb; b++) next2[b + 1] += next2[b];
  const fill2 = next2.slice(0, nb);
  const kept = nt - dropped;
  const perm3 = new Uint32Array(kept);
  for (let i = 0; i < nt; i++) if (parent[i] >= 0) perm3[fill2[parent[i]]++] = i;
  sortRanges(perm3, next2, nb, raw.tri.w);
  const w3 = new Uint32Array(kept);
  const p3 = new Float32Array(kept);
  for (let k = 0; k < kept; k++) {
    w3[k] = raw.tri.w[perm3[k]];
    p3[k] = raw.tri.p[perm3[k]];
  }
  return { model: { ...partial, order: kept > 0 ? 3 : partial.order, next2, w3, p3 }, dropped };
}

/** Sorts each range perm[starts[r]..starts[r+1]) by key[perm[i]]. */
function sortRanges(perm: Uint32Array, starts: Uint32Array, ranges: number, key: Uint32Array): void {
  for (let r = 0; r < ranges; r++) {
    const a = starts[r];
    const b = starts[r + 1];
    if (b - a < 2) continue;
    if (b - a <= 16) {
      for (let i = a + 1; i < b; i++) {
        const v = perm[i];
        const k = key[v];
        let j = i - 1;
        while (j >= a && key[perm[j]] > k) {
          perm[j + 1] = perm[j];
          j--;
        }
        perm[j + 1] = v;
      }
    } else {
      const sorted = Array.from(perm.subarray(a, b)).sort((x, y) => key[x] - key[y]);
      perm.set(sorted, a);
    }
  }
}
