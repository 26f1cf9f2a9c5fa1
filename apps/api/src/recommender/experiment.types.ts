import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { IsOptional, Max, MaxLength, Min } from 'class-validator';
import { ExperimentStatus } from '@media-ai/db';
import { ModelVersionGQL } from '../models/models.js';

registerEnumType(ExperimentStatus, { name: 'ExperimentStatus' });

@ObjectType({ description: 'Which experiment arm served a list (null outside experiments)' })
export class ExperimentAssignment {
  @Field(() => ID) experimentId!: string;
  @Field(() => String, { description: 'control or candidate' }) arm!: string;
}

@ObjectType({ description: 'What one arm of an experiment served and what readers did with it' })
export class ExperimentArmGQL {
  @Field(() => String, { description: 'control (the version active at the start) or candidate' })
  arm!: string;
  @Field(() => ModelVersionGQL) modelVersion!: ModelVersionGQL;
  @Field(() => Int, { description: 'Personal lists served' }) requests!: number;
  @Field(() => Int, { description: 'Items shown in those lists' }) impressions!: number;
  @Field(() => Int, {
    description: 'Positive interactions (click, read, …) with a shown item within 24 h, each item once',
  })
  clicks!: number;
  @Field(() => Float, { description: 'Clicks per impression' }) ctr!: number;
  @Field(() => Float, { description: '95% interval (Wilson), lower end' }) ctrLow!: number;
  @Field(() => Float, { description: '95% interval (Wilson), upper end' }) ctrHigh!: number;
}

@ObjectType()
export class ExperimentComparisonGQL {
  @Field(() => Float, { description: 'Candidate CTR minus control CTR' }) difference!: number;
  @Field(() => Float, { description: '95% interval of the difference, lower end' }) low!: number;
  @Field(() => Float, { description: '95% interval of the difference, upper end' }) high!: number;
  @Field(() => Float, { nullable: true, description: 'Candidate CTR / control CTR − 1' })
  relativeLift!: number | null;
  @Field(() => String, {
    description:
      'too-early (under 200 impressions an arm), candidate-better, control-better, no-clear-difference',
  })
  verdict!: string;
}

@ObjectType('RecommenderExperiment')
export class RecommenderExperimentGQL {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => ExperimentStatus) status!: ExperimentStatus;
  @Field(() => Float, { description: 'Share of readers served by the candidate' }) trafficShare!: number;
  @Field(() => GraphQLDateTime) startedAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) endedAt!: Date | null;
  @Field(() => [ExperimentArmGQL]) arms!: ExperimentArmGQL[];
  @Field(() => ExperimentComparisonGQL) comparison!: ExperimentComparisonGQL;
}

@InputType()
export class StartExperimentInput {
  @Field(() => ID, {
    description: 'A CANDIDATE (or RETIRED) recommender version to test against the active one',
  })
  candidateVersionId!: string;
  @Field(() => Float, { description: 'Share of readers to serve with the candidate, e.g. 0.1 for 10%' })
  @Min(0.01, { message: 'trafficShare must be at least 0.01 (1% of readers)' })
  @Max(0.99, { message: 'trafficShare must be at most 0.99' })
  trafficShare!: number;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name?: string;
}
