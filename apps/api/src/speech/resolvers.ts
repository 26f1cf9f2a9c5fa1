import {
  MediaAssetSpeechResolver,
  PersonVoiceResolver,
  SpeechResolver,
  TranscriptSpeakerResolver,
  VoicePrintResolver,
} from './speech.resolver.js';

/** GraphQL resolver classes of the speech area. */
export const speechResolvers: Function[] = [
  SpeechResolver,
  MediaAssetSpeechResolver,
  TranscriptSpeakerResolver,
  VoicePrintResolver,
  PersonVoiceResolver,
];
