/** GraphQL resolver classes of the content-generation area (summaries, headlines, keywords, tags, drafts). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const contentResolvers: Function[] = [];
