import sharp, { type Metadata, type Sharp } from 'sharp';
import { VisionError } from './errors.js';
import type { RgbImage } from './types.js';

/** Formats we accept from uploads. SVG and PDF are refused: they are documents that render, not photos. */
export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif'] as const;
export type SupportedFormat = (typeof SUPPORTED_FORMATS)[number];

/** 100 megapixels: above any camera a newsroom uses, far below what a decompression bomb claims. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export interface IntakeOptions {
  /** Refuse images whose header claims more pixels than this (decompression bombs). */
  maxPixels?: number;
  /** Decode the whole image once to catch truncated or corrupt data (default true). */
  verify?: boolean;
}

/** What needs fixing before models or encoders see the pixels. */
export type NormalisationStep =
  'exif-orientation' | 'cmyk-to-srgb' | 'to-srgb' | '16-bit-to-8-bit' | 'first-frame' | 'flatten-alpha';

export interface ImageInfo {
  format: SupportedFormat;
  /** Upright size, after applying the EXIF orientation. */
  width: number;
  height: number;
  /** Size as stored in the file (differs from width/height for orientations 5-8). */
  storedWidth: number;
  storedHeight: number;
  channels: number;
  /** libvips colour space name: srgb, cmyk, b-w, rgb16, grey16 ... */
  space: string;
  /** libvips band format: uchar (8-bit), ushort (16-bit) ... */
  depth: string;
  bitsPerSample: number;
  hasAlpha: boolean;
  hasProfile: boolean;
  orientation: number;
  pages: number;
  animated: boolean;
  bytes: number;
  normalisation: NormalisationStep[];
}

const BIT_DEPTHS: Record<string, number> = {
  uchar: 8,
  char: 8,
  ushort: 16,
  short: 16,
  uint: 32,
  int: 32,
  float: 32,
  double: 64,
};
const GREY_SPACES = new Set(['b-w', 'grey16']);

/** Turns a libvips/sharp failure into a coded VisionError. */
export function toVisionError(error: unknown): VisionError {
  if (error instanceof VisionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/unsupported image format|empty|Input buffer is empty/i.test(message)) {
    return new VisionError('NOT_AN_IMAGE', 'The file is not an image we can read.', {}, error);
  }
  if (/exceeds pixel limit/i.test(message)) {
    return new VisionError('TOO_LARGE_DIMENSIONS', 'The image claims more pixels than allowed.', {}, error);
  }
  if (
    /premature end|truncat|read error|corrupt|damaged|invalid|bad|not enough data|out of data/i.test(message)
  ) {
    return new VisionError('TRUNCATED', `The image data is truncated or corrupt (${message}).`, {}, error);
  }
  return new VisionError('UNSUPPORTED', `The image cannot be processed (${message}).`, {}, error);
}

function isSupported(format: string): format is SupportedFormat {
  return (SUPPORTED_FORMATS as readonly string[]).includes(format);
}

/**
 * Reads the header, refuses what we will not process (not an image, SVG/PDF,
 * decompression bombs) and, unless `verify` is false, decodes once to catch
 * truncated files. Says which normalisation steps the image needs.
 */
export async function inspectImage(input: Uint8Array, options: IntakeOptions = {}): Promise<ImageInfo> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (input.byteLength === 0) throw new VisionError('NOT_AN_IMAGE', 'The file is empty.');

  let meta: Metadata;
  try {
    // The header alone is safe to read whatever it claims; the pixel limit is checked below with a clear message.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    const coded = toVisionError(error);
    // A header libvips recognises but cannot parse is as useless as random bytes.
    throw coded.code === 'UNSUPPORTED' || coded.code === 'TRUNCATED'
      ? new VisionError('NOT_AN_IMAGE', 'The file is not an image we can read.', {}, error)
      : coded;
  }
  if (!isSupported(meta.format)) {
    throw new VisionError('UNSUPPORTED', `Images in ${meta.format} format are not accepted.`, {
      format: meta.format,
    });
  }
  if (meta.format === 'heif' && meta.compression === 'hevc') {
    throw new VisionError('UNSUPPORTED', 'HEIC (HEVC) images are not supported; AVIF is.', {
      format: 'heic',
    });
  }
  const pixels = meta.width * meta.height;
  if (!(pixels > 0)) throw new VisionError('NOT_AN_IMAGE', 'The image has no pixels.');
  if (pixels > maxPixels) {
    throw new VisionError(
      'TOO_LARGE_DIMENSIONS',
      `The image claims ${meta.width}x${meta.height} pixels, more than the ${maxPixels} allowed.`,
      { width: meta.width, height: meta.height, maxPixels },
    );
  }

  if (options.verify !== false) {
    try {
      // A reduced decode still reads every byte of the file, which is what exposes truncation.
      await sharp(input, { failOn: 'truncated', limitInputPixels: maxPixels })
        .resize(256, 256, { fit: 'inside', withoutEnlargement: true })
        .raw()
        .toBuffer();
    } catch (error) {
      throw toVisionError(error);
    }
  }

  const orientation = meta.orientation ?? 1;
  const pages = meta.pages ?? 1;
  const animated = pages > 1 && (meta.format === 'gif' || meta.format === 'webp' || meta.format === 'png');
  const bitsPerSample = BIT_DEPTHS[meta.depth] ?? meta.bitsPerSample ?? 8;
  const normalisation: NormalisationStep[] = [];
  if (orientation !== 1) normalisation.push('exif-orientation');
  if (meta.space === 'cmyk') normalisation.push('cmyk-to-srgb');
  else if (meta.space !== 'srgb' && !GREY_SPACES.has(meta.space) && meta.space !== 'rgb16')
    normalisation.push('to-srgb');
  if (bitsPerSample > 8) normalisation.push('16-bit-to-8-bit');
  if (pages > 1) normalisation.push('first-frame');
  if (meta.hasAlpha) normalisation.push('flatten-alpha');

  return {
    format: meta.format,
    width: meta.autoOrient?.width ?? meta.width,
    height: meta.autoOrient?.height ?? meta.height,
    storedWidth: meta.width,
    storedHeight: meta.height,
    channels: meta.channels,
    space: meta.space,
    depth: meta.depth,
    bitsPerSample,
    hasAlpha: meta.hasAlpha,
    hasProfile: meta.hasProfile,
    orientation,
    pages,
    animated,
    bytes: input.byteLength,
    normalisation,
  };
}

