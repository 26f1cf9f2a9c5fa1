import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import type { JobPubSub } from './jobs/progress-bridge.js';
import { authChecker } from './auth/roles.js';
import { validateArgument } from './common/validation.js';
import { ContentResolver } from './content/content.resolver.js';
import { InteractionResolver } from './interactions/interactions.js';
import { JobResolver } from './jobs/job.resolver.js';
import { ModelRegistryResolver } from './models/models.js';
import { GlossaryResolver } from './glossary/glossary.js';
import { AssetResolver } from './assets/assets.js';
import { AdminResolver } from './admin/admin.js';
import { RetentionResolver } from './admin/retention.js';
import { HealthResolver } from './health/health.js';
import { recommenderResolvers } from './recommender/resolvers.js';
import { contentResolvers } from './generation/resolvers.js';
import { speechResolvers } from './speech/resolvers.js';
import { visionResolvers } from './vision/resolvers.js';
import { translateResolvers } from './translate/resolvers.js';
import { videoResolvers } from './video/resolvers.js';
import { graphicsResolvers } from './graphics/resolvers.js';
import { ApiUsageResolver } from './compat/usage.resolver.js';

/** Every resolver class of the API. An area adds its resolvers here. */
export const resolvers = [
  HealthResolver,
  AdminResolver,
  RetentionResolver,
  ContentResolver,
  InteractionResolver,
  JobResolver,
  ModelRegistryResolver,
  GlossaryResolver,
  AssetResolver,
  ...recommenderResolvers,
  ...contentResolvers,
  ...speechResolvers,
  ...visionResolvers,
  ...translateResolvers,
  ...videoResolvers,
  ...graphicsResolvers,
  ApiUsageResolver,
] as const;

export function createSchema(pubSub: JobPubSub): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...resolvers] as unknown as [Function, ...Function[]],
    authChecker,
    authMode: 'error',
    pubSub: pubSub as never,
    validateFn: validateArgument,
    emitSchemaFile: false,
  });
}

/** Where the schema is checked in as SDL: the dashboard's typed documents are generated from it. */
export const SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

/** The schema as SDL, types and fields in alphabetical order (stable whatever order resolvers load in). */
export async function schemaSdl(): Promise<string> {
  const { lexicographicSortSchema, printSchema } = await import('graphql');
  const schema = await createSchema({} as JobPubSub);
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
