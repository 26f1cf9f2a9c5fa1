import { bigramIndex, logProb2, logProb3, LOG_ZERO, type NgramModel } from './model.js';

const EPS = 1e-9;

function log10Mix(lambda: number, a: number, b: number): number {
  const p = lambda * 10 ** a + (1 - lambda) * 10 ** b;
  return p > 0 ? Math.log10(p) : LOG_ZERO;
}

/**
 * Static linear interpolation of two backoff models into one ARPA-representable model:
 *   P(w | h) = lambda P_in(w | h) + (1 - lambda) P_general(w | h)
 * for every n-gram explicit in either model (each side computed with its own backoff), and backoff weights
 * recomputed so that every history sums to one. `inDomain` must use `general`'s word ids for the words they
 * share (estimateModel's baseVocab), its own new words following.
 */
export function interpolateModels(general: NgramModel, inDomain: NgramModel, lambda: number): NgramModel {
  const vocab = inDomain.vocab.length >= general.vocab.length ? inDomain.vocab : general.vocab;
  for (let i = 0; i < Math.min(general.vocab.length, inDomain.vocab.length); i++) {
    if (general.vocab[i] !== inDomain.vocab[i]) {
      throw new Error(`vocabularies disagree at id ${i}: "${general.vocab[i]}" vs "${inDomain.vocab[i]}"`);
    }
  }
  const V = vocab.length;
  const order = Math.max(general.order, inDomain.order);
  const bos = vocab.indexOf('<s>');

  const p1 = new Float32Array(V);
  for (let w = 0; w < V; w++) {
    const a = w < inDomain.vocab.length ? inDomain.p1[w] : -Infinity;
    const b = w < general.vocab.length ? general.p1[w] : -Infinity;
    p1[w] = w === bos ? LOG_ZERO : log10Mix(lambda, a, b);
  }

  // Bigrams: the union of both models' explicit bigrams, history by history.
  const cap2 = general.w2.length + inDomain.w2.length;
  const next1 = new Uint32Array(V + 1);
  let w2 = new Uint32Array(cap2);
  let p2 = new Float32Array(cap2);
  const b1 = new Float32Array(V);
  let n2 = 0;
  for (let h = 0; h < V; h++) {
    next1[h] = n2;
    let sumHi = 0;
    let sumLo = 0;
    for (const w of mergeChildren(general, inDomain, h)) {
      const p = log10Mix(lambda, logProb2(inDomain, h, w), logProb2(general, h, w));
      w2[n2] = w;
      p2[n2] = p;
      n2++;
      sumHi += 10 ** p;
      sumLo += 10 ** p1[w];
    }
    b1[h] = n2 > next1[h] ? Math.log10(Math.max(1 - sumHi, EPS) / Math.max(1 - sumLo, EPS)) : 0;
  }
  next1[V] = n2;
  w2 = w2.slice(0, n2);
  p2 = p2.slice(0, n2);
  const b2 = new Float32Array(n2);
  const partial: NgramModel = {
    order: Math.min(order, 2),
    vocab,
    p1,
    b1,
    next1,
    w2,
    p2,
    b2,
    next2: new Uint32Array(n2 + 1),
    w3: new Uint32Array(0),
    p3: new Float32Array(0),
  };
  if (order < 3) return partial;

  // Trigrams: the union under each mixed bigram.
  const cap3 = general.w3.length + inDomain.w3.length;
  const next2 = new Uint32Array(n2 + 1);
  let w3 = new Uint32Array(cap3);
  let p3 = new Float32Array(cap3);
  let n3 = 0;
  for (let h1 = 0; h1 < V; h1++) {
    for (let b = next1[h1]; b < next1[h1 + 1]; b++) {
      next2[b] = n3;
      const h2 = w2[b];
      const gb = bigramIndex(general, h1, h2);
      const ib = bigramIndex(inDomain, h1, h2);
      if (gb < 0 && ib < 0) continue;
      let sumHi = 0;
      let sumLo = 0;
      for (const w of mergeTrigramChildren(general, gb, inDomain, ib)) {
        const p = log10Mix(lambda, logProb3(inDomain, h1, h2, w), logProb3(general, h1, h2, w));
        w3[n3] = w;
        p3[n3] = p;
        n3++;
        sumHi += 10 ** p;
        sumLo += 10 ** logProb2(partial, h2, w);
      }
      if (n3 > next2[b]) b2[b] = Math.log10(Math.max(1 - sumHi, EPS) / Math.max(1 - sumLo, EPS));
    }
  }
  next2[n2] = n3;
  w3 = w3.slice(0, n3);
  p3 = p3.slice(0, n3);
  return { ...partial, order: n3 > 0 ? 3 : 2, next2, w3, p3 };
}

/** Sorted union of the bigram continuations of h in both models. */
function mergeChildren(a: NgramModel, b: NgramModel, h: number): number[] {
  const ra =
    h < a.vocab.length && a.order >= 2 ? a.w2.subarray(a.next1[h], a.next1[h + 1]) : new Uint32Array(0);
  const rb =
    h < b.vocab.length && b.order >= 2 ? b.w2.subarray(b.next1[h], b.next1[h + 1]) : new Uint32Array(0);
  return mergeSorted(ra, rb);
}

function mergeTrigramChildren(a: NgramModel, ab: number, b: NgramModel, bb: number): number[] {
  const ra = ab >= 0 && a.order >= 3 ? a.w3.subarray(a.next2[ab], a.next2[ab + 1]) : new Uint32Array(0);
  const rb = bb >= 0 && b.order >= 3 ? b.w3.subarray(b.next2[bb], b.next2[bb + 1]) : new Uint32Array(0);
  return mergeSorted(ra, rb);
}

function mergeSorted(a: Uint32Array, b: Uint32Array): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else if (i >= a.length || b[j] < a[i]) out.push(b[j++]);
    else {
      out.push(a[i++]);
      j++;
    }
  }
  return out;
}

/** Perplexity-minimising interpolation weight of `inDomain` on held-out trigrams (EM). */
export function estimateLambda(
  general: NgramModel,
  inDomain: NgramModel,
  heldOut: ReadonlyArray<readonly number[]>,
  iterations = 30,
): { lambda: number; tokens: number } {
  const pairs: Array<[number, number]> = [];
  for (const ids of heldOut) {
    for (let i = 1; i < ids.length; i++) {
      const h1 = i >= 2 ? ids[i - 2] : -1;
      const h2 = ids[i - 1];
      const w = ids[i];
      const pi = 10 ** (h1 >= 0 ? logProb3(inDomain, h1, h2, w) : logProb2(inDomain, h2, w));
      const pg = 10 ** (h1 >= 0 ? logProb3(general, h1, h2, w) : logProb2(general, h2, w));
      // Words neither model knows say nothing about the weight.
      if (pi + pg > 1e-30) pairs.push([pi, pg]);
    }
  }
  if (pairs.length === 0) return { lambda: 0.5, tokens: 0 };
  let lambda = 0.5;
  for (let it = 0; it < iterations; it++) {
    let post = 0;
    for (const [pi, pg] of pairs) post += (lambda * pi) / (lambda * pi + (1 - lambda) * pg);
    lambda = post / pairs.length;
  }
  return { lambda, tokens: pairs.length };
}
