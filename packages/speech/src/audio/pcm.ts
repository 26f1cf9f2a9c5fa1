/** Mono 16-bit PCM: the one in-memory audio shape of this package. */
export interface Pcm {
  samples: Int16Array;
  sampleRate: number;
}

/** The sample rate every recognizer here is fed. */
export const ASR_SAMPLE_RATE = 16_000;

export function pcmDuration(pcm: Pcm): number {
  return pcm.samples.length / pcm.sampleRate;
}

export function silence(seconds: number, sampleRate: number): Pcm {
  return { samples: new Int16Array(Math.max(0, Math.round(seconds * sampleRate))), sampleRate };
}

export function concatPcm(parts: readonly Pcm[], sampleRate = parts[0]?.sampleRate ?? ASR_SAMPLE_RATE): Pcm {
  let total = 0;
  for (const p of parts) {
    if (p.sampleRate !== sampleRate)
      throw new Error(`cannot join ${p.sampleRate} Hz audio with ${sampleRate} Hz`);
    total += p.samples.length;
  }
  const samples = new Int16Array(total);
  let at = 0;
  for (const p of parts) {
    samples.set(p.samples, at);
    at += p.samples.length;
  }
  return { samples, sampleRate };
}

export function slicePcm(pcm: Pcm, startSec: number, endSec: number): Pcm {
  const a = Math.max(0, Math.round(startSec * pcm.sampleRate));
  const b = Math.min(pcm.samples.length, Math.round(endSec * pcm.sampleRate));
  return { samples: pcm.samples.subarray(a, Math.max(a, b)), sampleRate: pcm.sampleRate };
}

/** Little-endian bytes of the samples (a view when the platform is little-endian, which Node's are). */
export function pcmBytes(pcm: Pcm): Buffer {
  return Buffer.from(pcm.samples.buffer, pcm.samples.byteOffset, pcm.samples.byteLength);
}

export function pcmFromBytes(bytes: Uint8Array, sampleRate: number): Pcm {
  const n = Math.floor(bytes.byteLength / 2);
  const samples = new Int16Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, n * 2);
  for (let i = 0; i < n; i++) samples[i] = view.getInt16(i * 2, true);
  return { samples, sampleRate };
}

/** Peak and RMS level in dBFS (-Infinity for digital silence). */
export function levels(pcm: Pcm): { peakDb: number; rmsDb: number } {
  let peak = 0;
  let sum = 0;
  for (const s of pcm.samples) {
    const a = Math.abs(s);
    if (a > peak) peak = a;
    sum += s * s;
  }
  const n = Math.max(1, pcm.samples.length);
  return { peakDb: 20 * Math.log10(peak / 32768), rmsDb: 10 * Math.log10(sum / n / 32768 ** 2) };
}
