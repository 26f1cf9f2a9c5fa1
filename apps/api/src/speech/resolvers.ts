import { MediaAssetSpeechResolver, SpeechResolver } from './speech.resolver.js';

/** GraphQL resolver classes of the speech area. */
export const speechResolvers: Function[] = [SpeechResolver, MediaAssetSpeechResolver];
