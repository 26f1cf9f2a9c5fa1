import type { Transcript, TranscriptSegment, WordTiming } from '../recognition/types.js';

export interface CueOptions {
  /** Characters per subtitle line (broadcast guidelines: 37-42). Default 42. */
  maxCharsPerLine?: number;
  /** Lines per cue. Default 2. */
  maxLines?: number;
  /** Longest time a cue stays on screen. Default 7 s. */
  maxCueSec?: number;
  /** Cues shorter than this are held longer when the next cue allows. Default 1 s. */
  minCueSec?: number;
  /** A pause this long between words starts a new cue. Default 1 s. */
  breakGapSec?: number;
  /** Display names of the transcript's speakers by id ("S1" → "Speaker 1" or a person's name). */
  speakerNames?: ReadonlyMap<string, string>;
  /** Write "Name: " before the first word of each turn, inside the line-length budget (SubRip). */
  prefixTurns?: boolean;
}

export interface Cue {
  index: number;
  start: number;
  end: number;
  lines: string[];
  /** The speaker's display name, when the transcript was diarized. */
  speaker?: string;
}

const DEFAULTS: Required<Omit<CueOptions, 'speakerNames' | 'prefixTurns'>> = {
  maxCharsPerLine: 42,
  maxLines: 2,
  maxCueSec: 7,
  minCueSec: 1,
  breakGapSec: 1,
};

/**
 * Word timings of a segment, written as in its text (cased and punctuated by readableTranscript) when the
 * text has one token per word; when the engine gave no timings, the segment's time spread over its words.
 */
export function segmentWords(segment: TranscriptSegment): WordTiming[] {
  const tokens = segment.text.split(/\s+/).filter(Boolean);
  if (segment.words.length > 0) {
    if (tokens.length !== segment.words.length) return segment.words;
    return segment.words.map((w, i) => ({ ...w, word: tokens[i]! }));
  }
  const totalChars = tokens.reduce((s, t) => s + t.length + 1, 0);
  const span = Math.max(0, segment.end - segment.start);
  let at = segment.start;
  return tokens.map((word) => {
    const d = (span * (word.length + 1)) / Math.max(1, totalChars);
    const w = { word, start: at, end: at + d, confidence: null };
    at += d;
    return w;
  });
}

/** Breaks text into at most maxLines lines of at most maxChars, as balanced as possible. Null when it cannot. */
export function wrapLines(text: string, maxChars: number, maxLines: number): string[] | null {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  if (text.length <= maxChars) return [words.join(' ')];
  if (maxLines <= 1) return null;
  // Try every break for the first line; keep the one whose remainder fits with the most even lengths.
  let best: string[] | null = null;
  let bestScore = Infinity;
  for (let i = 1; i < words.length; i++) {
    const first = words.slice(0, i).join(' ');
    if (first.length > maxChars) break;
    const rest = wrapLines(words.slice(i).join(' '), maxChars, maxLines - 1);
    if (!rest) continue;
    const lengths = [first.length, ...rest.map((l) => l.length)];
    const score = Math.max(...lengths) - Math.min(...lengths);
    if (score < bestScore) {
      bestScore = score;
      best = [first, ...rest];
    }
  }
  return best;
}

/**
 * Speaker names captions show: only when segments carry two speakers or more (a monologue needs no
 * labels), each id's display name or the id itself.
 */
function captionSpeakers(
  transcript: Pick<Transcript, 'segments'>,
  names: ReadonlyMap<string, string> | undefined,
): Map<string, string> | null {
  const ids = new Set(
    transcript.segments.flatMap((s) => (s.speaker && s.words.length + s.text.length > 0 ? [s.speaker] : [])),
  );
  if (ids.size < 2) return null;
  return new Map([...ids].map((id) => [id, names?.get(id) ?? id]));
}

