import type { Redis } from 'ioredis';
import { ReaderHistoryStore } from './reader-history.js';
import { ServingCache } from './serving-cache.js';

/** What the recommender's serving path keeps per API process: hot histories and small caches. */
export class RecommenderServing {
  readonly history: ReaderHistoryStore;
  readonly cache: ServingCache;

  constructor(redis: Redis, prefix: string) {
    this.history = new ReaderHistoryStore(redis, prefix);
    this.cache = new ServingCache(redis, prefix);
  }

  start(): Promise<void> {
    return this.cache.listen();
  }

  close(): Promise<void> {
    return this.cache.close();
  }
}
