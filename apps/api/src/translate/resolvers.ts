import { TranslateResolver } from './translate.resolver.js';

/** GraphQL resolver classes of the translate area. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const translateResolvers: Function[] = [TranslateResolver];

export { closeTranslationEngines } from './engines.js';
