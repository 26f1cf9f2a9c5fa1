/** Ranked candidates of one reader under one model version, compactly (item indices and scores). */
interface Entry {
  indices: Int32Array;
  scores: Float32Array;
  at: number;
}

/** Readers whose candidates are kept per API process (the oldest dropped first). */
const LIMIT = 20_000;
/** Candidates older than this are ranked again (time decay of the history moves slowly). */
const TTL_MS = 10 * 60_000;

/**
 * A reader's ranked candidates, reused while nothing they depend on changed: the key names the model
 * version, the reader's history (length and newest event) and the seen set, so a new event, a new
 * version or another filter ranks again. Editorial rules and filters are applied after, on every request.
 */
export class CandidateCache {
  private readonly entries = new Map<string, Entry>();

  get(key: string): { indices: Int32Array; scores: Float32Array } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (Date.now() - e.at > TTL_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, candidates: { index: number; score: number }[]): void {
    this.entries.delete(key);
    this.entries.set(key, {
      indices: Int32Array.from(candidates, (c) => c.index),
      scores: Float32Array.from(candidates, (c) => c.score),
      at: Date.now(),
    });
    while (this.entries.size > LIMIT) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }
}
