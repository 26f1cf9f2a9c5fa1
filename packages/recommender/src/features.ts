import type { CatalogItem } from './catalog.js';

const STOPWORDS = new Set(
  'a an and are as at be by for from has have in is it its of on or that the this to was were will with'.split(
    ' ',
  ),
);

/** Lower-cased word tokens, stop words and 1-letter words dropped. */
export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => t.length > 1 && !STOPWORDS.has(t));
}

/** 32-bit FNV-1a. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface FeatureConfig {
  hashBuckets: number;
  maxTokens: number;
  maxTags: number;
  /** Category → index; index 0 is "unknown". */
  categories: Map<string, number>;
}

export interface EncodedItem {
  /** Hashed word ids, then a parallel weight per slot (1/count; 0 = padding). */
  tokens: Int32Array;
  tokenWeights: Float32Array;
  tags: Int32Array;
  tagWeights: Float32Array;
  category: number;
  publishedAt: number;
}

function hashedBag(keys: string[], max: number, buckets: number): { ids: Int32Array; weights: Float32Array } {
  const ids = new Int32Array(max);
  const weights = new Float32Array(max);
  const unique = [...new Set(keys)].slice(0, max);
  unique.forEach((k, n) => {
    ids[n] = fnv1a(k) % buckets;
    weights[n] = 1 / unique.length;
  });
  return { ids, weights };
}

/** Fixed-size numeric features of an item (title/text words and tags hashed, category indexed). */
export function encodeItem(item: CatalogItem | undefined, cfg: FeatureConfig): EncodedItem {
  const words = tokenize(`${item?.title ?? ''} ${(item?.text ?? '').slice(0, 400)}`).map((w) => `w:${w}`);
  const tags = (item?.tags ?? []).map((t) => `t:${t.toLowerCase()}`);
  const tok = hashedBag(words, cfg.maxTokens, cfg.hashBuckets);
  const tag = hashedBag(tags, cfg.maxTags, cfg.hashBuckets);
  return {
    tokens: tok.ids,
    tokenWeights: tok.weights,
    tags: tag.ids,
    tagWeights: tag.weights,
    category: (item?.category !== undefined ? cfg.categories.get(item.category) : undefined) ?? 0,
    publishedAt: item?.publishedAt ?? Number.NaN,
  };
}

const HOUR = 3_600_000;
/** Upper bounds (hours) of the age buckets 2..; bucket 0 = unknown date, 1 = published in the future. */
const AGE_BOUNDS_H = [1, 3, 6, 12, 24, 48, 96, 168, 336, 720, 2160, 8760, 26280];
export const AGE_BUCKETS = AGE_BOUNDS_H.length + 3;

/** Freshness bucket of an item of the given publication time, seen at time `at`. */
export function ageBucket(publishedAt: number, at: number): number {
  if (!Number.isFinite(publishedAt) || !Number.isFinite(at)) return 0;
  const hours = (at - publishedAt) / HOUR;
  if (hours < 0) return 1;
  for (let b = 0; b < AGE_BOUNDS_H.length; b++) if (hours < AGE_BOUNDS_H[b]!) return b + 2;
  return AGE_BUCKETS - 1;
}
