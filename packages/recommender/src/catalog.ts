/** What the recommender knows about an item besides interactions (content features, editorial fields). */
export interface CatalogItem {
  itemId: string;
  title?: string;
  /** Lead or body text; only its first words are used as features. */
  text?: string;
  tags?: string[];
  category?: string;
  /** Publication time, milliseconds since the epoch. */
  publishedAt?: number;
  contentType?: string;
  language?: string;
}

export type CatalogLookup = (itemId: string) => CatalogItem | undefined;

export function catalogLookup(items: Iterable<CatalogItem>): CatalogLookup {
  const map = new Map<string, CatalogItem>();
  for (const it of items) map.set(it.itemId, it);
  return (id) => map.get(id);
}
