import { encodeAudio, MIME_TYPES, type AudioFormat, isAudioFormat } from '../audio/encode.js';
import { concatPcm, pcmDuration, silence, type Pcm } from '../audio/pcm.js';
import { SpeechError } from '../errors.js';
import { normalizeText } from '../text/normalize.js';
import { packSentences, splitParagraphs, splitSentences } from '../text/sentences.js';
import { mapLimit } from '@media-ai/http';
import type { SynthesisIdentity, SynthesisResult } from './types.js';

export interface PieceLayout {
  /** Text pieces per paragraph. */
  paragraphs: string[][];
}

export interface LayoutOptions {
  language: string;
  /** Longest piece sent to the engine at once. */
  maxPieceChars: number;
  /** Longest text accepted. */
  maxChars: number;
}

/**
 * Splits an article into paragraphs and pieces of whole sentences, normalising English text so numbers,
 * dates, currencies and abbreviations are read as words.
 */
export function layoutText(text: string, options: LayoutOptions): PieceLayout {
  if (text.length > options.maxChars) {
    throw new SpeechError(
      'TEXT_TOO_LONG',
      `The text has ${text.length} characters; the limit is ${options.maxChars}.`,
      {
        length: text.length,
        maxChars: options.maxChars,
      },
    );
  }
  const english = /^en\b/i.test(options.language);
  const paragraphs = splitParagraphs(text)
    .map((p) => {
      const spoken = english ? normalizeText(p) : p;
      return packSentences(splitSentences(spoken), options.maxPieceChars);
    })
    .filter((pieces) => pieces.some((s) => /[\p{L}\p{N}]/u.test(s)));
  if (paragraphs.length === 0) throw new SpeechError('EMPTY_TEXT', 'There is no text to read.');
  return { paragraphs };
}

/** Cuts leading and trailing silence (below thresholdDb), keeping `keepSec` of it. */
export function trimSilence(pcm: Pcm, thresholdDb = -45, keepSec = 0.04): Pcm {
  const limit = 32768 * 10 ** (thresholdDb / 20);
  const s = pcm.samples;
  let a = 0;
  while (a < s.length && Math.abs(s[a]) < limit) a++;
  let b = s.length - 1;
  while (b > a && Math.abs(s[b]) < limit) b--;
  if (a >= b) return { samples: new Int16Array(0), sampleRate: pcm.sampleRate };
  const keep = Math.round(keepSec * pcm.sampleRate);
  return {
    samples: s.slice(Math.max(0, a - keep), Math.min(s.length, b + 1 + keep)),
    sampleRate: pcm.sampleRate,
  };
}

export interface AssembleOptions {
  format: AudioFormat;
  concurrency: number;
  sentencePauseSec: number;
  paragraphPauseSec: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** Renders every piece (bounded concurrency), joins them with pauses and encodes the result. */
export async function assemble(
  layout: PieceLayout,
  render: (text: string) => Promise<Pcm>,
  identity: SynthesisIdentity,
  options: AssembleOptions,
): Promise<SynthesisResult> {
  if (!isAudioFormat(options.format)) {
    throw new SpeechError(
      'UNSUPPORTED_FORMAT',
      `Unknown output format "${String(options.format)}"; use wav, mp3, ogg or opus.`,
    );
  }
  const started = performance.now();
  const flat = layout.paragraphs.flatMap((pieces, p) =>
    pieces.map((text, i) => ({ text, paragraph: p, first: i === 0 })),
  );
  let done = 0;
  const rendered = await mapLimit(flat, options.concurrency, async (piece) => {
    if (options.signal?.aborted) throw new SpeechError('CANCELLED', 'synthesis was cancelled');
    const pcm = trimSilence(await render(piece.text));
    done++;
    options.onProgress?.(done / flat.length);
    return pcm;
  });
  const sampleRate = rendered.find((p) => p.samples.length > 0)?.sampleRate ?? rendered[0].sampleRate;
  const parts: Pcm[] = [silence(0.1, sampleRate)];
  rendered.forEach((pcm, i) => {
    if (i > 0)
      parts.push(silence(flat[i].first ? options.paragraphPauseSec : options.sentencePauseSec, sampleRate));
    if (pcm.sampleRate !== sampleRate) {
      throw new SpeechError(
        'ENGINE_FAILED',
        `engine changed sample rate mid-text (${pcm.sampleRate} vs ${sampleRate})`,
      );
    }
    parts.push(pcm);
  });
  parts.push(silence(0.2, sampleRate));
  const pcm = concatPcm(parts, sampleRate);
  const audio = await encodeAudio(pcm, options.format, options.signal);
  return {
    audio,
    format: options.format,
    mimeType: MIME_TYPES[options.format],
    sampleRate,
    durationSec: Math.round(pcmDuration(pcm) * 1000) / 1000,
    identity,
    pieces: flat.length,
    processingSec: Math.round(performance.now() - started) / 1000,
  };
}
