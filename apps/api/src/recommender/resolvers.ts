import { RecommenderAdminResolver } from './admin.resolver.js';
import { RecommenderExperimentResolver } from './experiment.resolver.js';
import { ReaderLookupResolver } from './readers.resolver.js';
import { RecommendationResolver } from './serving.resolver.js';

/** GraphQL resolver classes of the recommender area. */
export const recommenderResolvers: Function[] = [
  RecommendationResolver,
  RecommenderAdminResolver,
  RecommenderExperimentResolver,
  ReaderLookupResolver,
];
