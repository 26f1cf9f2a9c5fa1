/** GraphQL resolver classes of the vision area. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const visionResolvers: Function[] = [];
