import type { Prisma, ReviewStatus, TenantDb } from '@media-ai/db';
import { PermanentJobError } from '@media-ai/jobs';
import {
  DEFAULT_MODERATION_POLICY,
  validatePolicy,
  type ModerationDecision,
  type ModerationPolicy,
  type ModerationVerdict,
} from '@media-ai/vision';

/** Newsroom.settings key of the newsroom's moderation policy (set through setModerationPolicy). */
export const POLICY_SETTING = 'moderationPolicy';

export async function loadPolicy(db: TenantDb, newsroomId: string): Promise<ModerationPolicy> {
  const newsroom = await db.newsroom.findUnique({ where: { id: newsroomId }, select: { settings: true } });
  const settings = (newsroom?.settings ?? {}) as Record<string, unknown>;
  const stored = settings[POLICY_SETTING];
  if (stored === undefined || stored === null) return DEFAULT_MODERATION_POLICY;
  const policy = stored as ModerationPolicy;
  const problems = typeof stored === 'object' ? validatePolicy(policy) : ['it is not an object'];
  if (problems.length > 0) {
    throw new PermanentJobError(
      `The newsroom's moderation policy is invalid (${problems.join('; ')}); set it again with setModerationPolicy`,
      'BAD_USER_INPUT',
    );
  }
  return policy;
}

const STRICTNESS: Record<ModerationDecision, number> = { allow: 0, flag: 1, block: 2 };

/**
 * Records the verdict for review. A flag or block waits for an editor (PENDING); an allow needs
 * no review. An editor's verdict stands on re-analysis unless the new decision is stricter.
 */
export async function storeModerationReview(
  db: TenantDb,
  assetId: string,
  verdict: ModerationVerdict,
): Promise<void> {
  const existing = await db.moderationReview.findUnique({ where: { assetId } });
  const reviewed = existing?.reviewedAt != null;
  const stricter =
    !existing ||
    STRICTNESS[verdict.decision] > STRICTNESS[(existing.decision as ModerationDecision) ?? 'allow'];
  let status: ReviewStatus = verdict.decision === 'allow' ? 'ACCEPTED' : 'PENDING';
  let reviewedAt: Date | null = null;
  let reviewedById: string | null = null;
  if (existing && reviewed && !stricter) {
    status = existing.status;
    reviewedAt = existing.reviewedAt;
    reviewedById = existing.reviewedById;
  }
  const data = {
    decision: verdict.decision,
    scores: verdict.scores as unknown as Prisma.InputJsonValue,
    reasons: verdict.reasons as unknown as Prisma.InputJsonValue,
    status,
    reviewedAt,
    reviewedById,
  };
  await db.moderationReview.upsert({
    where: { assetId },
    create: { assetId, ...data },
    update: data,
  });
}
