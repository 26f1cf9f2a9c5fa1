/** Sparse term vectors, tf-idf and cosine similarity. */
export type SparseVector = Map<string, number>;

export interface IdfTable {
  /** Number of documents the table was built from. */
  docs: number;
  df: Record<string, number>;
}

export function buildIdfTable(documents: readonly (readonly string[])[]): IdfTable {
  const df: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const doc of documents) {
    for (const term of new Set(doc)) df[term] = (df[term] ?? 0) + 1;
  }
  return { docs: documents.length, df };
}

/** Smoothed idf: log((1 + N) / (1 + df)) + 1, as in common tf-idf implementations. */
export function idf(table: IdfTable, term: string): number {
  return Math.log((1 + table.docs) / (1 + (table.df[term] ?? 0))) + 1;
}

export function tfidfVector(terms: readonly string[], table: IdfTable): SparseVector {
  const v: SparseVector = new Map();
  for (const t of terms) v.set(t, (v.get(t) ?? 0) + 1);
  for (const [t, tf] of v) v.set(t, (1 + Math.log(tf)) * idf(table, t));
  return v;
}

export function norm(v: SparseVector): number {
  let s = 0;
  for (const x of v.values()) s += x * x;
  return Math.sqrt(s);
}

export function cosine(a: SparseVector, b: SparseVector): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, x] of small) {
    const y = large.get(t);
    if (y !== undefined) dot += x * y;
  }
  const d = norm(a) * norm(b);
  return d === 0 ? 0 : dot / d;
}

export function addInto(target: SparseVector, v: SparseVector, weight = 1): void {
  for (const [t, x] of v) target.set(t, (target.get(t) ?? 0) + x * weight);
}
