import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CatalogItem } from '../catalog.js';
import type { Interaction } from '../interactions.js';

export interface MovieLens {
  interactions: Interaction[];
  items: CatalogItem[];
}

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/**
 * MovieLens 100K (u.data, u.item, u.genre). Every rating becomes a 'rating' event (the benchmark
 * protocol treats all ratings as positives); the rating value is kept as `weight`.
 */
export function loadMovieLens100k(dir: string): MovieLens {
  const interactions: Interaction[] = [];
  for (const line of readFileSync(path.join(dir, 'u.data'), 'utf8').split('\n')) {
    if (!line) continue;
    const [user, item, rating, ts] = line.split('\t');
    interactions.push({
      readerId: user!,
      itemId: item!,
      eventType: 'rating',
      weight: Number(rating),
      timestamp: Number(ts) * 1000,
    });
  }
  const genres: string[] = [];
  for (const line of readFileSync(path.join(dir, 'u.genre'), 'latin1').split('\n')) {
    const [name, idx] = line.split('|');
    if (name && idx !== undefined) genres[Number(idx)] = name;
  }
  const items: CatalogItem[] = [];
  for (const line of readFileSync(path.join(dir, 'u.item'), 'latin1').split('\n')) {
    if (!line) continue;
    const f = line.split('|');
    const tags = f
      .slice(5)
      .map((flag, g) => (flag === '1' ? genres[g] : undefined))
      .filter((g): g is string => g !== undefined && g !== 'unknown');
    const m = /^(\d{2})-(\w{3})-(\d{4})$/.exec(f[2] ?? '');
    items.push({
      itemId: f[0]!,
      title: (f[1] ?? '').replace(/\s*\(\d{4}\)\s*$/, ''),
      tags,
      category: tags[0] ?? 'unknown',
      publishedAt: m ? Date.UTC(Number(m[3]), MONTHS[m[2]!] ?? 0, Number(m[1])) : undefined,
      contentType: 'movie',
      language: 'en',
    });
  }
  return { interactions, items };
}
