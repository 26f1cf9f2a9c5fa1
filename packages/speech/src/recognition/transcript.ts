import type { TranscriptSegment, WordTiming } from './types.js';

/** Fillers and markers recognizers emit for non-speech: never words. */
export function isNonSpeechToken(token: string): boolean {
  return (
    /^<.*>$/.test(token) || // <s> </s> <sil> <unk>
    /^\[.*\]$/.test(token) || // [NOISE] [SPEECH] [MUSIC]
    /^\+\+?.*\+\+?$/.test(token) || // ++UH++ fillers
    /^\(.*\)$/.test(token) // (breath)
  );
}

/** "and(2)" (an alternate pronunciation) -> "and". */
export function baseWord(token: string): string {
  return token.replace(/\(\d+\)$/, '');
}

export function meanConfidence(words: readonly WordTiming[]): number | null {
  const known = words.map((w) => w.confidence).filter((c): c is number => c !== null);
  if (known.length === 0) return null;
  return known.reduce((a, b) => a + b, 0) / known.length;
}

export function segmentFromWords(
  id: number,
  start: number,
  end: number,
  words: WordTiming[],
): TranscriptSegment {
  return {
    id,
    start,
    end,
    text: words.map((w) => w.word).join(' '),
    confidence: roundConfidence(meanConfidence(words)),
    words,
  };
}

export function transcriptText(segments: readonly TranscriptSegment[]): string {
  return segments
    .map((s) => s.text.trim())
    .filter((t) => t.length > 0)
    .join(' ');
}

function roundConfidence(c: number | null): number | null {
  return c === null ? null : Math.round(c * 1000) / 1000;
}
