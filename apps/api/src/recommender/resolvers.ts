/** GraphQL resolver classes of the recommender area. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const recommenderResolvers: Function[] = [];
