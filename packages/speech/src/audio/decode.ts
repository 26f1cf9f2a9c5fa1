import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SpeechError } from '../errors.js';
import { lastLines, runProcess } from '../util/process.js';
import { withTempDir } from '../util/tmp.js';
import { ASR_SAMPLE_RATE, levels, pcmFromBytes, type Pcm } from './pcm.js';
import { isSupportedFormat, probeMedia, type MediaInfo } from './probe.js';
import { resamplePcm } from './resample.js';
import { readPcmWav } from './pcm-wav.js';

/** A path to a media file, or its bytes. */
export type AudioInput = string | Uint8Array;

export interface DecodeOptions {
  /** Reject media longer than this (TOO_LONG). Default 4 hours. */
  maxDurationSec?: number;
  /** Output sample rate; default 16 kHz, what the recognizers expect. */
  sampleRate?: number;
  /** Reject audio whose loudest 50 ms stays below this level (SILENT). Default -50 dBFS; null disables. */
  silenceThresholdDb?: number | null;
  signal?: AbortSignal;
}

export interface DecodedAudio {
  pcm: Pcm;
  info: MediaInfo;
  durationSec: number;
  peakDb: number;
  rmsDb: number;
}

export const DEFAULT_MAX_DURATION_SEC = 4 * 3600;

/**
 * Probes and decodes any supported media (wav, mp3, flac, ogg/vorbis, opus, m4a/aac, the audio track of
 * mp4/mov/webm) to mono 16-bit PCM with ffmpeg. Errors carry UNSUPPORTED_MEDIA, TOO_LONG, SILENT or CORRUPT.
 */
export async function decodeAudio(input: AudioInput, options: DecodeOptions = {}): Promise<DecodedAudio> {
  if (typeof input === 'string') return decodeFile(input, options);
  return withTempDir(async (dir) => {
    // A file rather than a pipe: mp4/m4a keep their index at the end, which ffmpeg cannot seek to in a pipe.
    const file = path.join(dir, 'input');
    await writeFile(file, input);
    return decodeFile(file, options);
  });
}

