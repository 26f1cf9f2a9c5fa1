import type { LanguagePair } from './types.js';

/** A path from one language to another over direct pairs: ['por', 'spa', 'eng']. */
export type Route = string[];

/**
 * The shortest route over direct pairs (breadth first, at most `maxHops` steps), or null.
 * Ties go to the first pivot in `preferredPivots`, then alphabetical order, so results are stable.
 */
export function findRoute(
  direct: ReadonlyArray<Pick<LanguagePair, 'from' | 'to'>>,
  from: string,
  to: string,
  options: { maxHops?: number; preferredPivots?: readonly string[] } = {},
): Route | null {
  if (from === to) return [from];
  const maxHops = options.maxHops ?? 2;
  const preferred = options.preferredPivots ?? ['eng', 'spa'];
  const rank = (lang: string): string => {
    const i = preferred.indexOf(lang);
    return i >= 0 ? String(i).padStart(3, '0') : `zzz${lang}`;
  };
  const next = new Map<string, string[]>();
  for (const pair of direct) {
    const list = next.get(pair.from) ?? [];
    if (!list.includes(pair.to)) list.push(pair.to);
    next.set(pair.from, list);
  }
  for (const list of next.values()) list.sort((a, b) => rank(a).localeCompare(rank(b)));

  let frontier: Route[] = [[from]];
  const seen = new Set([from]);
  for (let hop = 0; hop < maxHops; hop++) {
    const nextFrontier: Route[] = [];
    for (const route of frontier) {
      for (const lang of next.get(route[route.length - 1]) ?? []) {
        if (lang === to) return [...route, lang];
        if (!seen.has(lang)) {
          seen.add(lang);
          nextFrontier.push([...route, lang]);
        }
      }
    }
    frontier = nextFrontier;
  }
  return null;
}

/** Every pair reachable over direct pairs, each with its route's pivots in `via`. */
export function expandPivotPairs(
  direct: ReadonlyArray<Pick<LanguagePair, 'from' | 'to'>>,
  options: { maxHops?: number; preferredPivots?: readonly string[] } = {},
): LanguagePair[] {
  const languages = [...new Set(direct.flatMap((p) => [p.from, p.to]))].sort();
  const pairs: LanguagePair[] = [];
  for (const from of languages) {
    for (const to of languages) {
      if (from === to) continue;
      const route = findRoute(direct, from, to, options);
      if (route) pairs.push({ from, to, via: route.slice(1, -1) });
    }
  }
  return pairs;
}
