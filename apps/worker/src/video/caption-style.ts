import { DEFAULT_CAPTION_STYLE, type CaptionStyle } from '@media-ai/video';

const HEX = /^#[0-9a-f]{6}$/i;

/**
 * The newsroom's caption look from `Newsroom.settings.captionStyle` ({ font, sizeFraction, color,
 * background, bottomFraction, bold }), each field checked and falling back to the default.
 */
export function captionStyleOf(settings: unknown): CaptionStyle {
  const s = ((settings as { captionStyle?: Record<string, unknown> } | null)?.captionStyle ?? {}) as Record<
    string,
    unknown
  >;
  const d = DEFAULT_CAPTION_STYLE;
  const frac = (v: unknown, lo: number, hi: number, def: number) =>
    typeof v === 'number' && v >= lo && v <= hi ? v : def;
  return {
    font: typeof s.font === 'string' && /^[\w .-]{1,64}$/.test(s.font) ? s.font : d.font,
    sizeFraction: frac(s.sizeFraction, 0.02, 0.12, d.sizeFraction),
    color: typeof s.color === 'string' && HEX.test(s.color) ? s.color : d.color,
    background:
      s.background === null
        ? null
        : typeof s.background === 'string' && HEX.test(s.background)
          ? s.background
          : d.background,
    bottomFraction: frac(s.bottomFraction, 0, 0.5, d.bottomFraction),
    bold: typeof s.bold === 'boolean' ? s.bold : d.bold,
  };
}
