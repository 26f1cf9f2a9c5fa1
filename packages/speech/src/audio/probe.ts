import { SpeechError } from '../errors.js';
import { lastLines, runProcess } from '../util/process.js';

export interface AudioStreamInfo {
  index: number;
  codec: string;
  sampleRate: number;
  channels: number;
  durationSec: number | null;
}

export interface MediaInfo {
  /** ffprobe's format name, e.g. "wav", "mp3", "ogg", "mov,mp4,m4a,3gp,3g2,mj2". */
  format: string;
  durationSec: number | null;
  sizeBytes: number | null;
  bitRate: number | null;
  audio: AudioStreamInfo[];
  hasVideo: boolean;
}

/** Containers we decode. ffprobe also "recognises" images, subtitles and text: those are not audio. */
const AUDIO_FORMATS = new Set([
  'wav',
  'mp3',
  'flac',
  'ogg',
  'mov',
  'mp4',
  'm4a',
  'matroska',
  'webm',
  'aac',
  'aiff',
  'w64',
]);

export function isSupportedFormat(format: string): boolean {
  return format.split(',').some((f) => AUDIO_FORMATS.has(f));
}

/** Magic numbers of the containers above, to tell a damaged audio file from a file that is not audio. */
export function looksLikeAudioContainer(head: Uint8Array): boolean {
  const b = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 16));
  const ascii = (from: number, to: number) => b.toString('latin1', from, to);
  if (b.length < 4) return false;
  if (['RIFF', 'fLaC', 'OggS', 'FORM'].includes(ascii(0, 4))) return true;
  if (ascii(0, 3) === 'ID3') return true;
  if (b.length >= 8 && ascii(4, 8) === 'ftyp') return true;
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return true; // Matroska/WebM
  if (b[0] === 0xff && (b[1] & 0xe0) === 0xe0) return true; // MPEG audio / ADTS frame sync
  return false;
}

interface FfprobeJson {
  format?: { format_name?: string; duration?: string; size?: string; bit_rate?: string };
  streams?: Array<{
    index?: number;
    codec_type?: string;
    codec_name?: string;
    sample_rate?: string;
    channels?: number;
    duration?: string;
  }>;
}

function num(v: string | undefined): number | null {
  if (v === undefined || v === 'N/A') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * Runs ffprobe on a file. Throws CORRUPT when the file looks like audio but cannot be parsed, and
 * UNSUPPORTED_MEDIA when ffprobe does not recognise it at all; a recognised file is returned as is
 * (callers check `isSupportedFormat` and the audio streams).
 */
export async function probeMedia(file: string, head: Uint8Array, signal?: AbortSignal): Promise<MediaInfo> {
  const result = await runProcess(
    'ffprobe',
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
    { timeoutMs: 30_000, signal },
  );
  let parsed: FfprobeJson = {};
  try {
    parsed = JSON.parse(result.stdout.toString('utf8') || '{}') as FfprobeJson;
  } catch {
    parsed = {};
  }
  if (result.code !== 0 || !parsed.format?.format_name) {
    const reason = lastLines(result.stderr.replaceAll(file, 'input'), 2) || 'unreadable';
    if (head.byteLength === 0) throw new SpeechError('CORRUPT', 'The file is empty.', { reason: 'empty' });
    if (looksLikeAudioContainer(head)) {
      throw new SpeechError('CORRUPT', `The audio file is damaged and cannot be read (${reason}).`, {
        reason,
      });
    }
    throw new SpeechError('UNSUPPORTED_MEDIA', 'The file is not an audio or video file we can read.', {
      reason,
    });
  }
  const streams = parsed.streams ?? [];
  return {
    format: parsed.format.format_name,
    durationSec: num(parsed.format.duration),
    sizeBytes: num(parsed.format.size),
    bitRate: num(parsed.format.bit_rate),
    hasVideo: streams.some((s) => s.codec_type === 'video'),
    audio: streams
      .filter((s) => s.codec_type === 'audio')
      .map((s) => ({
        index: s.index ?? 0,
        codec: s.codec_name ?? 'unknown',
        sampleRate: num(s.sample_rate) ?? 0,
        channels: s.channels ?? 0,
        durationSec: num(s.duration),
      })),
  };
}
