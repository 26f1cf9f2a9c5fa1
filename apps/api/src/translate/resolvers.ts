import { TranslateResolver } from './translate.resolver.js';

/** GraphQL resolver classes of the translate area. */
export const translateResolvers: Function[] = [TranslateResolver];

export { closeTranslationEngines } from './engines.js';
