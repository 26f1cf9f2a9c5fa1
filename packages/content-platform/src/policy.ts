/**
 * The newsroom's generation policy, stored in Newsroom.settings under "generationPolicy":
 * {guardrails: 'flag' | 'reject', bannedTerms: string[], summaryMaxChars?, headlineMaxChars?, socialMaxChars?}.
 */
export interface GenerationPolicy {
  /** flag: problems are reported and the item waits for review; reject: the item is stored as REJECTED. */
  guardrails: 'flag' | 'reject';
  bannedTerms: string[];
  /** Length limits the guardrails check when a request gives none. */
  summaryMaxChars: number | null;
  headlineMaxChars: number;
  socialMaxChars: number;
}

export const POLICY_KEY = 'generationPolicy';

export const DEFAULT_POLICY: GenerationPolicy = {
  guardrails: 'flag',
  bannedTerms: [],
  summaryMaxChars: null,
  headlineMaxChars: 80,
  socialMaxChars: 280,
};

const positiveInt = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;

/** The policy from Newsroom.settings, defaults for whatever is absent or malformed. */
export function parseGenerationPolicy(settings: unknown): GenerationPolicy {
  const raw =
    settings && typeof settings === 'object' && !Array.isArray(settings)
      ? (settings as Record<string, unknown>)[POLICY_KEY]
      : undefined;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ...DEFAULT_POLICY };
  const p = raw as Record<string, unknown>;
  return {
    guardrails: p.guardrails === 'reject' ? 'reject' : 'flag',
    bannedTerms: Array.isArray(p.bannedTerms)
      ? p.bannedTerms.filter((t): t is string => typeof t === 'string' && t.trim() !== '')
      : [],
    summaryMaxChars: positiveInt(p.summaryMaxChars) ?? null,
    headlineMaxChars: positiveInt(p.headlineMaxChars) ?? DEFAULT_POLICY.headlineMaxChars,
    socialMaxChars: positiveInt(p.socialMaxChars) ?? DEFAULT_POLICY.socialMaxChars,
  };
}
