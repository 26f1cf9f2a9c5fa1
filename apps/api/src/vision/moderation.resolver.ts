import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { authed, type Context } from '../common/context.js';
import { PageArgs } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';
import { ModerationService } from './moderation.service.js';
import {
  ModerationAction,
  ModerationPolicyGQL,
  ModerationReviewConnection,
  ModerationReviewGQL,
  ModerationThresholdInput,
} from './vision.types.js';

@Resolver(() => ModerationReviewGQL)
export class ModerationResolver {
  @Authorized(...Roles.editor)
  @Query(() => ModerationPolicyGQL, {
    description: "The newsroom's moderation thresholds (the default until an admin sets them)",
  })
  moderationPolicy(@Ctx() ctx: Context) {
    return new ModerationService(authed(ctx)).policy();
  }

  @Authorized(...Roles.admin)
  @Mutation(() => ModerationPolicyGQL, {
    description:
      'Sets flag/block thresholds per class (0 to 1, flag not above block); null restores the default. Applies to later analyses',
  })
  setModerationPolicy(
    @Arg('thresholds', () => [ModerationThresholdInput], { nullable: true })
    thresholds: ModerationThresholdInput[] | null,
    @Ctx() ctx: Context,
  ) {
    return new ModerationService(authed(ctx)).setPolicy(thresholds);
  }

  @Authorized(...Roles.editor)
  @Query(() => ModerationReviewConnection, {
    description: 'Images the policy flagged or blocked, waiting for an editor, oldest first',
  })
  moderationQueue(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('decision', () => String, { nullable: true, description: 'flag or block (default both)' })
    decision: string | null,
    @Ctx() ctx: Context,
  ) {
    return new ModerationService(authed(ctx)).queue(page, decision);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => ModerationReviewGQL, { description: 'APPROVE keeps the image; REMOVE takes it out of use' })
  reviewModeration(
    @Arg('assetId', () => ID) assetId: string,
    @Arg('action', () => ModerationAction) action: ModerationAction,
    @Ctx() ctx: Context,
  ) {
    return new ModerationService(authed(ctx)).review(assetId, action);
  }
}
