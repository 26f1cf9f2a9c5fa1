import type { Pcm } from '../audio/pcm.js';

/**
 * Mel-frequency cepstral coefficients: the short-term spectral envelope that carries much of a voice's
 * identity (vocal tract length and shape) and of the channel. 25 ms Hamming windows every 10 ms (the
 * 10 ms frames of the VAD), pre-emphasis 0.97, 26 mel bands from 60 Hz to 7.6 kHz (or below Nyquist),
 * log energies, DCT-II. c0 (loudness) is left out: the same voice speaks louder and softer.
 */
export interface MfccOptions {
  /** Cepstral coefficients kept, c1..cN. Default 19. */
  coefficients?: number;
  /** Mel bands. Default 26. */
  bands?: number;
}

export interface Features {
  /** frames × dim values, frame-major. */
  data: Float32Array;
  frames: number;
  dim: number;
  /** Seconds between frame starts (0.01). */
  frameSec: number;
}

export const FRAME_SEC = 0.01;
const WINDOW_SEC = 0.025;

/** In-place iterative radix-2 FFT of (re, im); length a power of two. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b]! * cr - im[b]! * ci;
        const ti = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const hzOf = (m: number) => 700 * (10 ** (m / 2595) - 1);

/** Triangular mel filters over the bins of an nfft-point spectrum: [firstBin, weights] per band. */
function melFilters(bands: number, nfft: number, sampleRate: number): Array<[number, Float64Array]> {
  const low = mel(60);
  const high = mel(Math.min(7600, sampleRate / 2 - 100));
  const edges = Array.from({ length: bands + 2 }, (_, i) =>
    Math.floor(((nfft + 1) * hzOf(low + ((high - low) * i) / (bands + 1))) / sampleRate),
  );
  return Array.from({ length: bands }, (_, b) => {
    const [l, c, r] = [edges[b]!, edges[b + 1]!, edges[b + 2]!];
    const w = new Float64Array(Math.max(1, r - l + 1));
    for (let k = l; k <= r; k++) {
      w[k - l] = k < c ? (k - l) / Math.max(1, c - l) : (r - k) / Math.max(1, r - c);
    }
    return [l, w];
  });
}

export function mfcc(pcm: Pcm, options: MfccOptions = {}): Features {
  const dim = options.coefficients ?? 19;
  const bands = options.bands ?? 26;
  const rate = pcm.sampleRate;
  const hop = Math.round(FRAME_SEC * rate);
  const win = Math.round(WINDOW_SEC * rate);
  let nfft = 1;
  while (nfft < win) nfft <<= 1;
  const frames = Math.max(0, Math.floor((pcm.samples.length - win) / hop) + 1);
  const hamming = Float64Array.from(
    { length: win },
    (_, i) => 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (win - 1)),
  );
  const filters = melFilters(bands, nfft, rate);
  const dct = Array.from({ length: dim }, (_, c) =>
    Float64Array.from({ length: bands }, (_, b) => Math.cos((Math.PI * (c + 1) * (b + 0.5)) / bands)),
  );
  const data = new Float32Array(frames * dim);
  const re = new Float64Array(nfft);
  const im = new Float64Array(nfft);
  const power = new Float64Array(nfft / 2 + 1);
  const logMel = new Float64Array(bands);
  for (let f = 0; f < frames; f++) {
    const base = f * hop;
    re.fill(0);
    im.fill(0);
    let mean = 0;
    for (let i = 0; i < win; i++) mean += pcm.samples[base + i]!;
    mean /= win;
    let prev = pcm.samples[base]! - mean;
    for (let i = 0; i < win; i++) {
      const s = pcm.samples[base + i]! - mean;
      re[i] = ((s - 0.97 * prev) / 32768) * hamming[i]!;
      prev = s;
    }
    fft(re, im);
    for (let k = 0; k <= nfft / 2; k++) power[k] = re[k]! * re[k]! + im[k]! * im[k]!;
    for (let b = 0; b < bands; b++) {
      const [first, w] = filters[b]!;
      let e = 0;
      for (let k = 0; k < w.length; k++) e += w[k]! * (power[first + k] ?? 0);
      logMel[b] = Math.log(e + 1e-10);
    }
    for (let c = 0; c < dim; c++) {
      let v = 0;
      const d = dct[c]!;
      for (let b = 0; b < bands; b++) v += d[b]! * logMel[b]!;
      data[f * dim + c] = v;
    }
  }
  return { data, frames, dim, frameSec: FRAME_SEC };
}
