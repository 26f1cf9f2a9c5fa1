import { DomainError } from '@media-ai/core';
import type { Prisma } from '@media-ai/db';
import type { ModerationPolicy } from '@media-ai/vision';
import { readPolicy, reviewModeration, savePolicy } from '@media-ai/vision-platform';
import type { AuthedContext } from '../common/context.js';
import { paginate, type PageArgs } from '../common/pagination.js';
import {
  MODERATION_CLASS_NAMES,
  ModerationAction,
  type ModerationPolicyGQL,
  type ModerationThresholdInput,
} from './vision.types.js';

function toGQL(policy: ModerationPolicy, isDefault: boolean): ModerationPolicyGQL {
  return {
    isDefault,
    thresholds: MODERATION_CLASS_NAMES.flatMap((className) => {
      const t = policy[className];
      return t ? [{ className, flag: t.flag ?? null, block: t.block ?? null }] : [];
    }),
  };
}

/** Moderation of one request: the policy and reviews live in packages/vision-platform. */
export class ModerationService {
  constructor(private readonly ctx: AuthedContext) {}

  private get db() {
    return this.ctx.db;
  }

  async policy(): Promise<ModerationPolicyGQL> {
    const { policy, isDefault } = await readPolicy(this.db, this.ctx.client.newsroomId);
    return toGQL(policy, isDefault);
  }

  /** Sets the newsroom's thresholds (null: back to the default policy). */
  async setPolicy(thresholds: ModerationThresholdInput[] | null): Promise<ModerationPolicyGQL> {
    await savePolicy(this.db, this.ctx.client.newsroomId, thresholds);
    return this.policy();
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
  review(assetId: string, action: ModerationAction) {
    return reviewModeration(this.db, assetId, action === ModerationAction.APPROVE, this.ctx.client.id);
  }
}
