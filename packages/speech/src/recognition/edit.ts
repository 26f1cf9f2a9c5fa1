import { SpeechError } from '../errors.js';
import { speakerAt } from '../diarization/assign.js';
import { transcriptText } from './transcript.js';
import type { TranscriptSegment, WordTiming } from './types.js';

/** A segment as an editor corrects it: times, text and, optionally, their own word timings. */
export interface EditedSegment {
  start: number;
  end: number;
  text: string;
  words?: { word: string; start: number; end: number }[] | null;
  /** Its speaker's id ("S1"); left out, the speaker of the model's segments it overlaps most. */
  speaker?: string | null;
}

export const MAX_EDITED_SEGMENTS = 10_000;
export const MAX_SEGMENT_CHARS = 5_000;
/** Slack for times rounded by a player (seconds). */
const SLACK = 0.05;

/**
 * An editor's corrected transcript, checked and completed: segments in order and inside the recording,
 * words inside their segment. A segment whose words are not given keeps the model's words when its text
 * and times are the model's, and otherwise gets new word timings spread over the segment in proportion
 * to word length (editors fix words, not milliseconds). Throws SpeechError INVALID_INPUT naming the segment.
 */
export function applyTranscriptEdit(
  model: readonly TranscriptSegment[],
  edits: readonly EditedSegment[],
  durationSec: number,
): { segments: TranscriptSegment[]; text: string } {
  if (edits.length === 0) throw invalid('segments must list at least one segment');
  if (edits.length > MAX_EDITED_SEGMENTS)
    throw invalid(`segments takes at most ${MAX_EDITED_SEGMENTS} segments`);
  const byTimes = new Map(model.map((s) => [`${s.start}:${s.end}`, s]));
  const turns = model.flatMap((s) => (s.speaker ? [{ start: s.start, end: s.end, speaker: s.speaker }] : []));
  const segments: TranscriptSegment[] = [];
  let previousEnd = 0;
  for (const [i, edit] of edits.entries()) {
    const at = `segments[${i}]`;
    const text = edit.text.replace(/\s+/g, ' ').trim();
    if (
      !Number.isFinite(edit.start) ||
      !Number.isFinite(edit.end) ||
      edit.start < 0 ||
      edit.end <= edit.start
    )
      throw invalid(`${at}: start must be 0 or more and end after start (got ${edit.start} to ${edit.end})`);
    if (edit.end > durationSec + SLACK)
      throw invalid(`${at}: ends at ${edit.end} s, after the recording's end (${durationSec} s)`);
    if (edit.start < previousEnd - SLACK)
      throw invalid(
        `${at}: starts at ${edit.start} s, before the previous segment ends (${previousEnd} s); keep segments in order`,
      );
    if (!text) throw invalid(`${at}: text is empty; leave the segment out to remove it`);
    if (text.length > MAX_SEGMENT_CHARS)
      throw invalid(`${at}: text must be at most ${MAX_SEGMENT_CHARS} characters`);
    previousEnd = edit.end;
    let words: WordTiming[];
    if (edit.words?.length) {
      words = edit.words.map((w, j) => {
        if (!(w.start >= edit.start - SLACK && w.end <= edit.end + SLACK && w.end >= w.start))
          throw invalid(
            `${at}.words[${j}] ("${w.word}"): its times must lie inside the segment (${edit.start} to ${edit.end} s)`,
          );
        return { word: w.word.trim(), start: w.start, end: w.end, confidence: null };
      });
    } else {
      const same = byTimes.get(`${edit.start}:${edit.end}`);
      words =
        same && same.text.replace(/\s+/g, ' ').trim() === text
          ? same.words
          : spreadWords(text, edit.start, edit.end);
    }
    const speaker = edit.speaker || (turns.length ? speakerAt(turns, edit.start, edit.end) : undefined);
    segments.push({
      id: i,
      start: edit.start,
      end: edit.end,
      text,
      confidence: null,
      words,
      ...(speaker ? { speaker } : {}),
    });
  }
  return { segments, text: transcriptText(segments) };
}

/** Word timings for a corrected text: the segment's time shared out by word length. */
export function spreadWords(text: string, start: number, end: number): WordTiming[] {
  const tokens = text.split(/\s+/).filter(Boolean);
  const weights = tokens.map((t) => t.length + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const words: WordTiming[] = [];
  let at = start;
  for (const [i, word] of tokens.entries()) {
    const span = ((end - start) * weights[i]!) / total;
    const wordEnd = i === tokens.length - 1 ? end : round(at + span);
    words.push({ word, start: round(at), end: wordEnd, confidence: null });
    at = wordEnd;
  }
  return words;
}

const round = (s: number) => Math.round(s * 1000) / 1000;
const invalid = (message: string) => new SpeechError('INVALID_INPUT', message);
