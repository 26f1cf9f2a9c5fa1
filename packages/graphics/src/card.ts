import sharp, { type OutputInfo, type OverlayOptions, type Sharp } from 'sharp';
import { smartCrop, type FocusBox } from '@media-ai/vision';
import type { BrandTemplate } from './brand.js';
import { GraphicsError } from './errors.js';
import { assertDrawable, loadFont, type LoadedFont } from './fonts.js';
import { fitText, textPathData, type FittedText } from './text.js';

/** Platform sizes of a social card. Names are stored with every card: do not rename. */
export const CARD_FORMATS = {
  og: { width: 1200, height: 630, use: 'link previews: Open Graph, X, Facebook, LinkedIn' },
  square: { width: 1080, height: 1080, use: 'Instagram and Facebook feed' },
  portrait: { width: 1080, height: 1350, use: 'Instagram feed, 4:5' },
  story: { width: 1080, height: 1920, use: 'Stories, Reels, TikTok, Shorts' },
} as const;
export type CardFormat = keyof typeof CARD_FORMATS;
export const CARD_FORMAT_NAMES = Object.keys(CARD_FORMATS) as CardFormat[];

export const CARD_LIMITS = { headline: 300, quote: 400, byline: 120 } as const;

export interface CardInput {
  format: CardFormat;
  headline: string;
  quote?: string | null;
  byline?: string | null;
  /** The article's photo (any format sharp reads); without it the brand background fills the card. */
  photo?: Uint8Array | null;
  /** Faces and objects to keep in frame (upright photo pixels), from the photo's stored analysis. */
  focus?: FocusBox[];
  /** The newsroom's logo (PNG, SVG, JPEG or WebP). */
  logo?: Uint8Array | null;
  brand: BrandTemplate;
}

export interface TextBlockInfo {
  size: number;
  lines: string[];
  truncated: boolean;
  box: { x: number; y: number; width: number; height: number };
}

export interface RenderedCard {
  format: CardFormat;
  width: number;
  height: number;
  png: Buffer;
  /** The overlay (shade, text as outlines, accent) as SVG, for inspection and tests. */
  overlaySvg: string;
  headline: TextBlockInfo;
  quote: TextBlockInfo | null;
  byline: TextBlockInfo | null;
  /** Where the photo was cropped, in upright photo pixels. */
  crop: { x: number; y: number; width: number; height: number; strategy: string; coverage?: number } | null;
  fonts: Array<{ family: string; style: string; version: string }>;
  renderMs: number;
}

/** Per-format layout, as fractions of the card's short side (s) and height (h). */
const LAYOUT: Record<
  CardFormat,
  { textShare: number; headlineMax: number; headlineMin: number; headlineLines: number }
> = {
  og: { textShare: 0.66, headlineMax: 0.105, headlineMin: 0.05, headlineLines: 4 },
  square: { textShare: 0.56, headlineMax: 0.095, headlineMin: 0.042, headlineLines: 5 },
  portrait: { textShare: 0.5, headlineMax: 0.095, headlineMin: 0.042, headlineLines: 6 },
  story: { textShare: 0.42, headlineMax: 0.1, headlineMin: 0.045, headlineLines: 7 },
};

