import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { authed, type Context } from '../common/context.js';
import { PageArgs } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';
import { JobGQL } from '../jobs/job.types.js';
import { MediaAssetGQL } from '../assets/assets.js';
import { GraphicsService } from './graphics.service.js';
import {
  BrandTemplateGQL,
  BrandTemplateInput,
  GenerateImageInput,
  GeneratedGraphicConnection,
  GeneratedGraphicGQL,
  GraphicTypeGQL,
  GraphicsOptionsGQL,
  MakeChartInput,
  MakeSocialCardsInput,
} from './graphics.types.js';

const service = (ctx: Context) => new GraphicsService(authed(ctx));

@Resolver(() => GeneratedGraphicGQL)
export class GraphicsResolver {
  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      "Queues graphics.card: the headline (and quote, byline) over a smart crop of the photo in the newsroom's brand template, one PNG per format",
  })
  makeSocialCards(
    @Arg('input', () => MakeSocialCardsInput) input: MakeSocialCardsInput,
    @Ctx() ctx: Context,
  ) {
    return service(ctx).makeCards(input);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      'Queues graphics.chart: a bar, column or line chart from a table or a data-to-text draft, PNG and SVG, with a traced description',
  })
  makeChart(@Arg('input', () => MakeChartInput) input: MakeChartInput, @Ctx() ctx: Context) {
    return service(ctx).makeChart(input);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      'Queues graphics.image: an image from the configured image server, checked by the moderation model, stored labelled AI-generated',
  })
  generateImage(@Arg('input', () => GenerateImageInput) input: GenerateImageInput, @Ctx() ctx: Context) {
    return service(ctx).generateImage(input);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      "Makes a generated graphic again from its stored inputs with today's brand template (an unchanged card or chart comes back as the same asset)",
  })
  regenerateGraphic(@Arg('assetId', () => ID) assetId: string, @Ctx() ctx: Context) {
    return service(ctx).regenerate(assetId);
  }

  @Authorized(...Roles.any)
  @Query(() => GeneratedGraphicConnection, {
    description: 'Cards, charts and generated images, newest first',
  })
  async graphics(
    @Arg('type', () => GraphicTypeGQL, { nullable: true }) type: GraphicTypeGQL | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    const s = service(ctx);
    const conn = await s.list(type, page);
    return {
      ...conn,
      edges: await Promise.all(conn.edges.map(async (e) => ({ ...e, node: await s.toGQL(e.node) }))),
    };
  }

  @Authorized(...Roles.any)
  @Query(() => GeneratedGraphicGQL, { nullable: true, description: 'The graphic an asset is, or null' })
  async graphic(@Arg('assetId', () => ID) assetId: string, @Ctx() ctx: Context) {
    const s = service(ctx);
    const row = await s.one(assetId);
    return row ? s.toGQL(row) : null;
  }

  @Authorized(...Roles.any)
  @Query(() => GraphicsOptionsGQL, {
    description: 'Card formats, brand fonts, supported scripts, the image model',
  })
  graphicsOptions(@Ctx() ctx: Context) {
    return service(ctx).options();
  }

  @Authorized(...Roles.editor)
  @Query(() => BrandTemplateGQL, { description: "The newsroom's brand template for cards and charts" })
  brandTemplate(@Ctx() ctx: Context) {
    return service(ctx).brandTemplate();
  }

  @Authorized(...Roles.admin)
  @Mutation(() => BrandTemplateGQL, {
    description: "Sets fields of the newsroom's brand template; later graphics use it",
  })
  setBrandTemplate(@Arg('input', () => BrandTemplateInput) input: BrandTemplateInput, @Ctx() ctx: Context) {
    return service(ctx).setBrandTemplate(input);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => MediaAssetGQL, { nullable: true, description: 'The image asset' })
  asset(@Root() g: GeneratedGraphicGQL, @Ctx() ctx: Context) {
    return authed(ctx).loaders.asset.load(g.assetId);
  }
}
