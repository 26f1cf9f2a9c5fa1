import { VideoError } from './errors.js';
import { runFfmpeg } from './ffmpeg.js';

export interface VideoInfo {
  /** ffprobe's container name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  format: string;
  durationSec: number;
  videoCodec: string;
  /** Stored frame size. */
  codedWidth: number;
  codedHeight: number;
  /** Degrees clockwise the player turns the picture (0, 90, 180, 270). */
  rotation: number;
  /** Frame size as shown, rotation applied. */
  width: number;
  height: number;
  /** Average frames per second. */
  fps: number;
  /** Frame durations vary (phone recordings, screen captures): timestamps, not frame numbers, place cuts. */
  variableFrameRate: boolean;
  hasAudio: boolean;
  audioCodec: string | null;
  bitRate: number | null;
}

interface ProbeJson {
  format?: { format_name?: string; duration?: string; bit_rate?: string };
  streams?: Array<{
    index?: number;
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    r_frame_rate?: string;
    avg_frame_rate?: string;
    duration?: string;
    disposition?: { attached_pic?: number };
    tags?: Record<string, string>;
    side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
  }>;
  packets?: Array<{ pts_time?: string }>;
}

const num = (v: string | undefined): number | null => {
  if (v === undefined || v === 'N/A') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

const rate = (v: string | undefined): number | null => {
  if (!v) return null;
  const [a, b] = v.split('/').map(Number);
  if (!a || !b || !Number.isFinite(a / b)) return null;
  return a / b;
};

/** Magic numbers of the containers ffmpeg reads, to tell a damaged video from a file that is not one. */
export function looksLikeMediaContainer(head: Uint8Array): boolean {
  const b = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 16));
  if (b.length < 8) return false;
  const ascii = (from: number, to: number) => b.toString('latin1', from, to);
  if (ascii(4, 8) === 'ftyp' || ascii(4, 8) === 'moov' || ascii(4, 8) === 'mdat') return true; // MP4/MOV
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return true; // Matroska/WebM
  if (ascii(0, 4) === 'RIFF' || ascii(0, 4) === 'OggS' || ascii(0, 3) === 'FLV') return true;
  if (b[0] === 0x47 || (b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0xba)) return true; // MPEG-TS / PS
  return false;
}

/**
 * Reads a video's streams and timing. Refuses a file ffprobe cannot read (CORRUPT when it looks like a
 * video container, UNSUPPORTED otherwise) and one without a picture (NO_VIDEO_STREAM; cover art does not count).
 */
export async function probeVideo(file: string, head: Uint8Array, signal?: AbortSignal): Promise<VideoInfo> {
  let parsed: ProbeJson;
  try {
    const { stdout } = await runFfmpeg(
      'ffprobe',
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
      { signal, timeoutMs: 60_000 },
    );
    parsed = JSON.parse(stdout.toString('utf8') || '{}') as ProbeJson;
  } catch (error) {
    if (error instanceof VideoError && error.code !== 'ENGINE_FAILED') throw error;
    parsed = {};
  }
  if (!parsed.format?.format_name) {
    if (head.byteLength === 0) throw new VideoError('CORRUPT', 'The file is empty; upload the video again.');
    if (looksLikeMediaContainer(head))
      throw new VideoError(
        'CORRUPT',
        'The video file is damaged and cannot be read (an interrupted upload or export?); upload a complete file.',
      );
    throw new VideoError(
      'UNSUPPORTED',
      'The file is not a video we can read (MP4, MOV, WebM, MKV, AVI, MPEG-TS).',
    );
  }
  const streams = parsed.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video || !video.width || !video.height) {
    throw new VideoError(
      'NO_VIDEO_STREAM',
      'The file has no video stream (is it an audio file?); transcribe it instead, or upload a video.',
    );
  }
  const audio = streams.find((s) => s.codec_type === 'audio');
  const durationSec = num(parsed.format.duration) ?? num(video.duration) ?? 0;
  if (!(durationSec > 0)) {
    throw new VideoError(
      'CORRUPT',
      'The video has no duration (no frames could be found); upload a complete file.',
    );
  }
  const rotation = readRotation(video);
  const turned = rotation === 90 || rotation === 270;
  const avg = rate(video.avg_frame_rate) ?? rate(video.r_frame_rate) ?? 25;
  const variableFrameRate = await detectVariableFrameRate(file, signal);
  return {
    format: parsed.format.format_name,
    durationSec,
    videoCodec: video.codec_name ?? 'unknown',
    codedWidth: video.width,
    codedHeight: video.height,
    rotation,
    width: turned ? video.height : video.width,
    height: turned ? video.width : video.height,
    fps: Math.round(avg * 1000) / 1000,
    variableFrameRate,
    hasAudio: !!audio,
    audioCodec: audio?.codec_name ?? null,
    bitRate: num(parsed.format.bit_rate),
  };
}

function readRotation(video: NonNullable<ProbeJson['streams']>[number]): number {
  const matrix = video.side_data_list?.find((d) => typeof d.rotation === 'number');
  // The display matrix gives the counter-clockwise angle; players turn the picture clockwise by its negation.
  const deg = matrix?.rotation !== undefined ? -matrix.rotation : Number(video.tags?.rotate ?? 0);
  return (((Math.round(deg / 90) * 90) % 360) + 360) % 360;
}

/**
 * True when the first frames' durations vary by more than a tenth (a constant-rate file's differ only by
 * timestamp rounding). Reads the packet timestamps of the first 300 frames, not the pictures.
 */
async function detectVariableFrameRate(file: string, signal?: AbortSignal): Promise<boolean> {
  const { stdout } = await runFfmpeg(
    'ffprobe',
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-read_intervals',
      '%+#300',
      '-show_entries',
      'packet=pts_time',
      '-print_format',
      'json',
      file,
    ],
    { signal, timeoutMs: 60_000 },
  ).catch(() => ({ stdout: Buffer.from('{}') }));
  const packets = (JSON.parse(stdout.toString('utf8') || '{}') as ProbeJson).packets ?? [];
  const times = packets
    .map((p) => num(p.pts_time))
    .filter((t): t is number => t !== null)
    .sort((a, b) => a - b);
  return frameDurationsVary(times);
}

/** Pure part of the check above: timestamps (seconds, sorted) → whether frame durations vary. */
export function frameDurationsVary(times: number[]): boolean {
  if (times.length < 4) return false;
  const d: number[] = [];
  for (let i = 1; i < times.length; i++) d.push(times[i] - times[i - 1]);
  const sorted = [...d].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  if (!(median > 0)) return false;
  const off = d.filter((x) => Math.abs(x - median) > median * 0.1 + 0.0015).length;
  return off / d.length > 0.05;
}
