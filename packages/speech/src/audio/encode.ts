import { SpeechError } from '../errors.js';
import { runChecked } from '../util/process.js';
import { pcmBytes, type Pcm } from './pcm.js';
import { encodeWav } from './wav.js';

export type AudioFormat = 'wav' | 'mp3' | 'ogg' | 'opus' | 'flac' | 'aac';

export const AUDIO_FORMATS: readonly AudioFormat[] = ['wav', 'mp3', 'ogg', 'opus', 'flac', 'aac'];

export const MIME_TYPES: Record<AudioFormat, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg; codecs=opus',
  flac: 'audio/flac',
  aac: 'audio/aac',
};

export const FILE_EXTENSIONS: Record<AudioFormat, string> = {
  wav: 'wav',
  mp3: 'mp3',
  ogg: 'ogg',
  opus: 'opus',
  flac: 'flac',
  aac: 'aac',
};

export function isAudioFormat(value: string): value is AudioFormat {
  return (AUDIO_FORMATS as readonly string[]).includes(value);
}

/**
 * ffmpeg output arguments per format: mono speech settings. ogg is Vorbis; opus is Opus in an Ogg container;
 * flac is lossless; aac is AAC-LC in ADTS frames (a plain .aac file).
 */
function codecArgs(format: Exclude<AudioFormat, 'wav'>, sampleRate: number): string[] {
  switch (format) {
    case 'mp3':
      return ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'];
    case 'ogg':
      return ['-c:a', 'libvorbis', '-q:a', '3', '-f', 'ogg'];
    case 'opus':
      // Opus only takes 8/12/16/24/48 kHz.
      return [
        ...(new Set([8000, 12000, 16000, 24000, 48000]).has(sampleRate) ? [] : ['-ar', '24000']),
        '-c:a',
        'libopus',
        '-b:a',
        '32k',
        '-application',
        'voip',
        '-f',
        'ogg',
      ];
    case 'flac':
      return ['-c:a', 'flac', '-f', 'flac'];
    case 'aac':
      return ['-c:a', 'aac', '-b:a', '64k', '-f', 'adts'];
  }
}

/** Encodes mono PCM as wav (in process), mp3, ogg/vorbis, ogg/opus, flac or aac (ffmpeg). */
export async function encodeAudio(pcm: Pcm, format: AudioFormat, signal?: AbortSignal): Promise<Buffer> {
  if (format === 'wav') return encodeWav(pcm);
  if (!isAudioFormat(format)) {
    throw new SpeechError(
      'UNSUPPORTED_FORMAT',
      `Unknown output format "${String(format)}"; use one of ${AUDIO_FORMATS.join(', ')}.`,
    );
  }
  const { stdout } = await runChecked(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-v',
      'error',
      '-f',
      's16le',
      '-ar',
      String(pcm.sampleRate),
      '-ac',
      '1',
      '-i',
      'pipe:0',
      ...codecArgs(format, pcm.sampleRate),
      'pipe:1',
    ],
    { stdin: pcmBytes(pcm), signal, timeoutMs: 120_000 + (pcm.samples.length / pcm.sampleRate) * 1000 },
  );
  return stdout;
}
