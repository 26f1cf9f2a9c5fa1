import type { Recommender } from './models/types.js';
import { recommend, type Recommendation } from './serving/recommend.js';
import { throwIfAborted } from './models/types.js';

export interface BatchProgress {
  done: number;
  total: number;
}

export interface BatchOptions {
  k: number;
  /** Reader indices; default every reader the model knows. */
  users?: ArrayLike<number>;
  /** Receives one JSON line (no trailing newline) per reader; awaited, so it can apply backpressure. */
  write: (line: string, readerId: string) => void | Promise<void>;
  onProgress?: (progress: BatchProgress) => void;
  /** Progress is reported every this many readers (and at the end). Default 500. */
  progressEvery?: number;
  excludeHistory?: boolean;
  /**
   * The k best items of a reader, in place of exact scoring by `recommend()` (e.g. through a vector
   * index: `recommendWithIndex`).
   */
  rank?: (user: number) => Recommendation[];
  /** Editorial or other post-processing of each list. */
  postProcess?: (readerId: string, items: Recommendation[]) => { itemId: string; score: number }[];
  signal?: AbortSignal;
}

export interface BatchLine {
  readerId: string;
  model: { algorithm: string; version: string };
  generatedAt: string;
  items: { itemId: string; score: number }[];
}

/** Top-k for many readers, one JSONL line each, with progress. */
export async function batchRecommend(
  model: Recommender,
  options: BatchOptions,
): Promise<{ users: number; seconds: number }> {
  const t0 = performance.now();
  const users = options.users ?? Int32Array.from({ length: model.userIds.length }, (_, u) => u);
  const every = options.progressEvery ?? 500;
  const generatedAt = new Date().toISOString();
  const identity = { algorithm: model.metadata.algorithm, version: model.metadata.version };
  for (let n = 0; n < users.length; n++) {
    if (n % every === 0) {
      throwIfAborted(options.signal);
      if (n > 0) options.onProgress?.({ done: n, total: users.length });
    }
    const u = users[n]!;
    const readerId = model.userIds[u]!;
    const recs = options.rank
      ? options.rank(u)
      : recommend(model, u, { k: options.k, excludeHistory: options.excludeHistory ?? true });
    const items = options.postProcess
      ? options.postProcess(readerId, recs)
      : recs.map((r) => ({ itemId: r.itemId, score: r.score }));
    const line: BatchLine = {
      readerId,
      model: identity,
      generatedAt,
      items: items.map((r) => ({ itemId: r.itemId, score: Math.round(r.score * 1e6) / 1e6 })),
    };
    await options.write(JSON.stringify(line), readerId);
  }
  options.onProgress?.({ done: users.length, total: users.length });
  return { users: users.length, seconds: (performance.now() - t0) / 1000 };
}