export interface PipelineOptions {
  maxPixels?: number;
  /** Replace transparency with this colour (default: keep alpha). */
  flatten?: string | false;
}

/**
 * A sharp pipeline over the normalised image: first frame only, upright,
 * 8-bit sRGB. Every derivative and every model input starts here.
 */
export function normalisedPipeline(input: Uint8Array, options: PipelineOptions = {}): Sharp {
  let pipeline = sharp(input, {
    limitInputPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
    failOn: 'truncated',
    pages: 1,
    page: 0,
    autoOrient: true,
  }).toColourspace('srgb');
  if (options.flatten) pipeline = pipeline.flatten({ background: options.flatten });
  return pipeline;
}

export interface NormaliseOptions extends IntakeOptions {
  format?: 'png' | 'jpeg' | 'webp';
  quality?: number;
  /** Downscale so the long side is at most this. */
  maxSide?: number;
}

export interface NormalisedImage {
  buffer: Buffer;
  format: 'png' | 'jpeg' | 'webp';
  width: number;
  height: number;
  info: ImageInfo;
}

/** Inspects, then re-encodes as an upright 8-bit sRGB single-frame image. */
export async function normaliseImage(
  input: Uint8Array,
  options: NormaliseOptions = {},
): Promise<NormalisedImage> {
  const info = await inspectImage(input, options);
  const format = options.format ?? (info.hasAlpha ? 'png' : 'jpeg');
  let pipeline = normalisedPipeline(input, {
    maxPixels: options.maxPixels,
    flatten: format === 'jpeg' ? '#ffffff' : false,
  });
  if (options.maxSide) {
    pipeline = pipeline.resize(options.maxSide, options.maxSide, { fit: 'inside', withoutEnlargement: true });
  }
  pipeline = pipeline.toFormat(format, format === 'png' ? {} : { quality: options.quality ?? 90 });
  try {
    const { data, info: out } = await pipeline.toBuffer({ resolveWithObject: true });
    return { buffer: data, format, width: out.width, height: out.height, info };
  } catch (error) {
    throw toVisionError(error);
  }
}

export interface DecodeOptions {
  maxPixels?: number;
  /** Downscale so the long side is at most this; boxes found on it are scaled back by `scale`. */
  maxSide?: number;
}

export interface DecodedImage extends RgbImage {
  /** Decoded size divided by the upright original size (1 when not downscaled). */
  scale: number;
  originalWidth: number;
  originalHeight: number;
}

/** Decodes to upright 8-bit RGB (alpha flattened onto white) for the models. */
export async function decodeRgb(input: Uint8Array, options: DecodeOptions = {}): Promise<DecodedImage> {
  try {
    const meta = await sharp(input, { limitInputPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS }).metadata();
    const originalWidth = meta.autoOrient?.width ?? meta.width;
    const originalHeight = meta.autoOrient?.height ?? meta.height;
    let pipeline = normalisedPipeline(input, { maxPixels: options.maxPixels, flatten: '#ffffff' });
    if (options.maxSide && Math.max(originalWidth, originalHeight) > options.maxSide) {
      pipeline = pipeline.resize(options.maxSide, options.maxSide, { fit: 'inside' });
    }
    const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3)
      throw new VisionError('UNSUPPORTED', `Expected 3 channels after normalisation, got ${info.channels}.`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      scale: info.width / originalWidth,
      originalWidth,
      originalHeight,
    };
  } catch (error) {
    throw toVisionError(error);
  }
}

/** Wraps raw RGB pixels as a PNG (for engines that take encoded images). */
export async function encodeRgbPng(image: RgbImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png()
    .toBuffer();
}
