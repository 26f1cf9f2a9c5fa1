/** The five classes of the nsfwjs models. */
export const MODERATION_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;
export type ModerationClass = (typeof MODERATION_CLASSES)[number];

export type ModerationScores = Record<ModerationClass, number>;

export interface ClassThresholds {
  /** Send to a human when the class score reaches this. */
  flag?: number;
  /** Refuse outright when the class score reaches this. */
  block?: number;
}

export type ModerationPolicy = Partial<Record<ModerationClass, ClassThresholds>>;

export type ModerationDecision = 'allow' | 'flag' | 'block';

export interface ModerationReason {
  className: ModerationClass;
  score: number;
  threshold: number;
  action: 'flag' | 'block';
}

export interface ModerationVerdict {
  decision: ModerationDecision;
  reasons: ModerationReason[];
  scores: ModerationScores;
}

/**
 * A newsroom default: explicit classes are blocked when the model is sure and
 * flagged for review when it is not; suggestive photos are only flagged.
 */
export const DEFAULT_MODERATION_POLICY: ModerationPolicy = {
  Porn: { flag: 0.3, block: 0.8 },
  Hentai: { flag: 0.3, block: 0.8 },
  Sexy: { flag: 0.6 },
};

/** Checks a policy: thresholds in [0, 1] and flag not above block. */
export function validatePolicy(policy: ModerationPolicy): string[] {
  const problems: string[] = [];
  for (const [name, thresholds] of Object.entries(policy)) {
    if (!(MODERATION_CLASSES as readonly string[]).includes(name)) problems.push(`unknown class ${name}`);
    for (const key of ['flag', 'block'] as const) {
      const value = thresholds?.[key];
      if (value !== undefined && !(value >= 0 && value <= 1))
        problems.push(`${name}.${key} must be between 0 and 1`);
    }
    if (
      thresholds?.flag !== undefined &&
      thresholds.block !== undefined &&
      thresholds.flag > thresholds.block
    ) {
      problems.push(`${name}.flag is above ${name}.block`);
    }
  }
  return problems;
}

/** Applies a policy to class scores: block beats flag beats allow; every crossed threshold is a reason. */
export function decideModeration(
  scores: ModerationScores,
  policy: ModerationPolicy = DEFAULT_MODERATION_POLICY,
): ModerationVerdict {
  const problems = validatePolicy(policy);
  if (problems.length > 0) throw new RangeError(`Invalid moderation policy: ${problems.join('; ')}`);
  const reasons: ModerationReason[] = [];
  for (const className of MODERATION_CLASSES) {
    const thresholds = policy[className];
    if (!thresholds) continue;
    const score = scores[className] ?? 0;
    if (thresholds.block !== undefined && score >= thresholds.block) {
      reasons.push({ className, score, threshold: thresholds.block, action: 'block' });
    } else if (thresholds.flag !== undefined && score >= thresholds.flag) {
      reasons.push({ className, score, threshold: thresholds.flag, action: 'flag' });
    }
  }
  reasons.sort((a, b) => (a.action === b.action ? b.score - a.score : a.action === 'block' ? -1 : 1));
  const decision: ModerationDecision = reasons.some((r) => r.action === 'block')
    ? 'block'
    : reasons.length > 0
      ? 'flag'
      : 'allow';
  return { decision, reasons, scores };
}
