import { RecommenderAdminResolver } from './admin.resolver.js';
import { RecommendationResolver } from './serving.resolver.js';

/** GraphQL resolver classes of the recommender area. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const recommenderResolvers: Function[] = [RecommendationResolver, RecommenderAdminResolver];
