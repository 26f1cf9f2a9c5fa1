import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { ContentType, EditorialRuleKind } from '@media-ai/db';
import { ContentItemGQL } from '../content/content.types.js';
import { ConnectionType } from '../common/pagination.js';
import { ExperimentAssignment } from './experiment.types.js';
import { JobGQL } from '../jobs/job.types.js';

registerEnumType(EditorialRuleKind, { name: 'EditorialRuleKind' });

export const MAX_RECOMMENDATIONS = 100;
export const ALGORITHMS = ['popularity', 'item-knn', 'bpr', 'als', 'ease', 'two-tower', 'blend'] as const;

@ObjectType()
export class ServedModelRef {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String) algorithm!: string;
  @Field(() => String, { description: 'Implementation version of the algorithm in the recommender package' })
  engineVersion!: string;
}

@ObjectType()
export class RecommendedItem {
  @Field(() => ContentItemGQL) content!: ContentItemGQL;
  @Field(() => Float, { description: 'Ranking score (model-specific scale; higher is better)' })
  score!: number;
  @Field(() => String, { description: 'Short reason for the reader, e.g. "Because you read …"' })
  reason!: string;
  @Field(() => String, {
    description:
      'because-you-read, new-in-category, trending, popular-in-category, popular, editors-pick, new, similar',
  })
  reasonKind!: string;
  @Field(() => ID, { nullable: true, description: 'The read item behind a "Because you read" reason' })
  relatedContentId!: string | null;
  @Field(() => Boolean, { description: 'Placed by an editorial PIN' }) pinned!: boolean;
  @Field(() => Boolean, { description: 'Raised or lowered by an editorial BOOST' }) boosted!: boolean;
}

@ObjectType()
export class RecommendationList {
  @Field(() => [RecommendedItem], { description: 'Best first; a ranked top-N list, not pageable' })
  items!: RecommendedItem[];
  @Field(() => ServedModelRef, {
    nullable: true,
    description: 'The model version that ranked the list; null for cold start without a model',
  })
  modelVersion!: ServedModelRef | null;
  @Field(() => Boolean, {
    description: 'True when the reader is unknown (or has no usable history): popular and trending items',
  })
  coldStart!: boolean;
  @Field(() => ExperimentAssignment, {
    nullable: true,
    description: 'The experiment arm that served this list, when the reader is in a running experiment',
  })
  experiment!: ExperimentAssignment | null;
  @Field(() => Float, { description: 'Server time spent, milliseconds' }) tookMs!: number;
}

@InputType()
export class RecommendationFilter {
  @Field(() => [ContentType], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  contentTypes?: ContentType[];
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50, { message: 'give at most 50 categories' })
  categories?: string[];
  @Field(() => String, { nullable: true, description: 'e.g. "en"' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, { message: 'language must be a code like "en" or "pt-BR"' })
  language?: string;
  @Field(() => GraphQLDateTime, { nullable: true }) @IsOptional() publishedSince?: Date;
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description: 'Leave out what the reader has already interacted with',
  })
  @IsOptional()
  excludeSeen?: boolean;
}

@ObjectType('EditorialRule')
export class EditorialRuleGQL {
  @Field(() => ID) id!: string;
  @Field(() => ID) contentId!: string;
  @Field(() => EditorialRuleKind) kind!: EditorialRuleKind;
  @Field(() => Int, { nullable: true, description: 'PIN: 1-based position' }) position!: number | null;
  @Field(() => Float, { nullable: true, description: 'BOOST: score multiplier' }) factor!: number | null;
  @Field(() => GraphQLDateTime, { nullable: true }) startsAt!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'EMBARGO: hidden until this time' })
  endsAt!: Date | null;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => ID, { nullable: true }) createdById!: string | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

export const EditorialRuleConnection = ConnectionType(EditorialRuleGQL, 'EditorialRule');

