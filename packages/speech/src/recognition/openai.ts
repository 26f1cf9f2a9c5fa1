import { decodeAudio } from '../audio/decode.js';
import { ASR_SAMPLE_RATE, pcmDuration, slicePcm, type Pcm } from '../audio/pcm.js';
import { resamplePcm } from '../audio/resample.js';
import { planChunks, type TimeSpan } from '../audio/vad.js';
import { encodeWav } from '../audio/wav.js';
import { SpeechError } from '../errors.js';
import { mapLimit } from '@media-ai/http';
import { openAiBase, providerFetch } from '../util/http.js';
import { isNonSpeechToken, segmentFromWords, transcriptText } from './transcript.js';
import {
  isPcm,
  type ProgressListener,
  type Recognizer,
  type RecognizerInput,
  type TranscribeOptions,
  type Transcript,
  type TranscriptSegment,
  type WordTiming,
} from './types.js';

export interface OpenAiRecognizerOptions {
  /** e.g. http://gpu-host:8000/v1 (speaches, LocalAI, whisper.cpp server, OpenAI). */
  baseUrl: string;
  /** e.g. "Systran/faster-whisper-large-v3" or "whisper-1". */
  model: string;
  apiKey?: string;
  /** Recordings are uploaded in pieces of at most this long, cut at pauses. Default 600 s. */
  maxUploadSec?: number;
  /** Pieces in flight at once. Default 2. */
  concurrency?: number;
  /** Per request. Default 10 min. */
  timeoutMs?: number;
  maxDurationSec?: number;
}

/** The verbose_json body of POST /v1/audio/transcriptions (fields all optional: servers differ). */
interface VerboseJson {
  text?: string;
  language?: string;
  duration?: number;
  segments?: Array<{
    id?: number;
    start?: number;
    end?: number;
    text?: string;
    avg_logprob?: number;
    no_speech_prob?: number;
    words?: ApiWord[];
  }>;
  words?: ApiWord[];
}

interface ApiWord {
  word?: string;
  start?: number;
  end?: number;
  probability?: number;
}

/** A speech-to-text server speaking OpenAI's `POST /v1/audio/transcriptions`. */
export class OpenAiRecognizer implements Recognizer {
  readonly id = 'openai-http';
  readonly version: string;
  private readonly url: string;

  constructor(private readonly options: OpenAiRecognizerOptions) {
    if (!options.model)
      throw new SpeechError('INVALID_CONFIG', 'The transcription server needs a model name.');
    this.url = `${openAiBase(options.baseUrl)}/audio/transcriptions`;
    this.version = options.model;
  }

  async transcribe(
    input: RecognizerInput,
    options: TranscribeOptions = {},
    onProgress?: ProgressListener,
  ): Promise<Transcript> {
    const started = performance.now();
    onProgress?.({
      stage: 'decoding',
      fraction: 0,
      chunksDone: 0,
      chunksTotal: 0,
      processedSec: 0,
      totalSec: 0,
    });
    const maxDurationSec = options.maxDurationSec ?? this.options.maxDurationSec;
    let pcm: Pcm;
    if (isPcm(input)) {
      pcm =
        input.sampleRate === ASR_SAMPLE_RATE
          ? input
          : await resamplePcm(input, ASR_SAMPLE_RATE, options.signal);
      if (maxDurationSec !== undefined && pcmDuration(pcm) > maxDurationSec) {
        throw new SpeechError(
          'TOO_LONG',
          `The audio lasts ${Math.round(pcmDuration(pcm))} s; the limit is ${maxDurationSec} s.`,
        );
      }
    } else {
      pcm = (await decodeAudio(input, { maxDurationSec, signal: options.signal })).pcm;
    }
    const durationSec = pcmDuration(pcm);
    const maxUpload = this.options.maxUploadSec ?? 600;
    const pieces: TimeSpan[] =
      durationSec <= maxUpload
        ? [{ start: 0, end: durationSec }]
        : planChunks(pcm, { maxChunkSec: maxUpload, minChunkSec: maxUpload / 2, maxMergeGapSec: Infinity })
            .chunks;
    let done = 0;
    let processedSec = 0;
    let detected: string | undefined;
    const parts = await mapLimit(pieces, this.options.concurrency ?? 2, async (piece) => {
      const body = await this.request(slicePcm(pcm, piece.start, piece.end), options);
      const segments = toSegments(body, piece.start);
      done += 1;
      processedSec += piece.end - piece.start;
      onProgress?.({
        chunk: { index: pieces.indexOf(piece), text: transcriptText(segments) },
        stage: 'recognizing',
        fraction: processedSec / durationSec,
        chunksDone: done,
        chunksTotal: pieces.length,
        processedSec,
        totalSec: durationSec,
      });
      detected ??= body.language;
      return segments;
    });
    const segments = parts.flat().map((s, i) => ({ ...s, id: i }));
    onProgress?.({
      stage: 'done',
      fraction: 1,
      chunksDone: done,
      chunksTotal: pieces.length,
      processedSec,
      totalSec: durationSec,
    });
    return {
      identity: { engine: this.id, version: this.version, model: this.options.model },
      // What was asked for, else what the server detected (whisper names it: "english").
      language: options.language ?? detected ?? 'und',
      durationSec: Math.round(durationSec * 1000) / 1000,
      text: transcriptText(segments),
      segments,
      processingSec: Math.round(performance.now() - started) / 1000,
    };
  }