function checkText(
  value: string | null | undefined,
  field: keyof typeof CARD_LIMITS,
  font: LoadedFont,
): string | null {
  if (value === undefined || value === null) return null;
  const text = value.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (!text) {
    if (field === 'headline')
      throw new GraphicsError('BAD_INPUT', 'headline: write the headline to put on the card', { field });
    return null;
  }
  if ([...text].length > CARD_LIMITS[field]) {
    throw new GraphicsError(
      'BAD_INPUT',
      `${field}: ${[...text].length} characters; a card holds at most ${CARD_LIMITS[field]} (shorten it)`,
      { field },
    );
  }
  assertDrawable(font, text, field);
  return text;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function info(t: FittedText, x: number, y: number, width: number, height: number): TextBlockInfo {
  return { size: t.size, lines: t.lines, truncated: t.truncated, box: { x, y, width, height } };
}

/**
 * Lays out and draws a social card: the photo cropped to the format keeping the given faces and objects
 * in frame (the vision package's smart crop), a shade, the headline fitted to its box with the font's
 * metrics (largest size that fits, never overflowing), an optional quote and byline, the logo. Text is
 * drawn as glyph outlines, so the output depends only on the font files and sharp, not on fontconfig.
 */
export async function renderCard(input: CardInput): Promise<RenderedCard> {
  const t0 = performance.now();
  const spec = CARD_FORMATS[input.format];
  if (!spec) {
    throw new GraphicsError(
      'BAD_INPUT',
      `format: "${String(input.format)}" is not a card format; choose ${CARD_FORMAT_NAMES.join(', ')}`,
      { field: 'format' },
    );
  }
  const { width: W, height: H } = spec;
  const brand = input.brand;
  const L = LAYOUT[input.format];
  const headFont = loadFont(brand.headlineFont, 'bold');
  const quoteFont = loadFont(brand.textFont, 'italic');
  const bylineFont = loadFont(brand.textFont, 'bold');

  let headline = checkText(input.headline, 'headline', headFont)!;
  if (brand.uppercaseHeadline) headline = headline.toLocaleUpperCase();
  const quote = checkText(input.quote, 'quote', quoteFont);
  const byline = checkText(input.byline, 'byline', bylineFont);

  const s = Math.min(W, H);
  const pad = Math.round(0.06 * s);
  const gap = Math.round(0.022 * s);
  const innerW = W - 2 * pad;
  const areaH = Math.round(L.textShare * H);
  const areaTop = H - pad - areaH;
  let bottom = H - pad;

  // Bottom up: byline, quote, then the headline takes what is left of the text area.
  let bylineFit: FittedText | null = null;
  let bylineY = 0;
  if (byline) {
    const size = Math.round(0.034 * s);
    bylineFit = fitText(
      bylineFont,
      byline,
      { width: innerW, height: size * 1.4 },
      {
        maxSize: size,
        minSize: Math.round(0.024 * s),
        maxLines: 1,
        lineHeight: 1.2,
      },
    );
    bylineY = bottom - bylineFit.height;
    bottom = bylineY - gap;
  }
  let quoteFit: FittedText | null = null;
  let quoteY = 0;
  if (quote) {
    const quoted = `“${quote}”`;
    quoteFit = fitText(
      quoteFont,
      quoted,
      { width: innerW, height: Math.round(areaH * 0.3) },
      {
        maxSize: Math.round(0.046 * s),
        minSize: Math.round(0.028 * s),
        maxLines: 3,
        lineHeight: 1.25,
      },
    );
    quoteY = bottom - quoteFit.height;
    bottom = quoteY - gap;
  }
  const accentH = Math.max(4, Math.round(0.012 * s));
  const headTop = areaTop + accentH + gap;
  const headBox = { width: innerW, height: Math.max(0, bottom - headTop) };
  const headFit = fitText(headFont, headline, headBox, {
    maxSize: Math.round(L.headlineMax * s),
    minSize: Math.round(L.headlineMin * s),
    maxLines: L.headlineLines,
    lineHeight: 1.15,
  });
  // The headline sits on the quote (or byline); the accent bar just above it.
  const headY = bottom - headFit.height;
  const accentY = headY - gap - accentH;
  const shadeTop = Math.max(0, accentY - Math.round(0.12 * H));

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<title>${esc(headline)}</title>`,
    `<defs><linearGradient id="shade" x1="0" y1="0" x2="0" y2="1">`,
    `<stop offset="0" stop-color="${brand.backgroundColor}" stop-opacity="0"/>`,
    `<stop offset="0.45" stop-color="${brand.backgroundColor}" stop-opacity="${(brand.shadeOpacity * 0.8).toFixed(3)}"/>`,
    `<stop offset="1" stop-color="${brand.backgroundColor}" stop-opacity="${brand.shadeOpacity.toFixed(3)}"/>`,
    `</linearGradient></defs>`,
  ];
  if (input.photo)
    parts.push(`<rect x="0" y="${shadeTop}" width="${W}" height="${H - shadeTop}" fill="url(#shade)"/>`);
  parts.push(
    `<rect x="${pad}" y="${accentY}" width="${Math.round(0.14 * W)}" height="${accentH}" fill="${brand.accentColor}"/>`,
  );
  parts.push(`<path d="${textPathData(headFont, headFit, pad, headY, innerW)}" fill="${brand.textColor}"/>`);
  if (quoteFit)
    parts.push(
      `<path d="${textPathData(quoteFont, quoteFit, pad, quoteY, innerW)}" fill="${brand.textColor}" fill-opacity="0.92"/>`,
    );
  if (bylineFit)
    parts.push(
      `<path d="${textPathData(bylineFont, bylineFit, pad, bylineY, innerW)}" fill="${brand.accentColor}"/>`,
    );
  parts.push('</svg>');
  const overlaySvg = parts.join('');

  let base: Sharp;
  let crop: RenderedCard['crop'] = null;
  if (input.photo) {
    try {
      const cropped = await smartCrop(input.photo, {
        aspect: `${W}:${H}`,
        width: W,
        focus: input.focus ?? [],
        format: 'png',
      });
      crop = {
        ...cropped.crop,
        strategy: cropped.strategy,
        ...(cropped.coverage !== undefined ? { coverage: cropped.coverage } : {}),
      };
      base = sharp(cropped.buffer).resize(W, H, { fit: 'fill' });
    } catch (error) {
      throw new GraphicsError(
        'BAD_IMAGE',
        `photo: it could not be read as an image (${(error as Error).message}); use a JPEG, PNG or WebP photo`,
        { field: 'photo' },
        { cause: error },
      );
    }
  } else {
    base = sharp({ create: { width: W, height: H, channels: 3, background: brand.backgroundColor } });
  }

  const layers: OverlayOptions[] = [{ input: Buffer.from(overlaySvg), top: 0, left: 0 }];
  if (input.logo) {
    const logoH = Math.round(0.075 * s);
    let logo: { data: Buffer; info: OutputInfo };
    try {
      logo = await sharp(input.logo, { density: 300 })
        .resize({ height: logoH, width: Math.round(0.3 * W), fit: 'inside' })
        .png()
        .toBuffer({ resolveWithObject: true });
    } catch (error) {
      throw new GraphicsError(
        'BAD_IMAGE',
        `logo: it could not be read as an image (${(error as Error).message}); upload a PNG or SVG logo`,
        { field: 'logo' },
        { cause: error },
      );
    }
    const left = brand.logoPosition === 'top-right' ? W - pad - logo.info.width : pad;
    layers.push({ input: logo.data, top: pad, left });
  }
  const png = await base.composite(layers).removeAlpha().png({ compressionLevel: 6 }).toBuffer();
  const fonts = [headFont, ...(quoteFit ? [quoteFont] : []), ...(bylineFit ? [bylineFont] : [])].map((f) => ({
    family: f.family,
    style: f.style,
    version: f.version,
  }));
  return {
    format: input.format,
    width: W,
    height: H,
    png,
    overlaySvg,
    headline: info(headFit, pad, headTop, innerW, headBox.height),
    quote: quoteFit ? info(quoteFit, pad, quoteY, innerW, quoteFit.height) : null,
    byline: bylineFit ? info(bylineFit, pad, bylineY, innerW, bylineFit.height) : null,
    crop,
    fonts,
    renderMs: Math.round(performance.now() - t0),
  };
}
