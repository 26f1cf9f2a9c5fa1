/** GraphQL resolver classes of the translate area. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const translateResolvers: Function[] = [];
