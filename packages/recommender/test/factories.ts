import type { CatalogItem } from '../src/catalog.js';
import { createRng } from '../src/core/rng.js';
import type { Interaction } from '../src/interactions.js';

export const T0 = Date.UTC(2024, 0, 1);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

const TOPICS = ['politics', 'sport', 'science', 'culture'];
const WORDS: Record<string, string[]> = {
  politics: ['election', 'parliament', 'minister', 'vote', 'policy', 'senate'],
  sport: ['match', 'goal', 'league', 'coach', 'striker', 'season'],
  science: ['research', 'climate', 'space', 'physics', 'study', 'telescope'],
  culture: ['film', 'music', 'festival', 'novel', 'theatre', 'album'],
};

export interface Planted {
  interactions: Interaction[];
  items: CatalogItem[];
  /** Topic index of each reader ("u<n>"). */
  userTopic: number[];
  /** Topic index of each item ("i<n>"). */
  itemTopic: number[];
}

/**
 * Readers who each follow one of 4 topics: ~80% of their reads come from their topic, the rest from
 * globally popular items. Item titles and categories carry the topic, so content features are informative.
 */
export function plantedData(
  opts: { users?: number; itemsPerTopic?: number; readsPerUser?: number; seed?: number } = {},
): Planted {
  const users = opts.users ?? 160;
  const perTopic = opts.itemsPerTopic ?? 20;
  const reads = opts.readsPerUser ?? 14;
  const rng = createRng(opts.seed ?? 7);
  const items: CatalogItem[] = [];
  const itemTopic: number[] = [];
  for (let t = 0; t < TOPICS.length; t++) {
    for (let k = 0; k < perTopic; k++) {
      const n = items.length;
      const words = WORDS[TOPICS[t]!]!;
      items.push({
        itemId: `i${n}`,
        title: `${words[k % words.length]} ${words[(k + 2) % words.length]} report ${n}`,
        category: TOPICS[t]!,
        tags: [words[(k + 1) % words.length]!],
        publishedAt: T0 - (n % 10) * DAY,
        contentType: k % 5 === 0 ? 'video' : 'article',
        language: k % 7 === 0 ? 'es' : 'en',
      });
      itemTopic.push(t);
    }
  }
  const nItems = items.length;
  const interactions: Interaction[] = [];
  const userTopic: number[] = [];
  for (let u = 0; u < users; u++) {
    const topic = u % TOPICS.length;
    userTopic.push(topic);
    const chosen = new Set<number>();
    while (chosen.size < reads) {
      // Own topic: items with lower k are more popular within the topic.
      const i =
        rng.next() < 0.8
          ? topic * perTopic + Math.floor(perTopic * rng.next() ** 1.5)
          : Math.floor(nItems * rng.next() ** 3);
      chosen.add(i);
    }
    let t = T0 + u * 60_000;
    for (const i of chosen) {
      interactions.push({
        readerId: `u${u}`,
        itemId: `i${i}`,
        eventType: 'read',
        timestamp: (t += 3_600_000),
      });
    }
  }
  return { interactions, items, userTopic, itemTopic };
}
