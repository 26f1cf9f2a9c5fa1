export { SpeechError, isSpeechError, type SpeechErrorCode } from './errors.js';

// Audio in and out.
export {
  decodeAudio,
  DEFAULT_MAX_DURATION_SEC,
  type AudioInput,
  type DecodeOptions,
  type DecodedAudio,
} from './audio/decode.js';
export { probeMedia, type MediaInfo, type AudioStreamInfo } from './audio/probe.js';
export {
  encodeAudio,
  AUDIO_FORMATS,
  MIME_TYPES,
  FILE_EXTENSIONS,
  isAudioFormat,
  type AudioFormat,
} from './audio/encode.js';
export {
  ASR_SAMPLE_RATE,
  pcmBytes,
  pcmDuration,
  concatPcm,
  silence,
  slicePcm,
  type Pcm,
} from './audio/pcm.js';
export { resamplePcm } from './audio/resample.js';
export { encodeWav, parseWav } from './audio/wav.js';
export {
  detectSpeech,
  planChunks,
  type TimeSpan,
  type VadOptions,
  type ChunkOptions,
  type VadResult,
} from './audio/vad.js';

// Recognition.
export type {
  Recognizer,
  RecognizerInput,
  Transcript,
  TranscriptSegment,
  WordTiming,
  TranscribeOptions,
  TranscribeProgress,
  ProgressListener,
  LanguageModelFiles,
  ModelIdentity,
} from './recognition/types.js';
export {
  PocketsphinxRecognizer,
  POCKETSPHINX_MODEL_DIR,
  type PocketsphinxOptions,
} from './recognition/pocketsphinx/recognizer.js';
export { OpenAiRecognizer, type OpenAiRecognizerOptions } from './recognition/openai.js';
export {
  applyTranscriptEdit,
  spreadWords,
  MAX_EDITED_SEGMENTS,
  MAX_SEGMENT_CHARS,
  type EditedSegment,
} from './recognition/edit.js';

// Transcript export.
export {
  toPlainText,
  toSrt,
  toWebVtt,
  buildCues,
  formatTimestamp,
  type Cue,
  type CueOptions,
} from './export/subtitles.js';

// Newsroom vocabulary.
export {
  buildNewsroomModel,
  textToSentences,
  type GlossaryTerm,
  type NewsroomModel,
  type NewsroomModelMetadata,
  type NewsroomModelOptions,
} from './lm/adapt.js';
export {
  ensureGeneralArpa,
  defaultCacheDir,
  loadNgramModel,
  clearNgramModelCache,
  type GeneralArpa,
} from './lm/general.js';
export { estimateModel } from './lm/estimate.js';
export { interpolateModels } from './lm/interpolate.js';
export { readArpa, writeArpa } from './lm/arpa.js';
export { readTrieBinary } from './lm/binary.js';
export { logProb2, logProb3, wordIndex, type NgramModel } from './lm/model.js';

// Synthesis.
export type {
  Synthesizer,
  SynthesizeOptions,
  SynthesisResult,
  SynthesisIdentity,
  Voice,
} from './synthesis/types.js';
export { LocalSynthesizer, type LocalSynthesizerOptions } from './synthesis/local.js';
export { OpenAiSynthesizer, type OpenAiSynthesizerOptions } from './synthesis/openai.js';

// Text.
export { normalizeText, spokenWords } from './text/normalize.js';
export { cardinal, ordinal, year } from './text/numbers.js';
export { splitParagraphs, splitSentences } from './text/sentences.js';
export { wordErrorRate, corpusWer, alignWords, scoringWords, type WerResult } from './text/wer.js';
export {
  DEFAULT_PARAGRAPH_GAP_SEC,
  DEFAULT_SENTENCE_GAP_SEC,
  formattedWordErrorRate,
  formattedWords,
  learnTruecase,
  readableTranscript,
  type ReadableOptions,
} from './text/readable.js';
export {
  COMMA,
  MARKS,
  NONE,
  PERIOD,
  QUESTION,
  punctuatedWords,
  writeMarks,
  type Mark,
  type PunctuatedWords,
} from './punctuation/corpus.js';
export {
  PunctuationModel,
  defaultPunctuationModel,
  punctuationModelFor,
  type PunctuateOptions,
  type PunctuationIdentity,
  type PunctuationModelFile,
} from './punctuation/model.js';
export { punctuationScores, type F1, type PunctuationScores } from './punctuation/score.js';

// Configuration.
export {
  createRecognizer,
  createSynthesizer,
  speechConfigFromEnv,
  type RecognizerConfig,
  type SynthesizerConfig,
  type SpeechConfig,
} from './config.js';

// Speakers.
export {
  diarize,
  averageLinkage,
  DEFAULT_DIARIZE_OPTIONS,
  DIARIZATION_METHOD,
  type DiarizeOptions,
  type Diarization,
  type DiarizedSpeaker,
} from './diarization/diarize.js';
export { diarizationErrorRate, type DerResult, type SpeakerTurn } from './diarization/der.js';
export {
  assembleConversation,
  splitPhrases,
  trimToSpeech,
  type Conversation,
  type Utterance,
} from './diarization/conversation.js';
export {
  DEFAULT_VOICE_MATCH_THRESHOLD,
  isVoiceModel,
  matchVoices,
  voiceDistance,
  VOICE_METHOD,
  type EnrolledVoice,
  type VoiceMatch,
  type VoiceModel,
} from './diarization/voice.js';
export { mfcc, type Features } from './diarization/features.js';
export { assignSpeakers, speakerAt } from './diarization/assign.js';
export {
  defaultSpeakerName,
  MAX_SPEAKER_NAME,
  readSpeakers,
  speakerNames,
  transcriptSpeakers,
  type TranscriptSpeaker,
} from './diarization/speakers.js';
