/** Counts of one arm of an experiment. */
export interface ArmCounts {
  requests: number;
  impressions: number;
  clicks: number;
}

export interface RateInterval {
  rate: number;
  low: number;
  high: number;
}

export type Verdict = 'too-early' | 'candidate-better' | 'control-better' | 'no-clear-difference';

export interface Comparison {
  /** Candidate rate minus control rate (clicks per impression), with its 95% interval. */
  difference: number;
  low: number;
  high: number;
  /** Candidate rate / control rate − 1; null while the control has no clicks. */
  relativeLift: number | null;
  verdict: Verdict;
}

const Z95 = 1.959964;
/** Impressions per arm below which no verdict is given. */
export const MIN_IMPRESSIONS = 200;

/** Clicks per impression with a 95% Wilson score interval (sound for small counts and rates near 0). */
export function wilson(successes: number, trials: number): RateInterval {
  if (trials <= 0) return { rate: 0, low: 0, high: 1 };
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const denom = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denom;
  const half = (Z95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denom;
  return { rate: p, low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/**
 * Candidate against control: the difference of click-through rates with a 95% normal-approximation
 * interval. Impressions of one reader are not independent, so the interval is optimistic when a few
 * readers dominate; the verdict waits for MIN_IMPRESSIONS on each arm.
 */
export function compareArms(control: ArmCounts, candidate: ArmCounts): Comparison {
  const p0 = control.impressions ? control.clicks / control.impressions : 0;
  const p1 = candidate.impressions ? candidate.clicks / candidate.impressions : 0;
  const difference = p1 - p0;
  const se = Math.sqrt(
    (control.impressions ? (p0 * (1 - p0)) / control.impressions : 0) +
      (candidate.impressions ? (p1 * (1 - p1)) / candidate.impressions : 0),
  );
  const low = difference - Z95 * se;
  const high = difference + Z95 * se;
  let verdict: Verdict;
  if (control.impressions < MIN_IMPRESSIONS || candidate.impressions < MIN_IMPRESSIONS) verdict = 'too-early';
  else if (low > 0) verdict = 'candidate-better';
  else if (high < 0) verdict = 'control-better';
  else verdict = 'no-clear-difference';
  return { difference, low, high, relativeLift: p0 > 0 ? p1 / p0 - 1 : null, verdict };
}

/**
 * A reader's arm: a stable hash of experiment and reader against the candidate's share (FNV-1a with
 * murmur3's finaliser: ids that differ in their last characters alone must still spread evenly).
 */
export function armOf(
  experimentId: string,
  readerId: string,
  candidateShare: number,
): 'control' | 'candidate' {
  let h = 0x811c9dc5;
  const s = `${experimentId}:${readerId}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296 < candidateShare ? 'candidate' : 'control';
}