  async close(): Promise<void> {}

  private async request(pcm: Pcm, options: TranscribeOptions): Promise<VerboseJson> {
    const form = new FormData();
    form.append('file', new Blob([encodeWav(pcm)], { type: 'audio/wav' }), 'audio.wav');
    form.append('model', this.options.model);
    form.append('response_format', 'verbose_json');
    form.append('timestamp_granularities[]', 'segment');
    form.append('timestamp_granularities[]', 'word');
    if (options.language) form.append('language', options.language.split('-')[0].toLowerCase());
    if (options.prompt) form.append('prompt', options.prompt);
    const response = await providerFetch(
      this.url,
      { method: 'POST', body: form },
      {
        timeoutMs: this.options.timeoutMs ?? 600_000,
        signal: options.signal,
        apiKey: this.options.apiKey,
        what: 'Transcription server',
      },
    );
    try {
      return (await response.json()) as VerboseJson;
    } catch (error) {
      throw new SpeechError(
        'PROVIDER_ERROR',
        'Transcription server answered with something that is not JSON.',
        {},
        { cause: error },
      );
    }
  }
}

/** Server segments to ours, shifted by the piece's offset; hallucinated no-speech segments dropped. */
export function toSegments(body: VerboseJson, offset: number): TranscriptSegment[] {
  const topWords = (body.words ?? [])
    .map((w) => toWord(w, offset))
    .filter((w): w is WordTiming => w !== null);
  const apiSegments =
    body.segments ?? (body.text ? [{ start: 0, end: body.duration ?? 0, text: body.text }] : []);
  const out: TranscriptSegment[] = [];
  for (const s of apiSegments) {
    // Whisper's own rule for silence it put words on.
    if ((s.no_speech_prob ?? 0) > 0.6 && (s.avg_logprob ?? 0) < -1) continue;
    const start = offset + (s.start ?? 0);
    const end = offset + (s.end ?? s.start ?? 0);
    let words = (s.words ?? []).map((w) => toWord(w, offset)).filter((w): w is WordTiming => w !== null);
    if (words.length === 0 && topWords.length > 0) {
      words = topWords.filter((w) => w.start >= start - 0.01 && w.start < end);
    }
    const segConfidence = s.avg_logprob === undefined ? null : Math.min(1, Math.exp(s.avg_logprob));
    const text = (s.text ?? '').trim();
    if (words.length > 0) {
      const seg = segmentFromWords(0, start, end, words);
      out.push({ ...seg, text: text || seg.text, confidence: seg.confidence ?? round3(segConfidence) });
    } else if (text) {
      out.push({ id: 0, start, end, text, confidence: round3(segConfidence), words: [] });
    }
  }
  return out;
}

function toWord(w: ApiWord, offset: number): WordTiming | null {
  const word = (w.word ?? '').trim();
  if (!word || isNonSpeechToken(word) || w.start === undefined) return null;
  return {
    word,
    start: round3(offset + w.start) as number,
    end: round3(offset + (w.end ?? w.start)) as number,
    confidence: w.probability === undefined ? null : round3(w.probability),
  };
}

function round3(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1000) / 1000;
}
