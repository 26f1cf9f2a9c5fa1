import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Field,
  ID,
  InputType,
  Int,
  ObjectType,
  FieldResolver,
  Float,
  Query,
  Resolver,
  Root,
  registerEnumType,
} from 'type-graphql';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';
import { DomainError } from '@media-ai/core';
import { ModelStatus, type Prisma } from '@media-ai/db';
import { authed, type Context } from '../common/context.js';
import { ConnectionType, PageArgs, paginate } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';

registerEnumType(ModelStatus, { name: 'ModelStatus' });

@ObjectType('ModelGate', {
  description:
    'Why a trained version serves or not: ACTIVE only with enough validation items (100+, or 5-fold cross-validation) and a paired bootstrap showing it beats what served',
})
export class ModelGateGQL {
  @Field(() => Boolean) passed!: boolean;
  @Field(() => String, {
    description: 'e.g. "kept as CANDIDATE: validated on 12 item(s); activation needs …"',
  })
  reason!: string;
  @Field(() => String) metric!: string;
  @Field(() => String, { description: 'The ACTIVE version or baseline it was compared with' })
  against!: string;
  @Field(() => Int) items!: number;
  @Field(() => Int, { nullable: true }) folds!: number | null;
  @Field(() => Float) candidate!: number;
  @Field(() => Float) reference!: number;
  @Field(() => Float, { description: 'candidate − reference, positive = better' }) delta!: number;
  @Field(() => Float, { nullable: true }) ciLow!: number | null;
  @Field(() => Float, { nullable: true }) ciHigh!: number | null;
  @Field(() => Float, { nullable: true }) pValue!: number | null;
}

@ObjectType('ModelVersion')
export class ModelVersionGQL {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'recommender, content, speech, vision, translate' }) area!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) version!: number;
  @Field(() => String) algorithm!: string;
  @Field(() => GraphQLJSON) params!: unknown;
  @Field(() => GraphQLDateTime, { nullable: true }) dataWindowStart!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) dataWindowEnd!: Date | null;
  @Field(() => GraphQLJSON) metrics!: unknown;
  @Field(() => GraphQLJSON, { description: 'Per-epoch training history' }) history!: unknown;
  @Field(() => Int) artifactBytes!: number;
  @Field(() => ModelStatus) status!: ModelStatus;
  @Field(() => String, { nullable: true }) backend!: string | null;
  @Field(() => ID, { nullable: true }) trainingJobId!: string | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) activatedAt!: Date | null;
  @Field(() => ModelGateGQL, {
    nullable: true,
    description: 'The activation gate’s decision (metrics.gate); null for versions built before the gate',
  })
  gate?: ModelGateGQL | null;
}

export const ModelVersionConnection = ConnectionType(ModelVersionGQL, 'ModelVersion');

@InputType()
export class ModelFilter {
  @Field(() => String, { nullable: true }) area?: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => [ModelStatus], { nullable: true }) statuses?: ModelStatus[];
}

/** Model versions carry their artifact in the database; it is never selected for listings. */
export const modelSelect = {
  id: true,
  area: true,
  name: true,
  version: true,
  algorithm: true,
  params: true,
  dataWindowStart: true,
  dataWindowEnd: true,
  metrics: true,
  history: true,
  artifactBytes: true,
  status: true,
  backend: true,
  trainingJobId: true,
  notes: true,
  createdAt: true,
  activatedAt: true,
} satisfies Prisma.ModelVersionSelect;

@Resolver(() => ModelVersionGQL)
export class ModelRegistryResolver {
  @Authorized(...Roles.any)
  @Query(() => ModelVersionConnection, { description: 'The model registry, newest first' })
  modelVersions(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ModelFilter, { nullable: true }) f: ModelFilter | undefined,
    @Ctx() ctx: Context,
  ) {
    const { db } = authed(ctx);
    const where: Prisma.ModelVersionWhereInput = {
      ...(f?.area ? { area: f.area } : {}),
      ...(f?.name ? { name: f.name } : {}),
      ...(f?.statuses?.length ? { status: { in: f.statuses } } : {}),
    };
    return paginate(
      page,
      (q) =>
        db.modelVersion.findMany({
          where,
          select: modelSelect,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          ...q,
        }),
      () => db.modelVersion.count({ where }),
    );
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => ModelGateGQL, { nullable: true })
  gate(@Root() row: { metrics?: unknown }): ModelGateGQL | null {
    const gate = (row.metrics as { gate?: ModelGateGQL } | null | undefined)?.gate;
    return gate && typeof gate.reason === 'string' ? gate : null;
  }

  @Authorized(...Roles.any)
  @Query(() => ModelVersionGQL)
  async modelVersion(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const row = await authed(ctx).db.modelVersion.findUnique({ where: { id }, select: modelSelect });
    if (!row) throw new DomainError('NOT_FOUND', `Model version ${id} was not found`);
    return row;
  }
}
