import { readFile } from 'node:fs/promises';
import type { Pcm } from './pcm.js';
import type { MediaInfo } from './probe.js';

export interface PcmWav {
  pcm: Pcm;
  info: MediaInfo;
}

/**
 * Reads a plain WAV file for decoding (RIFF/WAVE, PCM, 16-bit, mono) in-process: most recordings sent for
 * transcription are exactly that, and starting ffprobe and ffmpeg for them costs more than reading
 * them. Anything else (other encodings, stereo, a damaged or streamed header) returns null and goes
 * through ffmpeg as before.
 */
export async function readPcmWav(file: string, head: Uint8Array): Promise<PcmWav | null> {
  const h = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (h.length < 12 || h.toString('latin1', 0, 4) !== 'RIFF' || h.toString('latin1', 8, 12) !== 'WAVE') {
    return null;
  }
  const bytes = await readFile(file);
  let at = 12;
  let format: { tag: number; channels: number; rate: number; bits: number } | null = null;
  while (at + 8 <= bytes.length) {
    const id = bytes.toString('latin1', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) return null;
      format = {
        tag: bytes.readUInt16LE(body),
        channels: bytes.readUInt16LE(body + 2),
        rate: bytes.readUInt32LE(body + 4),
        bits: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      // PCM only (WAVE_FORMAT_PCM), 16-bit mono, and every byte the header announces actually there
      if (!format || format.tag !== 1 || format.bits !== 16 || format.channels !== 1) return null;
      if (format.rate < 1000 || size === 0 || body + size > bytes.length) return null;
      const n = Math.floor(size / 2);
      const samples = new Int16Array(n);
      for (let i = 0; i < n; i++) samples[i] = bytes.readInt16LE(body + 2 * i);
      const durationSec = n / format.rate;
      return {
        pcm: { samples, sampleRate: format.rate },
        info: {
          format: 'wav',
          durationSec,
          sizeBytes: bytes.length,
          bitRate: format.rate * 16,
          hasVideo: false,
          audio: [{ index: 0, codec: 'pcm_s16le', sampleRate: format.rate, channels: 1, durationSec }],
        },
      };
    }
    at = body + size + (size % 2); // chunks are padded to an even length
  }
  return null;
}
