import type { Redis } from 'ioredis';
import type { Storage } from '@media-ai/storage';
import { CandidateCache } from './candidate-cache.js';
import { ExperimentCounters } from './experiment-counters.js';
import { activeModels } from './model-cache.js';
import { ReaderHistoryStore } from './reader-history.js';
import { ServingCache } from './serving-cache.js';

/** What the recommender's serving path keeps per API process: hot histories, small caches, experiment counts. */
export class RecommenderServing {
  readonly history: ReaderHistoryStore;
  readonly cache: ServingCache;
  readonly experiments: ExperimentCounters;
  readonly candidates = new CandidateCache();

  constructor(redis: Redis, prefix: string, storage: Storage) {
    activeModels.useStorage(storage);
    this.history = new ReaderHistoryStore(redis, prefix);
    this.cache = new ServingCache(redis, prefix, (newsroomId) => {
      activeModels.forget(newsroomId);
      this.candidates.clear();
    });
    this.experiments = new ExperimentCounters(redis, prefix);
  }

  start(): Promise<void> {
    return this.cache.listen();
  }

  async close(): Promise<void> {
    await this.experiments.close();
    await this.cache.close();
  }
}
