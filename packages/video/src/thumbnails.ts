/** Where each thumbnail of a sprite sheet sits and which seconds it stands for. */
export interface SpriteLayout {
  /** Seconds between thumbnails. */
  intervalSec: number;
  count: number;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
}

export const MAX_THUMBNAILS = 200;
export const TILE_WIDTH = 160;

/**
 * A thumbnail every 2 s for short videos, spaced out so that at most MAX_THUMBNAILS cover a long one;
 * tiles 160 px wide at the video's aspect, 10 to a row.
 */
export function spriteLayout(durationSec: number, width: number, height: number): SpriteLayout {
  const intervalSec = Math.max(2, Math.ceil(durationSec / MAX_THUMBNAILS));
  const count = Math.max(1, Math.ceil(durationSec / intervalSec));
  const columns = Math.min(10, count);
  const tileHeight = Math.max(2, Math.round((TILE_WIDTH * height) / width / 2) * 2);
  return { intervalSec, count, columns, rows: Math.ceil(count / columns), tileWidth: TILE_WIDTH, tileHeight };
}

/** The ffmpeg filter that draws the sheet from a video stream (one frame at the start of each interval). */
export function spriteFilter(l: SpriteLayout): string {
  return (
    `fps=1/${l.intervalSec}:round=down,` +
    `scale=${l.tileWidth}:${l.tileHeight}:force_original_aspect_ratio=decrease:flags=area,` +
    `pad=${l.tileWidth}:${l.tileHeight}:(ow-iw)/2:(oh-ih)/2,` +
    `tile=${l.columns}x${l.rows}`
  );
}

/** "HH:MM:SS.mmm" as WebVTT writes times. */
export function vttTime(sec: number): string {
  const ms = Math.round(Math.max(0, sec) * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/**
 * The WebVTT thumbnails track players read for scrubbing previews: one cue per interval pointing at
 * its tile of the sprite (`spriteUrl#xywh=x,y,w,h`).
 */
export function thumbnailsVtt(l: SpriteLayout, durationSec: number, spriteUrl: string): string {
  const lines = ['WEBVTT', ''];
  for (let i = 0; i < l.count; i++) {
    const start = i * l.intervalSec;
    const end = Math.min(durationSec, (i + 1) * l.intervalSec);
    if (end <= start) break;
    const x = (i % l.columns) * l.tileWidth;
    const y = Math.floor(i / l.columns) * l.tileHeight;
    lines.push(
      `${vttTime(start)} --> ${vttTime(end)}`,
      `${spriteUrl}#xywh=${x},${y},${l.tileWidth},${l.tileHeight}`,
      '',
    );
  }
  return lines.join('\n');
}
