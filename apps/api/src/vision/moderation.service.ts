import { DomainError } from '@media-ai/core';
import type { Prisma } from '@media-ai/db';
import type { ModerationPolicy } from '@media-ai/vision';
import type { AuthedContext } from '../common/context.js';
import { paginate, type PageArgs } from '../common/pagination.js';
import {
  MODERATION_CLASS_NAMES,
  ModerationAction,
  type ModerationPolicyGQL,
  type ModerationThresholdInput,
} from './vision.types.js';

/** Newsroom.settings key of the policy; the worker reads the same key. */
export const POLICY_SETTING = 'moderationPolicy';

function toGQL(policy: ModerationPolicy, isDefault: boolean): ModerationPolicyGQL {
  return {
    isDefault,
    thresholds: MODERATION_CLASS_NAMES.flatMap((className) => {
      const t = policy[className];
      return t ? [{ className, flag: t.flag ?? null, block: t.block ?? null }] : [];
    }),
  };
}

export class ModerationService {
  constructor(private readonly ctx: AuthedContext) {}

  private get db() {
    return this.ctx.db;
  }

  private async settings(): Promise<Record<string, unknown>> {
    const newsroom = await this.db.newsroom.findUnique({
      where: { id: this.ctx.client.newsroomId },
      select: { settings: true },
    });
    const settings = newsroom?.settings;
    return settings && typeof settings === 'object' && !Array.isArray(settings)
      ? (settings as Record<string, unknown>)
      : {};
  }

  async policy(): Promise<ModerationPolicyGQL> {
    const { DEFAULT_MODERATION_POLICY } = await import('@media-ai/vision');
    const stored = (await this.settings())[POLICY_SETTING] as ModerationPolicy | undefined;
    return stored ? toGQL(stored, false) : toGQL(DEFAULT_MODERATION_POLICY, true);
  }

  /** Sets the newsroom's thresholds (null: back to the default policy). */
  async setPolicy(thresholds: ModerationThresholdInput[] | null): Promise<ModerationPolicyGQL> {
    const { validatePolicy } = await import('@media-ai/vision');
    const settings = await this.settings();
    if (thresholds === null) {
      const { [POLICY_SETTING]: _dropped, ...rest } = settings;
      await this.db.newsroom.update({
        where: { id: this.ctx.client.newsroomId },
        data: { settings: rest as Prisma.InputJsonValue },
      });
      return this.policy();
    }
    const policy: ModerationPolicy = {};
    for (const t of thresholds) {
      const className = t.className as keyof ModerationPolicy;
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
    const problems = validatePolicy(policy);
    if (problems.length > 0) {
      throw new DomainError('BAD_USER_INPUT', `The moderation policy is invalid: ${problems.join('; ')}`, {
        problems,
      });
    }
    await this.db.newsroom.update({
      where: { id: this.ctx.client.newsroomId },
      data: { settings: { ...settings, [POLICY_SETTING]: policy } as unknown as Prisma.InputJsonValue },
    });
    return toGQL(policy, false);
  }

  /** Images flagged or blocked by the policy that no editor has reviewed yet, oldest first. */
  queue(page: PageArgs, decision: string | null) {
    if (decision && decision !== 'flag' && decision !== 'block') {
      throw new DomainError('BAD_USER_INPUT', 'decision must be flag or block');
    }
    const where: Prisma.ModerationReviewWhereInput = {
      status: 'PENDING',
      decision: decision ? decision : { in: ['flag', 'block'] },
    };
    return paginate(
      page,
      async (q) => {
        const rows = await this.db.moderationReview.findMany({
          where,
          orderBy: [{ createdAt: 'asc' }, { assetId: 'asc' }],
          take: q.take,
          ...(q.cursor ? { cursor: { assetId: q.cursor.id }, skip: q.skip } : {}),
        });
        return rows.map((r) => ({ ...r, id: r.assetId }));
      },
      () => this.db.moderationReview.count({ where }),
    );
  }

  /** APPROVE keeps the image in use (ACCEPTED); REMOVE takes it out (REJECTED: searchAssets leaves it out). */
  async review(assetId: string, action: ModerationAction) {
    const review = await this.db.moderationReview.findUnique({ where: { assetId } });
    if (!review) {
      throw new DomainError(
        'NOT_FOUND',
        `Asset ${assetId} has no moderation result; run analyzeAsset with MODERATION first`,
      );
    }
    return this.db.moderationReview.update({
      where: { assetId },
      data: {
        status: action === ModerationAction.APPROVE ? 'ACCEPTED' : 'REJECTED',
        reviewedAt: new Date(),
        reviewedById: this.ctx.client.id,
      },
    });
  }
}
