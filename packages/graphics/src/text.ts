import type { LoadedFont } from './fonts.js';

/*
 * Text layout with the font's own metrics: advance widths with kerning for wrapping, the glyph outlines'
 * bounding box to check that nothing (an accent on a capital, an italic overhang) leaves the box.
 */

export interface FitOptions {
  /** Largest font size tried, px. */
  maxSize: number;
  /** Smallest; below it the text is cut with an ellipsis rather than overflow. */
  minSize: number;
  maxLines: number;
  /** Line height as a multiple of the font size. */
  lineHeight: number;
  align?: 'left' | 'center';
}

export interface FittedText {
  text: string;
  size: number;
  lines: string[];
  /** Line widths, px, as measured. */
  widths: number[];
  lineHeightPx: number;
  /** Height of the block from the top of the first line to the bottom of the last, px. */
  height: number;
  /** The text did not fit at the smallest size and was cut (ending in "…"). */
  truncated: boolean;
  align: 'left' | 'center';
  /** Ink bounds of the outlines relative to the block's top-left, px. */
  ink: { x1: number; y1: number; x2: number; y2: number };
}

const widths = new WeakMap<LoadedFont, Map<string, number>>();

/** Advance width with kerning, px. Widths scale linearly with size, so each string is measured once. */
export function measure(font: LoadedFont, text: string, size: number): number {
  let cache = widths.get(font);
  if (!cache) widths.set(font, (cache = new Map()));
  let unit = cache.get(text);
  if (unit === undefined) {
    unit = font.font.getAdvanceWidth(text, font.font.unitsPerEm, { kerning: true });
    if (cache.size > 50_000) cache.clear();
    cache.set(text, unit);
  }
  return (unit * size) / font.font.unitsPerEm;
}

const ELLIPSIS = '…';

/** Splits a word wider than the line into pieces that fit, each but the last ending in a hyphen. */
function breakWord(font: LoadedFont, word: string, size: number, width: number): string[] {
  const pieces: string[] = [];
  let rest = [...word];
  while (rest.length) {
    let n = rest.length;
    while (n > 1 && measure(font, rest.slice(0, n).join('') + (n < rest.length ? '-' : ''), size) > width)
      n--;
    pieces.push(rest.slice(0, n).join('') + (n < rest.length ? '-' : ''));
    rest = rest.slice(n);
  }
  return pieces;
}

/**
 * Greedy wrapping by words; a word longer than the line is broken with hyphens, or, with
 * `breakWords: false`, the answer is null.
 */
