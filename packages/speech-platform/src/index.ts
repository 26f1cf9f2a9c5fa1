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
export { activateSpeechModel, findSpeechModel } from './models.js';
export {
  checkSynthesizeRequest,
  checkTranscribeRequest,
  requireContent,
  type SynthesizeRequest,
  type TranscribeRequest,
} from './requests.js';
export {
  currentSegments,
  editTranscript,
  findTranscript,
  relinkTranscriptSpeakers,
  revertTranscriptEdit,
  TRANSCRIPT_LIST_SELECT,
  transcriptSegments,
  transcriptWhere,
  type TranscriptFilter,
  type TranscriptRow,
} from './transcripts.js';
