import { readFileSync } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeAudio } from '../../audio/decode.js';
import { ASR_SAMPLE_RATE, pcmBytes, pcmDuration, type Pcm } from '../../audio/pcm.js';
import { resamplePcm } from '../../audio/resample.js';
import { planChunks, type ChunkOptions, type TimeSpan } from '../../audio/vad.js';
import { SpeechError } from '../../errors.js';
import { withTempDir } from '../../util/tmp.js';
import { segmentFromWords, transcriptText } from '../transcript.js';
import {
  isPcm,
  type LanguageModelFiles,
  type ProgressListener,
  type Recognizer,
  type RecognizerInput,
  type TranscribeOptions,
  type Transcript,
  type TranscriptSegment,
  type WordTiming,
} from '../types.js';
import { DecoderPool, type DecoderSetup, type UtteranceResult } from './pool.js';

interface DecodedChunk {
  chunk: TimeSpan;
  startFrame: number;
  result: UtteranceResult;
}

export const POCKETSPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

export interface PocketsphinxOptions {
  /** Default pocketsphinx_batch. */
  binary?: string;
  /** Acoustic model directory; default the Debian en-us model. */
  hmm?: string;
  /** Default language model and dictionary (a transcribe call may bring its own). */
  lm?: string;
  dict?: string;
  /**
   * chunked (default): our VAD splits the audio at pauses, chunks are decoded in parallel.
   * whole: the whole recording is one utterance, as `pocketsphinx_batch` on a file does.
   */
  mode?: 'chunked' | 'whole';
  /** Warm decoder processes per model (default: 2, at most the CPU count). */
  concurrency?: number;
  chunking?: ChunkOptions;
  /** Extra pocketsphinx arguments, e.g. ['-lw', '8']. */
  extraArgs?: string[];
  /** Warm processes close after this long unused. Default 60 s. */
  idleMs?: number;
  /** Default duration limit (seconds) when a call gives none. Default 4 h. */
  maxDurationSec?: number;
}

const MAX_POOLS = 3;

/** Offline English recognition with CMU pocketsphinx (Debian pocketsphinx + pocketsphinx-en-us). */
export class PocketsphinxRecognizer implements Recognizer {
  readonly id = 'pocketsphinx';
  readonly version: string;
  private readonly hmm: string;
  private readonly lm: string;
  private readonly dict: string;
  private readonly mode: 'chunked' | 'whole';
  private readonly concurrency: number;
  private readonly pools = new Map<string, DecoderPool>();
  private fillers: Set<string> | undefined;

  constructor(private readonly options: PocketsphinxOptions = {}) {
    this.hmm = options.hmm ?? path.join(POCKETSPHINX_MODEL_DIR, 'en-us');
    this.lm = options.lm ?? path.join(POCKETSPHINX_MODEL_DIR, 'en-us.lm.bin');
    this.dict = options.dict ?? path.join(POCKETSPHINX_MODEL_DIR, 'cmudict-en-us.dict');
    this.mode = options.mode ?? 'chunked';
    this.concurrency = Math.max(1, options.concurrency ?? Math.min(2, os.availableParallelism()));
    this.version = `5prealpha/${path.basename(this.hmm)}/${this.mode}`;
  }

