import { MediaAssetSpeechResolver, SpeechResolver } from './speech.resolver.js';

/** GraphQL resolver classes of the speech area. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const speechResolvers: Function[] = [SpeechResolver, MediaAssetSpeechResolver];
