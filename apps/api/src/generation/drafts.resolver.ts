import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { authed, type Context } from '../common/context.js';
import { PageArgs } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';
import { DraftService } from './drafts.service.js';
import {
  DraftGQL,
  DraftTemplateConnection,
  DraftTemplateGQL,
  RenderDraftArgs,
  TemplateValidationGQL,
  UpsertDraftTemplateArgs,
} from './generation.types.js';

const service = (ctx: Context) => new DraftService(authed(ctx));

@Resolver()
export class DraftResolver {
  @Authorized(...Roles.any)
  @Query(() => DraftTemplateConnection, {
    description:
      "The newsroom's data-to-text templates, newest first (the defaults — sports, earnings, election, weather — are added on first use)",
  })
  draftTemplates(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('kind', () => String, { nullable: true }) kind: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return service(ctx).list(page, kind);
  }

  @Authorized(...Roles.any)
  @Query(() => DraftTemplateGQL, { description: 'A template by name or id' })
  draftTemplate(@Arg('template', () => String) template: string, @Ctx() ctx: Context) {
    return service(ctx).find(template);
  }

  @Authorized(...Roles.editor)
  @Query(() => TemplateValidationGQL, {
    description:
      'Checks a template without saving it: syntax, fields (against sampleData, or the default template of that name), formatters, numbers that no data produces',
  })
  validateDraftTemplate(
    @Arg('body', () => String) body: string,
    @Arg('sampleData', () => GraphQLJSON, { nullable: true }) sampleData: unknown,
    @Arg('name', () => String, { nullable: true }) name: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return service(ctx).validate(body, sampleData, name);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => DraftTemplateGQL, {
    description:
      "Creates or replaces a template by name; refused with each error's line and column when it does not validate",
  })
  upsertDraftTemplate(
    @Args(() => UpsertDraftTemplateArgs) args: UpsertDraftTemplateArgs,
    @Ctx() ctx: Context,
  ) {
    return service(ctx).upsert(args);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => Boolean)
  deleteDraftTemplate(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return service(ctx).delete(id);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => DraftGQL, {
    description:
      'A draft from data: the text, where each of its numbers came from, stored as a DRAFT item for review',
  })
  renderDraft(@Args(() => RenderDraftArgs) args: RenderDraftArgs, @Ctx() ctx: Context) {
    return service(ctx).render(args);
  }
}