@InputType()
export class EditorialWindow {
  @Field(() => GraphQLDateTime, { nullable: true }) @IsOptional() startsAt?: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) @IsOptional() endsAt?: Date;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500, { message: 'note must be at most 500 characters' })
  note?: string;
}

@ObjectType('RecommenderConfig')
export class RecommenderConfigGQL {
  @Field(() => GraphQLJSON, {
    description:
      'Weight per event type in force (built-in weights under the newsroom’s own); negative = hidden/disliked',
  })
  eventWeights!: unknown;
  @Field(() => Float, { description: 'Half-life of interaction weights in days; 0 = no time decay' })
  halfLifeDays!: number;
  @Field(() => Int, { description: 'At most this many items of one category per list (0 = no cap)' })
  categoryCap!: number;
  @Field(() => String) algorithm!: string;
  @Field(() => String, { nullable: true }) retrainCron!: string | null;
  @Field(() => GraphQLJSON) params!: unknown;
  @Field(() => GraphQLDateTime) updatedAt!: Date;
}

@InputType()
export class RecommenderConfigInput {
  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      'The newsroom’s own weights over the built-in ones, e.g. {"click": 1, "read": 2, "hide": -4} (0 drops an event type); replaces the previous own weights',
  })
  @IsOptional()
  eventWeights?: Record<string, number>;
  @Field(() => Float, {
    nullable: true,
    description: 'Half-life of interaction weights in days (0.1–3650); 0 or null = no time decay',
  })
  @IsOptional()
  @Min(0, { message: 'halfLifeDays must be 0 (no decay) or from 0.1 to 3650' })
  @Max(3650, { message: 'halfLifeDays must be at most 3650' })
  halfLifeDays?: number | null;
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'categoryCap must be 0 (no cap) or more' })
  @Max(100, { message: 'categoryCap must be at most 100' })
  categoryCap?: number;
  @Field(() => String, {
    nullable: true,
    description: `Trained by scheduled retraining: ${ALGORITHMS.join(', ')}`,
  })
  @IsOptional()
  @IsIn(ALGORITHMS, { message: `algorithm must be one of ${ALGORITHMS.join(', ')}` })
  algorithm?: string;
  @Field(() => String, {
    nullable: true,
    description: 'Cron pattern, e.g. "0 3 * * *"; empty string turns scheduled retraining off',
  })
  @IsOptional()
  @MaxLength(100, { message: 'retrainCron must be at most 100 characters' })
  retrainCron?: string;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'Hyperparameters for training, e.g. {"factors": 64}',
  })
  @IsOptional()
  params?: Record<string, unknown>;
}

@InputType()
export class TrainRecommenderInput {
  @Field(() => String, { nullable: true, description: ALGORITHMS.join(', ') })
  @IsOptional()
  @IsIn(ALGORITHMS, { message: `algorithm must be one of ${ALGORITHMS.join(', ')}` })
  algorithm?: (typeof ALGORITHMS)[number];
  @Field(() => GraphQLJSON, { nullable: true }) @IsOptional() params?: Record<string, unknown>;
  @Field(() => Float, {
    nullable: true,
    description: 'Share of each reader’s positives held out; default 0.2',
  })
  @IsOptional()
  @Min(0.05, { message: 'validationFraction must be at least 0.05' })
  @Max(0.5, { message: 'validationFraction must be at most 0.5' })
  validationFraction?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() seed?: number;
}

@ObjectType()
export class DeleteReaderResult {
  @Field(() => Boolean, { description: 'False when no such reader was found' }) deleted!: boolean;
  @Field(() => Int) interactionsDeleted!: number;
  @Field(() => Int) embeddingsDeleted!: number;
  @Field(() => JobGQL, {
    nullable: true,
    description: 'The job erasing the reader from stored model versions and batch feeds',
  })
  erasureJob!: JobGQL | null;
  @Field(() => String, { description: 'What happens to learned vectors in stored model artifacts' })
  note!: string;
}
