import { DomainError } from '@media-ai/core';
import type { Prisma, ReviewStatus, TenantDb } from '@media-ai/db';
import type {
  ModerationClass,
  ModerationDecision,
  ModerationPolicy,
  ModerationVerdict,
} from '@media-ai/vision';
import { POLICY_SETTING } from './constants.js';

/*
 * A newsroom's moderation policy (in Newsroom.settings) and the review of each verdict. The engine
 * package is imported when needed: the API loads no models.
 */

async function settingsOf(db: TenantDb, newsroomId: string): Promise<Record<string, unknown>> {
  const newsroom = await db.newsroom.findUnique({ where: { id: newsroomId }, select: { settings: true } });
  const settings = newsroom?.settings;
  return settings && typeof settings === 'object' && !Array.isArray(settings)
    ? (settings as Record<string, unknown>)
    : {};
}

/** The newsroom's policy, or the default one (isDefault) when it set none. */
export async function readPolicy(
  db: TenantDb,
  newsroomId: string,
): Promise<{ policy: ModerationPolicy; isDefault: boolean }> {
  const stored = (await settingsOf(db, newsroomId))[POLICY_SETTING];
  if (stored === undefined || stored === null) {
    const { DEFAULT_MODERATION_POLICY } = await import('@media-ai/vision');
    return { policy: DEFAULT_MODERATION_POLICY, isDefault: true };
  }
  return { policy: stored as ModerationPolicy, isDefault: false };
}

/** The policy an analysis applies; a stored policy that no longer validates is refused with what to do. */
export async function loadPolicy(db: TenantDb, newsroomId: string): Promise<ModerationPolicy> {
  const { policy, isDefault } = await readPolicy(db, newsroomId);
  if (isDefault) return policy;
  const { validatePolicy } = await import('@media-ai/vision');
  const problems = typeof policy === 'object' ? validatePolicy(policy) : ['it is not an object'];
  if (problems.length > 0) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `The newsroom's moderation policy is invalid (${problems.join('; ')}); set it again with setModerationPolicy`,
    );
  }
  return policy;
}

export interface ModerationThreshold {
  className: string;
  flag?: number | null;
  block?: number | null;
}

/** Sets the newsroom's thresholds, each class once; null goes back to the default policy. */
export async function savePolicy(
  db: TenantDb,
  newsroomId: string,
  thresholds: readonly ModerationThreshold[] | null,
): Promise<void> {
  const settings = await settingsOf(db, newsroomId);
  if (thresholds === null) {
    const { [POLICY_SETTING]: _dropped, ...rest } = settings;
    await db.newsroom.update({
      where: { id: newsroomId },
      data: { settings: rest as Prisma.InputJsonValue },
    });
    return;
  }
  const policy: ModerationPolicy = {};
  for (const t of thresholds) {
    const className = t.className as ModerationClass;
    if (policy[className])
      throw new DomainError('BAD_USER_INPUT', `${t.className} is given twice; give each class once`);
    if (t.flag == null && t.block == null) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `${t.className} needs a flag or a block threshold (or leave the class out)`,
      );
    }
    policy[className] = {
      ...(t.flag != null ? { flag: t.flag } : {}),
      ...(t.block != null ? { block: t.block } : {}),
    };
  }
  const { validatePolicy } = await import('@media-ai/vision');
  const problems = validatePolicy(policy);
  if (problems.length > 0) {
    throw new DomainError('BAD_USER_INPUT', `The moderation policy is invalid: ${problems.join('; ')}`, {
      problems,
    });
  }
  await db.newsroom.update({
    where: { id: newsroomId },
    data: { settings: { ...settings, [POLICY_SETTING]: policy } as unknown as Prisma.InputJsonValue },
  });
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

/** An editor's review: approve keeps the image in use (ACCEPTED), remove takes it out (REJECTED). */
export async function reviewModeration(
  db: TenantDb,
  assetId: string,
  approve: boolean,
  reviewedById: string,
) {
  const review = await db.moderationReview.findUnique({ where: { assetId } });
  if (!review) {
    throw new DomainError(
      'NOT_FOUND',
      `Asset ${assetId} has no moderation result; run analyzeAsset with MODERATION first`,
    );
  }
  return db.moderationReview.update({
    where: { assetId },
    data: { status: approve ? 'ACCEPTED' : 'REJECTED', reviewedAt: new Date(), reviewedById },
  });
}
