import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';
import { IsOptional, IsUrl, MaxLength } from 'class-validator';
import { JobStatus } from '@media-ai/db';
import { ConnectionType } from '../common/pagination.js';

registerEnumType(JobStatus, { name: 'JobStatus' });

@ObjectType('Job')
export class JobGQL {
  @Field(() => ID) id!: string;
  @Field(() => String) type!: string;
  @Field(() => String) queue!: string;
  @Field(() => JobStatus) status!: JobStatus;
  @Field(() => Float, { description: '0 to 1' }) progress!: number;
  @Field(() => String, { nullable: true }) progressMessage!: string | null;
  @Field(() => GraphQLJSON) input!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) result!: unknown;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => String, { nullable: true }) errorCode!: string | null;
  @Field(() => Int, { description: 'Tries so far' }) attempts!: number;
  @Field(() => String, { nullable: true }) idempotencyKey!: string | null;
  @Field(() => ID, { nullable: true }) requesterId!: string | null;
  @Field(() => ID, { nullable: true }) contentId!: string | null;
  @Field(() => ID, { nullable: true }) assetId!: string | null;
  @Field(() => String, { nullable: true }) webhookUrl!: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Where it ran: host, queue, tensor backend' })
  runtime!: unknown;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) startedAt!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) finishedAt!: Date | null;
}

export const JobConnection = ConnectionType(JobGQL, 'Job');

@InputType()
export class JobFilter {
  @Field(() => [String], { nullable: true }) types?: string[];
  @Field(() => [JobStatus], { nullable: true }) statuses?: JobStatus[];
  @Field(() => String, { nullable: true }) queue?: string;
  @Field(() => ID, { nullable: true }) requesterId?: string;
  @Field(() => ID, { nullable: true }) contentId?: string;
  @Field(() => ID, { nullable: true }) assetId?: string;
  @Field(() => GraphQLDateTime, { nullable: true }) createdAfter?: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) createdBefore?: Date;
  @Field(() => String, { nullable: true, description: 'Text to find in the error message' })
  @IsOptional()
  @MaxLength(200)
  errorContains?: string;
}

@InputType()
export class EnqueueJobInput {
  @Field(() => String, { description: 'A job type from the registry, e.g. "platform.noop"' }) type!: string;
  @Field(() => GraphQLJSON, { nullable: true }) payload?: unknown;
  @Field(() => String, { nullable: true, description: 'Same key again returns the same job' })
  @IsOptional()
  @MaxLength(200)
  idempotencyKey?: string;
  @Field(() => String, { nullable: true, description: 'Called, signed, when the job ends' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'webhookUrl must be an http(s) URL' })
  webhookUrl?: string;
  @Field(() => ID, { nullable: true }) contentId?: string;
  @Field(() => ID, { nullable: true }) assetId?: string;
}

@ObjectType()
export class JobProgressEvent {
  @Field(() => ID) jobId!: string;
  @Field(() => String) type!: string;
  @Field(() => JobStatus) status!: JobStatus;
  @Field(() => Float) progress!: number;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Step details, e.g. {epoch, loss}' })
  data!: unknown;
  @Field(() => String, { nullable: true }) error!: string | null;
  newsroomId!: string;
}

@ObjectType()
export class JobTypeInfo {
  @Field(() => String) name!: string;
  @Field(() => String) queue!: string;
  @Field(() => String) resource!: string;
  @Field(() => String) description!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => Int) timeoutMs!: number;
}
