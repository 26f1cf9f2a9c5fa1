export {
  encodeManifest,
  manifestKeys,
  readManifest,
  SPEECH_AREA,
  SPEECH_LM,
  transcriptLockKey,
  type SpeechLmManifest,
  type StoredModelFile,
} from './model.js';