/** Groups words into subtitle cues that respect line length, line count, duration and pauses. */
export function buildCues(transcript: Pick<Transcript, 'segments'>, options: CueOptions = {}): Cue[] {
  const o = { ...DEFAULTS, ...options };
  const groups: WordTiming[][] = [];
  const speakers: Array<string | undefined> = [];
  const names = captionSpeakers(transcript, o.speakerNames);
  let previous: string | undefined;
  for (const segment of transcript.segments) {
    let cur: WordTiming[] = [];
    const name = segment.speaker ? names?.get(segment.speaker) : undefined;
    const words = segmentWords(segment);
    if (o.prefixTurns && name && segment.speaker !== previous && words.length > 0)
      words[0] = { ...words[0]!, word: `${name}: ${words[0]!.word}` };
    if (words.length > 0) previous = segment.speaker;
    for (const word of words) {
      if (cur.length > 0) {
        const text = [...cur, word].map((w) => w.word).join(' ');
        const tooLong = wrapLines(text, o.maxCharsPerLine, o.maxLines) === null;
        const tooSlow = word.end - cur[0].start > o.maxCueSec;
        const pause = word.start - cur[cur.length - 1].end >= o.breakGapSec;
        if (tooLong || tooSlow || pause) {
          groups.push(cur);
          speakers.push(name);
          cur = [];
        }
      }
      cur.push(word);
    }
    if (cur.length > 0) {
      groups.push(cur);
      speakers.push(name);
    }
  }
  const cues: Cue[] = groups.map((words, i) => {
    const text = words.map((w) => w.word).join(' ');
    // A single word longer than a line is the only way wrapLines fails here: show it as it is.
    const lines = wrapLines(text, o.maxCharsPerLine, o.maxLines) ?? [text];
    const speaker = speakers[i];
    return {
      index: i + 1,
      start: words[0].start,
      end: Math.max(words[words.length - 1].end, words[0].start + 0.04),
      lines,
      ...(speaker ? { speaker } : {}),
    };
  });
  for (let i = 0; i < cues.length; i++) {
    const next = cues[i + 1];
    const limit = next ? next.start : Infinity;
    if (cues[i].end - cues[i].start < o.minCueSec) cues[i].end = Math.min(cues[i].start + o.minCueSec, limit);
    if (next && cues[i].end > next.start) cues[i].end = next.start;
  }
  return cues;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** 3661.5 -> "01:01:01,500" (SRT) or "01:01:01.500" (WebVTT). */
export function formatTimestamp(seconds: number, style: 'srt' | 'vtt'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const frac = ms % 1000;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${style === 'srt' ? ',' : '.'}${pad(frac, 3)}`;
}

/**
 * SubRip. With two speakers or more, the speaker's name opens each turn ("Speaker 1: …", as broadcasters
 * write it), counted in the line length.
 */
export function toSrt(transcript: Pick<Transcript, 'segments'>, options?: CueOptions): string {
  return buildCues(transcript, { ...options, prefixTurns: true })
    .map(
      (c) =>
        `${c.index}\n${formatTimestamp(c.start, 'srt')} --> ${formatTimestamp(c.end, 'srt')}\n${c.lines
          .map((l) => l.replace(/-->/g, '->'))
          .join('\n')}\n`,
    )
    .join('\n');
}

function escapeVtt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** WebVTT. With two speakers or more, every cue carries its speaker as a voice span (<v Speaker 1>…). */
export function toWebVtt(transcript: Pick<Transcript, 'segments'>, options?: CueOptions): string {
  const cues = buildCues(transcript, options).map((c) => {
    const lines = c.lines.map(escapeVtt);
    // A voice annotation cannot hold "&", "<" or ">" raw, nor a line break.
    if (c.speaker) lines[0] = `<v ${escapeVtt(c.speaker).replace(/\s+/g, ' ')}>${lines[0] ?? ''}`;
    return `${c.index}\n${formatTimestamp(c.start, 'vtt')} --> ${formatTimestamp(c.end, 'vtt')}\n${lines.join('\n')}\n`;
  });
  return ['WEBVTT\n', ...cues].join('\n');
}

/**
 * Segment texts, a blank line where the speaker paused for at least paragraphGapSec (default 2 s) and,
 * with two speakers or more, where the speaker changes, each turn opening with the speaker's name.
 */
export function toPlainText(
  transcript: Pick<Transcript, 'segments'>,
  options: { paragraphGapSec?: number; speakerNames?: ReadonlyMap<string, string> } = {},
): string {
  const gap = options.paragraphGapSec ?? 2;
  const paragraphs: string[][] = [];
  const names = captionSpeakers(transcript, options.speakerNames);
  let prevEnd = -Infinity;
  let prevSpeaker: string | undefined;
  for (const s of transcript.segments) {
    if (!s.text.trim()) continue;
    const name = s.speaker ? names?.get(s.speaker) : undefined;
    const turn = name !== undefined && s.speaker !== prevSpeaker;
    if (paragraphs.length === 0 || s.start - prevEnd >= gap || turn) paragraphs.push([]);
    paragraphs[paragraphs.length - 1].push(turn && name ? `${name}: ${s.text.trim()}` : s.text.trim());
    prevEnd = s.end;
    prevSpeaker = s.speaker;
  }
  return paragraphs.map((p) => p.join(' ')).join('\n\n') + (paragraphs.length ? '\n' : '');
}