export function wrapText(font: LoadedFont, text: string, size: number, width: number): string[];
export function wrapText(
  font: LoadedFont,
  text: string,
  size: number,
  width: number,
  breakWords: false,
): string[] | null;
export function wrapText(
  font: LoadedFont,
  text: string,
  size: number,
  width: number,
  breakWords = true,
): string[] | null {
  const words = text.normalize('NFC').trim().split(/\s+/u).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (measure(font, candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    if (measure(font, word, size) <= width) {
      line = word;
      continue;
    }
    if (!breakWords) return null;
    const pieces = breakWord(font, word, size, width);
    lines.push(...pieces.slice(0, -1));
    line = pieces[pieces.length - 1]!;
  }
  if (line) lines.push(line);
  return lines;
}

function ascent(font: LoadedFont, size: number): number {
  return (font.font.ascender / font.font.unitsPerEm) * size;
}

function descent(font: LoadedFont, size: number): number {
  return (-font.font.descender / font.font.unitsPerEm) * size;
}

function lineX(width: number, lineWidth: number, align: 'left' | 'center'): number {
  return align === 'center' ? (width - lineWidth) / 2 : 0;
}

function layout(
  font: LoadedFont,
  text: string,
  lines: string[],
  size: number,
  width: number,
  opts: FitOptions,
  truncated: boolean,
): FittedText {
  const align = opts.align ?? 'left';
  const lineHeightPx = size * opts.lineHeight;
  const widths = lines.map((l) => measure(font, l, size));
  const ink = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
  lines.forEach((l, i) => {
    const box = font.font
      .getPath(l, lineX(width, widths[i]!, align), ascent(font, size) + i * lineHeightPx, size, {
        kerning: true,
      })
      .getBoundingBox();
    if (box.x1 === box.x2) return; // blank
    ink.x1 = Math.min(ink.x1, box.x1);
    ink.y1 = Math.min(ink.y1, box.y1);
    ink.x2 = Math.max(ink.x2, box.x2);
    ink.y2 = Math.max(ink.y2, box.y2);
  });
  const height = lines.length
    ? (lines.length - 1) * lineHeightPx + ascent(font, size) + descent(font, size)
    : 0;
  return { text, size, lines, widths, lineHeightPx, height, truncated, align, ink };
}

function inside(t: FittedText, width: number, height: number): boolean {
  if (!Number.isFinite(t.ink.x1)) return t.height <= height;
  return (
    t.ink.x1 >= 0 &&
    t.ink.x2 <= width &&
    t.ink.y1 >= 0 &&
    t.ink.y2 <= height &&
    t.height <= height &&
    t.widths.every((w) => w <= width)
  );
}

/**
 * The largest size (maxSize down to minSize, 1 px steps) at which the text wraps into at most maxLines
 * lines inside width × height, the ink of every glyph included, preferring sizes that break no word. When even minSize does not fit, the text
 * is set at minSize and cut at a word with "…" (truncated: true): it never overflows the box.
 */
export function fitText(
  font: LoadedFont,
  text: string,
  box: { width: number; height: number },
  opts: FitOptions,
): FittedText {
  const clean = text.normalize('NFC').replace(/\s+/gu, ' ').trim();
  // Whole words first; a word is broken only when no size keeps every word whole.
  for (const breakWords of [false, true]) {
    for (let size = Math.floor(opts.maxSize); size >= Math.ceil(opts.minSize); size--) {
      const lines = breakWords
        ? wrapText(font, clean, size, box.width)
        : wrapText(font, clean, size, box.width, false);
      if (!lines || lines.length > opts.maxLines) continue;
      // Cheap height check before the outlines are built.
      if ((lines.length - 1) * size * opts.lineHeight + ascent(font, size) + descent(font, size) > box.height)
        continue;
      const fitted = layout(font, clean, lines, size, box.width, opts, false);
      if (inside(fitted, box.width, box.height)) return fitted;
    }
  }
  // Cut: as many lines as the box holds at minSize, the last one ending in an ellipsis.
  const size = Math.ceil(opts.minSize);
  const all = wrapText(font, clean, size, box.width);
  const lineHeightPx = size * opts.lineHeight;
  const byHeight = Math.floor(
    (box.height - ascent(font, size) - descent(font, size)) / lineHeightPx + 1 + 1e-9,
  );
  let keep = Math.max(1, Math.min(opts.maxLines, byHeight, all.length));
  for (; keep >= 1; keep--) {
    const lines = all.slice(0, keep);
    let last = lines[keep - 1]!;
    if (keep < all.length) {
      const words = last.split(' ');
      while (words.length > 1 && measure(font, words.join(' ') + ELLIPSIS, size) > box.width) words.pop();
      last = words.join(' ').replace(/[\s,.;:–—-]+$/u, '') + ELLIPSIS;
      while (measure(font, last, size) > box.width && last.length > 1)
        last = [...last].slice(0, -2).join('') + ELLIPSIS;
    }
    lines[keep - 1] = last;
    const fitted = layout(font, clean, lines, size, box.width, opts, true);
    if (inside(fitted, box.width, box.height)) return fitted;
  }
  return layout(font, clean, [], size, box.width, opts, true);
}

/** SVG path data of the block's outlines with its top-left at (x, y), coordinates to 2 decimals. */
export function textPathData(
  font: LoadedFont,
  fitted: FittedText,
  x: number,
  y: number,
  width: number,
): string {
  return fitted.lines
    .map((line, i) =>
      font.font
        .getPath(
          line,
          x + lineX(width, fitted.widths[i]!, fitted.align),
          y + ascent(font, fitted.size) + i * fitted.lineHeightPx,
          fitted.size,
          { kerning: true },
        )
        .toPathData(2),
    )
    .join('');
}

/** One line at a fixed size (chart labels): its path data and width, anchored start, middle or end at x. */
export function linePath(
  font: LoadedFont,
  text: string,
  size: number,
  x: number,
  baseline: number,
  anchor: 'start' | 'middle' | 'end' = 'start',
): { d: string; width: number } {
  const width = measure(font, text, size);
  const left = anchor === 'start' ? x : anchor === 'middle' ? x - width / 2 : x - width;
  return { d: font.font.getPath(text, left, baseline, size, { kerning: true }).toPathData(2), width };
}
