/** GraphQL resolver classes of the content area. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const contentResolvers: Function[] = [];
