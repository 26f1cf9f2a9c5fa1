import { baseWord, isNonSpeechToken } from '../transcript.js';

/** One word of a pocketsphinx -hypseg line, frames relative to the utterance start (100 frames/s). */
export interface HypsegWord {
  token: string;
  startFrame: number;
  endFrame: number;
  acousticScore: number;
  lmScore: number;
}

export interface Hypseg {
  uttid: string;
  words: HypsegWord[];
}

/**
 * Parses "uttid S sf T total A ascr L lscr  sf ascr lscr word  sf ascr lscr word ... endframe".
 * Returns null for lines that are not hypseg lines.
 */
export function parseHypseg(line: string): Hypseg | null {
  const t = line.trim().split(/\s+/);
  if (t.length < 9 || t[1] !== 'S' || t[3] !== 'T' || t[5] !== 'A' || t[7] !== 'L') return null;
  const words: HypsegWord[] = [];
  let i = 9;
  while (i + 3 < t.length) {
    const startFrame = Number(t[i]);
    const token = t[i + 3];
    const next = Number(t[i + 4]);
    words.push({
      token,
      startFrame,
      endFrame: Number.isFinite(next) ? next : startFrame,
      acousticScore: Number(t[i + 1]),
      lmScore: Number(t[i + 2]),
    });
    i += 4;
  }
  return { uttid: t[0], words };
}

/** The words of a hypseg that pocketsphinx writes to its CTM output: everything but fillers and <s> </s>. */
export function realWords(hypseg: Hypseg, fillers: ReadonlySet<string>): HypsegWord[] {
  return hypseg.words.filter((w) => !fillers.has(w.token) && !isNonSpeechToken(w.token));
}

export interface CtmLine {
  uttid: string;
  start: number;
  duration: number;
  word: string;
  confidence: number;
}

/** Parses "uttid channel start duration word confidence". */
export function parseCtm(line: string): CtmLine | null {
  const t = line.trim().split(/\s+/);
  if (t.length !== 6) return null;
  const [uttid, , start, duration, word, confidence] = t;
  const s = Number(start);
  const d = Number(duration);
  const c = Number(confidence);
  if (!Number.isFinite(s) || !Number.isFinite(d) || !Number.isFinite(c)) return null;
  return { uttid, start: s, duration: d, word: baseWord(word), confidence: c };
}
