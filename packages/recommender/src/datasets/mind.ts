import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CatalogItem } from '../catalog.js';
import type { Interaction } from '../interactions.js';

export interface MindSample {
  items: CatalogItem[];
  /** History reads ('read') and impression clicks ('click'); non-clicked impressions are dropped. */
  interactions: Interaction[];
}

/** Microsoft MIND (news.tsv, behaviors.tsv). History entries take the impression's time. */
export function loadMind(dir: string): MindSample {
  const items: CatalogItem[] = [];
  for (const line of readFileSync(path.join(dir, 'news.tsv'), 'utf8').split('\n')) {
    if (!line) continue;
    const [id, category, subcategory, title, abstract] = line.split('\t');
    items.push({
      itemId: id!,
      category: category!,
      tags: subcategory ? [subcategory] : [],
      title: title ?? '',
      text: abstract ?? '',
      contentType: 'article',
      language: 'en',
    });
  }
  const interactions: Interaction[] = [];
  for (const line of readFileSync(path.join(dir, 'behaviors.tsv'), 'utf8').split('\n')) {
    if (!line) continue;
    const [, user, time, history, impressions] = line.split('\t');
    const timestamp = Date.parse(`${time} UTC`);
    for (const itemId of (history ?? '').split(' ')) {
      if (itemId) interactions.push({ readerId: user!, itemId, eventType: 'read', timestamp });
    }
    for (const imp of (impressions ?? '').split(' ')) {
      const [itemId, label] = imp.split('-');
      if (itemId && label === '1')
        interactions.push({ readerId: user!, itemId, eventType: 'click', timestamp });
    }
  }
  return { items, interactions };
}
