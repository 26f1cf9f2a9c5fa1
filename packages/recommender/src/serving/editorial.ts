import type { CatalogLookup } from '../catalog.js';

export interface EditorialRules {
  /** Items fixed at a 1-based position (blocks and embargoes still apply; filters and caps do not). */
  pins?: { itemId: string; position: number }[];
  /** Score multipliers, by item, category or tag (all matching factors multiply). */
  boosts?: { itemId?: string; category?: string; tag?: string; factor: number }[];
  blockedItemIds?: string[];
  blockedCategories?: string[];
  /** Items hidden until a time (ms since the epoch). */
  embargoes?: { itemId: string; until: number }[];
  /** At most this many items per category in the final list (diversity). */
  maxPerCategory?: number;
  filters?: {
    contentTypes?: string[];
    categories?: string[];
    languages?: string[];
    /** Only items published at or after this time (ms); items without a date are dropped. */
    publishedSince?: number;
    /** Drop items the reader has seen (context.seen). */
    excludeSeen?: boolean;
  };
}

export interface EditorialContext {
  now: number;
  catalog: CatalogLookup;
  seen?: ReadonlySet<string>;
}

export interface Candidate {
  itemId: string;
  score: number;
}

export interface EditorialItem {
  itemId: string;
  score: number;
  pinned?: boolean;
  boosted?: boolean;
}

/**
 * Editorial post-processing of a ranked candidate list (pure): blocks, embargoes and filters drop
 * items; boosts multiply scores (when some scores are ≤ 0 they are first shifted into [range, 2·range]
 * so that a factor > 1 always lifts); the per-category cap keeps diversity; pins take their positions. Returns at most k items.
 */
export function applyEditorialRules(
  candidates: readonly Candidate[],
  rules: EditorialRules,
  context: EditorialContext,
  k: number,
): EditorialItem[] {
  const blockedIds = new Set(rules.blockedItemIds ?? []);
  const blockedCats = new Set(rules.blockedCategories ?? []);
  const embargo = new Map<string, number>();
  for (const e of rules.embargoes ?? [])
    embargo.set(e.itemId, Math.max(embargo.get(e.itemId) ?? -Infinity, e.until));
  const f = rules.filters ?? {};

  const hardAllowed = (id: string) => {
    if (blockedIds.has(id)) return false;
    const until = embargo.get(id);
    if (until !== undefined && context.now < until) return false;
    const cat = context.catalog(id)?.category;
    return !(cat !== undefined && blockedCats.has(cat));
  };
  const passesFilters = (id: string) => {
    const item = context.catalog(id);
    if (f.excludeSeen && context.seen?.has(id)) return false;
    if (f.contentTypes && !(item?.contentType !== undefined && f.contentTypes.includes(item.contentType)))
      return false;
    if (f.categories && !(item?.category !== undefined && f.categories.includes(item.category))) return false;
    if (f.languages && !(item?.language !== undefined && f.languages.includes(item.language))) return false;
    if (
      f.publishedSince !== undefined &&
      !(item?.publishedAt !== undefined && item.publishedAt >= f.publishedSince)
    ) {
      return false;
    }
    return true;
  };

  // Pins: sorted by position; clashes move to the next free slot.
  const slots: (EditorialItem | undefined)[] = new Array(k);
  const pinnedIds = new Set<string>();
  const scoreOf = new Map(candidates.map((c) => [c.itemId, c.score]));
  for (const pin of [...(rules.pins ?? [])].sort((a, b) => a.position - b.position)) {
    if (pinnedIds.has(pin.itemId) || !hardAllowed(pin.itemId)) continue;
    let pos = Math.max(0, Math.floor(pin.position) - 1);
    while (pos < k && slots[pos]) pos++;
    if (pos >= k) continue;
    slots[pos] = { itemId: pin.itemId, score: scoreOf.get(pin.itemId) ?? 0, pinned: true };
    pinnedIds.add(pin.itemId);
  }

  let min = Infinity;
  let max = -Infinity;
  for (const c of candidates) {
    if (!Number.isFinite(c.score)) continue;
    if (c.score < min) min = c.score;
    if (c.score > max) max = c.score;
  }
  // Multipliers need positive scores: when some are ≤ 0, shift them into [range, 2·range].
  const shift = Number.isFinite(min) && min <= 0 ? -min + (max - min || 1) : 0;
  const organic: EditorialItem[] = [];
  const seenIds = new Set<string>();
  for (const c of candidates) {
    if (seenIds.has(c.itemId) || pinnedIds.has(c.itemId)) continue;
    seenIds.add(c.itemId);
    if (!hardAllowed(c.itemId) || !passesFilters(c.itemId)) continue;
    let factor = 1;
    if (rules.boosts?.length) {
      const item = context.catalog(c.itemId);
      for (const b of rules.boosts) {
        const matches =
          (b.itemId !== undefined && b.itemId === c.itemId) ||
          (b.category !== undefined && item?.category === b.category) ||
          (b.tag !== undefined && (item?.tags ?? []).includes(b.tag));
        if (matches) factor *= b.factor;
      }
    }
    const score = factor === 1 ? c.score : (c.score + shift) * factor - shift;
    organic.push(factor === 1 ? { itemId: c.itemId, score } : { itemId: c.itemId, score, boosted: true });
  }
  organic.sort((a, b) => b.score - a.score);

  const perCategory = new Map<string, number>();
  const countCategory = (id: string) => {
    const cat = context.catalog(id)?.category;
    if (cat !== undefined) perCategory.set(cat, (perCategory.get(cat) ?? 0) + 1);
  };
  for (const s of slots) if (s) countCategory(s.itemId);
  const cap = rules.maxPerCategory;
  let next = 0;
  for (let pos = 0; pos < k; pos++) {
    if (slots[pos]) continue;
    while (next < organic.length) {
      const cand = organic[next++]!;
      const cat = context.catalog(cand.itemId)?.category;
      if (cap !== undefined && cat !== undefined && (perCategory.get(cat) ?? 0) >= cap) continue;
      slots[pos] = cand;
      countCategory(cand.itemId);
      break;
    }
  }
  return slots.filter((s): s is EditorialItem => s !== undefined);
}
