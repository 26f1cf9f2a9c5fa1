import { buildModel, LOG_ZERO, type NgramModel } from './model.js';

export const BOS = '<s>';
export const EOS = '</s>';

export interface EstimateOptions {
  /** 1-3; default 3. */
  order?: number;
  /**
   * Word ids start with this vocabulary (in this order), new words follow: lets the model share ids with
   * another one for interpolation. Words of the base that never occur get probability 0.
   */
  baseVocab?: readonly string[];
}

/** Absolute discount from count-of-counts (Ney et al.): n1 / (n1 + 2 n2), kept within [0.1, 0.9]. */
export function discountFor(countOfCounts: Map<number, number>): number {
  const n1 = countOfCounts.get(1) ?? 0;
  const n2 = countOfCounts.get(2) ?? 0;
  if (n1 === 0 && n2 === 0) return 0.5;
  return Math.min(0.9, Math.max(0.1, n1 / (n1 + 2 * n2)));
}

/**
 * Estimates a backoff n-gram model from tokenised sentences with interpolated absolute discounting:
 *   P(w | h) = max(c(h w) - D, 0) / c(h) + D N1+(h .) / c(h) * P(w | h'),
 * which in ARPA form is the interpolated value for seen n-grams and backoff weight D N1+(h .) / c(h).
 * Unigrams are maximum likelihood over the observed vocabulary.
 */
export function estimateModel(
  sentences: Iterable<readonly string[]>,
  options: EstimateOptions = {},
): NgramModel {
  const order = Math.min(3, Math.max(1, options.order ?? 3));
  const vocab: string[] = [];
  const index = new Map<string, number>();
  const idOf = (w: string) => {
    let i = index.get(w);
    if (i === undefined) {
      i = vocab.length;
      vocab.push(w);
      index.set(w, i);
    }
    return i;
  };
  for (const w of options.baseVocab ?? []) idOf(w);
  const bos = idOf(BOS);
  const eos = idOf(EOS);

  const c1 = new Map<number, number>();
  const c2 = new Map<string, number>();
  const c3 = new Map<string, number>();
  let total = 0;
  for (const sentence of sentences) {
    if (sentence.length === 0) continue;
    const ids = [bos, ...sentence.map(idOf), eos];
    for (let i = 1; i < ids.length; i++) {
      c1.set(ids[i], (c1.get(ids[i]) ?? 0) + 1);
      total++;
      if (order >= 2) inc(c2, `${ids[i - 1]} ${ids[i]}`);
      if (order >= 3 && i >= 2) inc(c3, `${ids[i - 2]} ${ids[i - 1]} ${ids[i]}`);
    }
  }

  const V = vocab.length;
  const p1 = new Float32Array(V).fill(LOG_ZERO);
  const b1 = new Float32Array(V);
  for (const [w, c] of c1) p1[w] = Math.log10(c / Math.max(1, total));
  p1[bos] = LOG_ZERO;

  // Bigrams, grouped by history.
  const d2 = discountFor(countOfCounts(c2));
  const hist2 = new Map<number, { total: number; types: number }>();
  for (const [key, c] of c2) {
    const h = Number(key.slice(0, key.indexOf(' ')));
    const s = hist2.get(h) ?? { total: 0, types: 0 };
    s.total += c;
    s.types += 1;
    hist2.set(h, s);
  }
  for (const [h, s] of hist2) b1[h] = Math.log10((d2 * s.types) / s.total);
  const biH: number[] = [];
  const biW: number[] = [];
  const biP: number[] = [];
  const bigramProb = new Map<string, number>();
  for (const [key, c] of c2) {
    const [h, w] = key.split(' ').map(Number);
    const s = hist2.get(h) as { total: number; types: number };
    const p = Math.max(c - d2, 0) / s.total + ((d2 * s.types) / s.total) * 10 ** p1[w];
    biH.push(h);
    biW.push(w);
    biP.push(Math.log10(p));
    bigramProb.set(key, p);
  }

  // Trigrams, grouped by history bigram.
  const d3 = discountFor(countOfCounts(c3));
  const hist3 = new Map<string, { total: number; types: number }>();
  for (const [key, c] of c3) {
    const h = key.slice(0, key.lastIndexOf(' '));
    const s = hist3.get(h) ?? { total: 0, types: 0 };
    s.total += c;
    s.types += 1;
    hist3.set(h, s);
  }
  const biB = biH.map((h, i) => {
    const s = hist3.get(`${h} ${biW[i]}`);
    return s ? Math.log10((d3 * s.types) / s.total) : 0;
  });
  const triH1: number[] = [];
  const triH2: number[] = [];
  const triW: number[] = [];
  const triP: number[] = [];
  for (const [key, c] of c3) {
    const [h1, h2, w] = key.split(' ').map(Number);
    const s = hist3.get(`${h1} ${h2}`) as { total: number; types: number };
    const lower = bigramProb.get(`${h2} ${w}`) ?? 10 ** (b1[h2] + p1[w]);
    const p = Math.max(c - d3, 0) / s.total + ((d3 * s.types) / s.total) * lower;
    triH1.push(h1);
    triH2.push(h2);
    triW.push(w);
    triP.push(Math.log10(p));
  }

  return buildModel({
    vocab,
    p1,
    b1,
    bi: {
      h: Uint32Array.from(biH),
      w: Uint32Array.from(biW),
      p: Float32Array.from(biP),
      b: Float32Array.from(biB),
      length: biH.length,
    },
    tri: {
      h1: Uint32Array.from(triH1),
      h2: Uint32Array.from(triH2),
      w: Uint32Array.from(triW),
      p: Float32Array.from(triP),
      length: triW.length,
    },
  }).model;
}

function inc(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function countOfCounts(counts: Map<string, number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const c of counts.values()) out.set(c, (out.get(c) ?? 0) + 1);
  return out;
}