  async transcribe(
    input: RecognizerInput,
    options: TranscribeOptions = {},
    onProgress?: ProgressListener,
  ): Promise<Transcript> {
    const started = performance.now();
    const language = options.language ?? 'en-US';
    if (!/^en\b/i.test(language)) {
      throw new SpeechError(
        'UNSUPPORTED_LANGUAGE',
        `pocketsphinx here only recognises English, not "${language}".`,
        {
          language,
        },
      );
    }
    const setup = await this.setupFor(options.languageModel);
    onProgress?.({
      stage: 'decoding',
      fraction: 0,
      chunksDone: 0,
      chunksTotal: 0,
      processedSec: 0,
      totalSec: 0,
    });
    const pcm = await this.toPcm(input, options);
    const durationSec = pcmDuration(pcm);
    const chunks: TimeSpan[] =
      this.mode === 'whole'
        ? [{ start: 0, end: durationSec }]
        : planChunks(pcm, this.options.chunking).chunks;
    const totalSec = chunks.reduce((s, c) => s + (c.end - c.start), 0);
    let processedSec = 0;
    let chunksDone = 0;
    const report = (stage: 'recognizing' | 'done', chunk?: { index: number; text: string }) =>
      onProgress?.({
        stage,
        fraction: totalSec > 0 ? 0.05 + (0.95 * processedSec) / totalSec : 1,
        chunksDone,
        chunksTotal: chunks.length,
        processedSec,
        totalSec,
        ...(chunk ? { chunk } : {}),
      });
    report('recognizing');

    const pool = this.poolFor(setup);
    const segments: TranscriptSegment[] = await withTempDir(async (dir) => {
      const base = path.join(dir, 'audio');
      await writeFile(`${base}.raw`, pcmBytes(pcm));
      // allSettled: the audio file must outlive every decode already handed to pocketsphinx.
      const settled = await Promise.allSettled(
        chunks.map(async (chunk, index): Promise<DecodedChunk> => {
          const startFrame = Math.floor(chunk.start * 100);
          const endFrame = Math.max(startFrame + 1, Math.floor(chunk.end * 100));
          const result = await pool.decode(
            { base, startFrame, endFrame },
            { timeoutMs: 60_000 + (chunk.end - chunk.start) * 20_000, signal: options.signal },
          );
          processedSec += chunk.end - chunk.start;
          chunksDone += 1;
          report('recognizing', { index, text: result.words.map((w) => w.word).join(' ') });
          return { chunk, startFrame, result };
        }),
      );
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      const results = settled.map((r) => (r as PromiseFulfilledResult<DecodedChunk>).value);
      return results
        .map(({ chunk, startFrame, result }, i) => {
          const words: WordTiming[] = result.words.map((w) => ({
            word: w.word,
            start: round((startFrame + w.startFrame) / 100),
            end: round((startFrame + w.endFrame) / 100),
            confidence: w.confidence === null ? null : round(w.confidence),
          }));
          const start = words.length ? words[0].start : chunk.start;
          const end = words.length ? words[words.length - 1].end : chunk.end;
          return segmentFromWords(i, start, end, words);
        })
        .filter((s) => s.words.length > 0)
        .map((s, i) => ({ ...s, id: i }));
    });
    report('done');
    return {
      identity: {
        engine: this.id,
        version: this.version,
        model: options.languageModel?.id ?? modelName(setup.lm),
      },
      language,
      durationSec: round(durationSec),
      text: transcriptText(segments),
      segments,
      processingSec: round((performance.now() - started) / 1000),
    };
  }

  async close(): Promise<void> {
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
  }

  private async toPcm(input: RecognizerInput, options: TranscribeOptions): Promise<Pcm> {
    const maxDurationSec = options.maxDurationSec ?? this.options.maxDurationSec;
    if (isPcm(input)) {
      if (maxDurationSec !== undefined && pcmDuration(input) > maxDurationSec) {
        throw new SpeechError(
          'TOO_LONG',
          `The audio lasts ${Math.round(pcmDuration(input))} s; the limit is ${maxDurationSec} s.`,
        );
      }
      return input.sampleRate === ASR_SAMPLE_RATE
        ? input
        : resamplePcm(input, ASR_SAMPLE_RATE, options.signal);
    }
    return (await decodeAudio(input, { maxDurationSec, signal: options.signal })).pcm;
  }

  private async setupFor(model: LanguageModelFiles | undefined): Promise<DecoderSetup> {
    const lm = model?.lmPath ?? this.lm;
    const dict = model?.dictPath ?? this.dict;
    for (const [what, file] of [
      ['language model', lm],
      ['dictionary', dict],
      ['acoustic model', this.hmm],
    ] as const) {
      try {
        await access(file);
      } catch {
        throw new SpeechError('INVALID_CONFIG', `The ${what} ${file} does not exist.`, { path: file });
      }
    }
    this.fillers ??= readFillers(this.hmm);
    return {
      binary: this.options.binary ?? 'pocketsphinx_batch',
      hmm: this.hmm,
      lm,
      dict,
      fillers: this.fillers,
      extraArgs: this.options.extraArgs ?? [],
    };
  }

  private poolFor(setup: DecoderSetup): DecoderPool {
    const key = `${setup.lm}\n${setup.dict}`;
    let pool = this.pools.get(key);
    if (pool) {
      // Most recently used last.
      this.pools.delete(key);
      this.pools.set(key, pool);
      return pool;
    }
    if (this.pools.size >= MAX_POOLS) {
      const [oldKey, oldPool] = this.pools.entries().next().value as [string, DecoderPool];
      oldPool.close();
      this.pools.delete(oldKey);
    }
    pool = new DecoderPool(setup, this.concurrency, this.options.idleMs ?? 60_000);
    this.pools.set(key, pool);
    return pool;
  }
}

function readFillers(hmm: string): Set<string> {
  const fillers = new Set(['<s>', '</s>', '<sil>']);
  try {
    for (const line of readFileSync(path.join(hmm, 'noisedict'), 'utf8').split('\n')) {
      const word = line.trim().split(/\s+/)[0];
      if (word) fillers.add(word);
    }
  } catch {
    // No noisedict: the defaults above and the bracket rule in realWords still apply.
  }
  return fillers;
}

function modelName(lm: string): string {
  return path.basename(lm).replace(/\.(lm\.bin|lm|arpa|bin|dmp)$/i, '');
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