async function readHead(file: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new SpeechError(
      'INVALID_INPUT',
      `Cannot open ${path.basename(file)}: ${(error as Error).message}`,
      {},
      {
        cause: error,
      },
    );
  }
  try {
    const buf = Buffer.alloc(64);
    const { bytesRead } = await handle.read(buf, 0, 64, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function decodeFile(file: string, options: DecodeOptions): Promise<DecodedAudio> {
  const maxDurationSec = options.maxDurationSec ?? DEFAULT_MAX_DURATION_SEC;
  const sampleRate = options.sampleRate ?? ASR_SAMPLE_RATE;
  const silenceThresholdDb = options.silenceThresholdDb === undefined ? -50 : options.silenceThresholdDb;
  const head = await readHead(file);
  const wav = await readPcmWav(file, head);
  if (wav) {
    if (wav.info.durationSec! > maxDurationSec) {
      throw new SpeechError(
        'TOO_LONG',
        `The audio lasts ${fmtDuration(wav.info.durationSec!)}; the limit is ${fmtDuration(maxDurationSec)}.`,
        { durationSec: wav.info.durationSec, maxDurationSec },
      );
    }
    const pcm = await resamplePcm(wav.pcm, sampleRate, options.signal);
    return checked(pcm, wav.info, null, '', maxDurationSec, silenceThresholdDb);
  }
  const info = await probeMedia(file, head, options.signal);

  if (!isSupportedFormat(info.format)) {
    throw new SpeechError(
      'UNSUPPORTED_MEDIA',
      `Files of type "${info.format}" are not audio we can transcribe.`,
      {
        format: info.format,
      },
    );
  }
  if (info.audio.length === 0) {
    throw new SpeechError(
      'UNSUPPORTED_MEDIA',
      info.hasVideo ? 'The video has no audio track.' : 'The file contains no audio stream.',
      { format: info.format },
    );
  }
  const probed = info.audio[0].durationSec ?? info.durationSec;
  if (probed !== null && probed > maxDurationSec) {
    throw new SpeechError(
      'TOO_LONG',
      `The audio lasts ${fmtDuration(probed)}; the limit is ${fmtDuration(maxDurationSec)}.`,
      {
        durationSec: probed,
        maxDurationSec,
      },
    );
  }

  const result = await runProcess(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-v',
      'error',
      '-i',
      file,
      '-map',
      `0:${info.audio[0].index}`,
      '-vn',
      '-sn',
      '-dn',
      '-ac',
      '1',
      '-ar',
      String(sampleRate),
      // Decode a little past the limit so a lying header cannot smuggle in hours of audio.
      '-t',
      String(maxDurationSec + 1),
      '-f',
      's16le',
      '-acodec',
      'pcm_s16le',
      'pipe:1',
    ],
    { signal: options.signal, timeoutMs: Math.max(60_000, maxDurationSec * 200), maxStderrBytes: 16 * 1024 },
  );
  const stderr = result.stderr.replaceAll(file, 'input');
  if (result.code !== 0) {
    throw new SpeechError(
      'CORRUPT',
      `The audio could not be decoded (${lastLines(stderr, 2) || 'ffmpeg failed'}).`,
      {
        reason: lastLines(stderr, 5),
      },
    );
  }
  return checked(
    pcmFromBytes(result.stdout, sampleRate),
    info,
    probed,
    stderr,
    maxDurationSec,
    silenceThresholdDb,
  );
}

/** What every decoded recording must pass: something decoded, not truncated, not too long, not silent. */
function checked(
  pcm: Pcm,
  info: MediaInfo,
  probed: number | null,
  stderr: string,
  maxDurationSec: number,
  silenceThresholdDb: number | null,
): DecodedAudio {
  const durationSec = pcm.samples.length / pcm.sampleRate;
  if (pcm.samples.length === 0) {
    throw new SpeechError('CORRUPT', 'The file holds no decodable audio.', { reason: lastLines(stderr, 5) });
  }
  if (probed !== null && probed > 1 && durationSec < 0.5 * probed) {
    throw new SpeechError(
      'CORRUPT',
      `The audio is truncated or damaged: only ${durationSec.toFixed(1)} s of ${probed.toFixed(1)} s could be decoded.`,
      { decodedSec: durationSec, probedSec: probed, reason: lastLines(stderr, 5) },
    );
  }
  if (durationSec > maxDurationSec) {
    throw new SpeechError(
      'TOO_LONG',
      `The audio lasts more than ${fmtDuration(maxDurationSec)}, the limit.`,
      {
        maxDurationSec,
      },
    );
  }
  const { peakDb, rmsDb } = levels(pcm);
  if (silenceThresholdDb !== null && loudestWindowDb(pcm) < silenceThresholdDb) {
    throw new SpeechError(
      'SILENT',
      `The audio is silent (loudest moment ${Number.isFinite(peakDb) ? peakDb.toFixed(0) + ' dBFS' : 'digital silence'}).`,
      { peakDb, rmsDb },
    );
  }
  return { pcm, info, durationSec, peakDb, rmsDb };
}

/** RMS level of the loudest 50 ms window: a click does not make a silent file audible. */
export function loudestWindowDb(pcm: Pcm): number {
  const win = Math.max(1, Math.round(pcm.sampleRate * 0.05));
  let best = 0;
  for (let start = 0; start < pcm.samples.length; start += win) {
    const end = Math.min(pcm.samples.length, start + win);
    let sum = 0;
    for (let i = start; i < end; i++) sum += pcm.samples[i] * pcm.samples[i];
    const mean = sum / (end - start);
    if (mean > best) best = mean;
  }
  return 10 * Math.log10(best / 32768 ** 2);
}

function fmtDuration(sec: number): string {
  if (sec < 120) return `${Math.round(sec)} s`;
  if (sec < 7200) return `${Math.round(sec / 60)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}
