import { vttTime } from './thumbnails.js';

export interface ChapterScene {
  startSec: number;
  endSec: number;
  /** Burned-in text read on the scene's keyframe, if any. */
  text?: string | null;
}

export interface ChapterSpeech {
  start: number;
  end: number;
  text: string;
}

export interface Chapter {
  index: number;
  startSec: number;
  endSec: number;
  title: string;
  /** Indices of the scenes it spans. */
  firstScene: number;
  lastScene: number;
  /** Where the title came from. */
  titleFrom: 'transcript' | 'on-screen text' | 'position';
}

export interface ChapterOptions {
  /** Shortest chapter (default: an eighth of the video, between 2 and 60 s). */
  minSec?: number;
  /** Longest title, characters. */
  maxTitleChars?: number;
}

/**
 * Chapters from scenes and what is said: consecutive scenes are joined until a chapter lasts minSec,
 * then it ends at the next scene change where nobody is mid-sentence (or at twice minSec regardless).
 * Each is titled by its first sentence of speech, else by its on-screen text, else by its position.
 */
export function buildChapters(
  scenes: ChapterScene[],
  speech: ChapterSpeech[],
  durationSec: number,
  options: ChapterOptions = {},
): Chapter[] {
  if (scenes.length === 0) return [];
  const minSec = options.minSec ?? Math.max(2, Math.min(60, durationSec / 8));
  const maxTitle = options.maxTitleChars ?? 60;
  const midSentence = (t: number) => speech.some((s) => s.start < t - 0.05 && s.end > t + 0.05);
  const groups: Array<[number, number]> = [];
  let first = 0;
  for (let i = 0; i < scenes.length; i++) {
    const length = scenes[i].endSec - scenes[first].startSec;
    const isLast = i === scenes.length - 1;
    if (isLast || (length >= minSec && (!midSentence(scenes[i].endSec) || length >= 2 * minSec))) {
      groups.push([first, i]);
      first = i + 1;
    }
  }
  // A short tail joins the chapter before it.
  if (groups.length > 1) {
    const [a, b] = groups[groups.length - 1];
    if (scenes[b].endSec - scenes[a].startSec < minSec / 2) {
      groups.pop();
      groups[groups.length - 1][1] = b;
    }
  }
  return groups.map(([a, b], index) => {
    const startSec = scenes[a].startSec;
    const endSec = scenes[b].endSec;
    const said = speech
      .filter((s) => s.end > startSec && s.start < endSec && s.start >= startSec - 0.5)
      .map((s) => s.text.trim())
      .filter(Boolean)
      .join(' ');
    const onScreen = scenes
      .slice(a, b + 1)
      .map(
        (s) =>
          (s.text ?? '')
            .split('\n')
            .map((l) => l.trim())
            .find((l) => /\p{L}{2}/u.test(l)) ?? '',
      )
      .find(Boolean);
    const [title, titleFrom]: [string, Chapter['titleFrom']] = said
      ? [shorten(firstSentence(said), maxTitle), 'transcript']
      : onScreen
        ? [shorten(onScreen, maxTitle), 'on-screen text']
        : [`Part ${index + 1}`, 'position'];
    return { index, startSec, endSec, title, firstScene: a, lastScene: b, titleFrom };
  });
}

function firstSentence(text: string): string {
  const m = /^(.+?[.!?])(\s|$)/u.exec(text);
  const s = (m ? m[1] : text).trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function shorten(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[,;:\s]+$/, '')}…`;
}

/** A WebVTT chapters track (`kind="chapters"`). */
export function chaptersVtt(chapters: Chapter[]): string {
  return [
    'WEBVTT',
    '',
    ...chapters.flatMap((c) => [`${vttTime(c.startSec)} --> ${vttTime(c.endSec)}`, c.title, '']),
  ].join('\n');
}
