import { existsSync } from 'node:fs';
import { loadFontFile, type OtFont } from './opentype.js';
import { GraphicsError } from './errors.js';

/*
 * The brand fonts: Debian's fonts-dejavu-core and fonts-liberation (scripts/debian-packages.txt), read
 * by path so rendering never depends on what fontconfig finds. Text is measured and drawn from the
 * same glyph outlines (opentype.js), so what is measured is exactly what is drawn.
 */

export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';

const FONT_DIR = '/usr/share/fonts/truetype';

/** Files of each family; a style the family lacks falls back to the nearest one it has. */
export const FONT_FAMILIES: Readonly<Record<string, Partial<Record<FontStyle, string>>>> = {
  'DejaVu Sans': { regular: 'dejavu/DejaVuSans.ttf', bold: 'dejavu/DejaVuSans-Bold.ttf' },
  'DejaVu Serif': { regular: 'dejavu/DejaVuSerif.ttf', bold: 'dejavu/DejaVuSerif-Bold.ttf' },
  'Liberation Sans': {
    regular: 'liberation/LiberationSans-Regular.ttf',
    bold: 'liberation/LiberationSans-Bold.ttf',
    italic: 'liberation/LiberationSans-Italic.ttf',
    boldItalic: 'liberation/LiberationSans-BoldItalic.ttf',
  },
  'Liberation Serif': {
    regular: 'liberation/LiberationSerif-Regular.ttf',
    bold: 'liberation/LiberationSerif-Bold.ttf',
    italic: 'liberation/LiberationSerif-Italic.ttf',
    boldItalic: 'liberation/LiberationSerif-BoldItalic.ttf',
  },
  'Liberation Sans Narrow': {
    regular: 'liberation/LiberationSansNarrow-Regular.ttf',
    bold: 'liberation/LiberationSansNarrow-Bold.ttf',
    italic: 'liberation/LiberationSansNarrow-Italic.ttf',
    boldItalic: 'liberation/LiberationSansNarrow-BoldItalic.ttf',
  },
};

export const FONT_FAMILY_NAMES = Object.keys(FONT_FAMILIES);

const FALLBACK: Record<FontStyle, FontStyle[]> = {
  regular: ['regular'],
  bold: ['bold', 'regular'],
  italic: ['italic', 'regular'],
  boldItalic: ['boldItalic', 'bold', 'italic', 'regular'],
};

export interface LoadedFont {
  family: string;
  style: FontStyle;
  file: string;
  /** The font's own version string ("Version 2.37"), stored with every graphic. */
  version: string;
  font: OtFont;
}

const cache = new Map<string, LoadedFont>();

/** The family's font of that style (loaded once per process). Throws FONT_MISSING naming the Debian package. */
export function loadFont(family: string, style: FontStyle = 'regular'): LoadedFont {
  const files = FONT_FAMILIES[family];
  if (!files) {
    throw new GraphicsError(
      'BAD_INPUT',
      `Unknown font family "${family}"; choose one of ${FONT_FAMILY_NAMES.join(', ')}`,
    );
  }
  const chosen = FALLBACK[style].find((s) => files[s]);
  const file = `${FONT_DIR}/${files[chosen!]!}`;
  const hit = cache.get(file);
  if (hit) return hit;
  if (!existsSync(file)) {
    throw new GraphicsError(
      'FONT_MISSING',
      `Font file ${file} is missing: install the Debian package ${file.includes('dejavu') ? 'fonts-dejavu-core' : 'fonts-liberation'} (scripts/install.sh does)`,
    );
  }
  const font = loadFontFile(file);
  const loaded: LoadedFont = {
    family,
    style: chosen!,
    file,
    version: font.names.version?.en ?? 'unknown',
    font,
  };
  cache.set(file, loaded);
  return loaded;
}

/** Scripts drawn left to right without shaping: what the cards and charts support. */
const SUPPORTED_SCRIPT = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}]/u;

/**
 * Characters of `text` (NFC) that cannot be drawn, each once: those of other scripts (Arabic and Hebrew
 * need right-to-left layout, Indic scripts shaping), combining marks left after composition (they would
 * need mark positioning) and those the font has no glyph for.
 */
export function missingGlyphs(font: OtFont, text: string): string[] {
  const missing = new Set<string>();
  for (const ch of text.normalize('NFC')) {
    if (/\s/u.test(ch)) continue;
    if (!SUPPORTED_SCRIPT.test(ch) || font.charToGlyphIndex(ch) === 0) missing.add(ch);
  }
  return [...missing];
}

/** Refuses text the font cannot draw, naming the characters and the scripts that are supported. */
export function assertDrawable(loaded: LoadedFont, text: string, field: string): void {
  const missing = missingGlyphs(loaded.font, text);
  if (missing.length) {
    throw new GraphicsError(
      'UNSUPPORTED_SCRIPT',
      `${field}: the font ${loaded.family} has no glyph for ${missing
        .slice(0, 8)
        .map((c) => `"${c}" (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`)
        .join(', ')}; social cards support Latin, Greek and Cyrillic text written left to right`,
      { field, characters: missing },
    );
  }
}
