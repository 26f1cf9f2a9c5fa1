import type { TranscriptSegment } from '../recognition/types.js';
import type { SpeakerTurn } from './der.js';

/** The speaker whose turns overlap [start, end] the most; the nearest turn's when none overlaps. */
export function speakerAt(turns: readonly SpeakerTurn[], start: number, end: number): string | undefined {
  let best: string | undefined;
  let bestOverlap = 0;
  let nearest: string | undefined;
  let nearestGap = Infinity;
  for (const t of turns) {
    const overlap = Math.min(end, t.end) - Math.max(start, t.start);
    if (overlap > bestOverlap) [best, bestOverlap] = [t.speaker, overlap];
    const gap = Math.max(t.start - end, start - t.end, 0);
    if (gap < nearestGap) [nearest, nearestGap] = [t.speaker, gap];
  }
  return best ?? nearest;
}

/**
 * Segments labelled with their speaker: each word goes to the turn it overlaps most, and a segment is cut
 * where the speaker changes. Words, their timings and their order are kept, so the text (and its WER) is
 * unchanged; only labels and segment boundaries are added. Segments are renumbered.
 */
export function assignSpeakers(
  segments: readonly TranscriptSegment[],
  turns: readonly SpeakerTurn[],
): TranscriptSegment[] {
  const out: TranscriptSegment[] = [];
  for (const segment of segments) {
    const tokens = segment.text.split(/\s+/).filter(Boolean);
    // A segment is cut only where its text tokens follow its words one to one (as readableTranscript
    // writes them); otherwise it keeps its wording whole and takes the speaker it overlaps most.
    if (turns.length === 0 || segment.words.length === 0 || tokens.length !== segment.words.length) {
      const speaker = speakerAt(turns, segment.start, segment.end);
      out.push({ ...segment, ...(speaker ? { speaker } : {}) });
      continue;
    }
    let run: { from: number; speaker: string | undefined } | null = null;
    const flush = (to: number) => {
      if (!run) return;
      const words = segment.words.slice(run.from, to);
      const known = words.map((w) => w.confidence).filter((c): c is number => c !== null);
      out.push({
        id: 0,
        start: words[0]!.start,
        end: words[words.length - 1]!.end,
        text: tokens.slice(run.from, to).join(' '),
        confidence: known.length
          ? Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 1000) / 1000
          : segment.confidence,
        words,
        ...(run.speaker ? { speaker: run.speaker } : {}),
      });
    };
    segment.words.forEach((word, i) => {
      const speaker = speakerAt(turns, word.start, word.end);
      if (run && run.speaker === speaker) return;
      flush(i);
      run = { from: i, speaker };
    });
    flush(segment.words.length);
  }
  return out.map((s, i) => ({ ...s, id: i }));
}
