import sharp, { type Metadata, type Sharp } from 'sharp';
import { getUpscaler, type UpscaleOptions, type Upscaler } from './engines/upscale.js';
import { decodeRgb, normalisedPipeline, toVisionError } from './intake.js';
import { chooseCropWindow, parseAspect, type AspectRatio, type FocusBox } from './smart-crop.js';
import type { Box, ModelIdentity } from './types.js';

export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'avif';

export interface Derivative {
  buffer: Buffer;
  format: OutputFormat;
  width: number;
  height: number;
  /** MIME type to store with the file. */
  contentType: string;
}

const CONTENT_TYPES: Record<OutputFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
};

const DEFAULT_QUALITY: Record<OutputFormat, number> = { jpeg: 85, png: 100, webp: 80, avif: 55 };

function encode(pipeline: Sharp, format: OutputFormat, quality?: number): Sharp {
  const q = quality ?? DEFAULT_QUALITY[format];
  switch (format) {
    case 'jpeg':
      // JPEG has no alpha: flatten onto white rather than black.
      return pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: q, mozjpeg: true });
    case 'png':
      return pipeline.png({ compressionLevel: 9 });
    case 'webp':
      return pipeline.webp({ quality: q });
    case 'avif':
      return pipeline.avif({ quality: q, effort: 2 });
  }
}

async function finish(pipeline: Sharp, format: OutputFormat, quality?: number): Promise<Derivative> {
  try {
    const { data, info } = await encode(pipeline, format, quality).toBuffer({ resolveWithObject: true });
    return {
      buffer: data,
      format,
      width: info.width,
      height: info.height,
      contentType: CONTENT_TYPES[format],
    };
  } catch (error) {
    throw toVisionError(error);
  }
}

export interface ThumbnailOptions {
  /** Long side in pixels (default 256). */
  size?: number;
  format?: OutputFormat;
  quality?: number;
}

/** A thumbnail that fits in size x size, WebP by default, never enlarged. */
export function makeThumbnail(input: Uint8Array, options: ThumbnailOptions = {}): Promise<Derivative> {
  const size = options.size ?? 256;
  const pipeline = normalisedPipeline(input).resize(size, size, { fit: 'inside', withoutEnlargement: true });
  return finish(pipeline, options.format ?? 'webp', options.quality);
}

export interface SquareCropOptions {
  /** Output side in pixels (default 128). */
  size?: number;
  /** Margin around the region, as a share of its long side on each side (default 0.15). */
  pad?: number;
  format?: OutputFormat;
  quality?: number;
}

/**
 * A square cut around a region of the upright image (a face for a people grid), padded, kept inside the
 * picture, at `size` pixels: a few kilobytes to show instead of the original.
 */
export async function cropSquare(
  input: Uint8Array,
  region: Box,
  options: SquareCropOptions = {},
): Promise<Derivative> {
  const size = options.size ?? 128;
  const pad = options.pad ?? 0.15;
  let meta: Metadata;
  try {
    meta = await sharp(input).metadata();
  } catch (error) {
    throw toVisionError(error);
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = (rotated ? meta.height : meta.width) ?? 0;
  const height = (rotated ? meta.width : meta.height) ?? 0;
  const side = Math.max(
    1,
    Math.floor(Math.min(Math.max(region.width, region.height) * (1 + 2 * pad), width, height)),
  );
  const clamp = (v: number, max: number) => Math.min(Math.max(0, Math.round(v)), Math.max(0, max));
  const left = clamp(region.x + region.width / 2 - side / 2, width - side);
  const top = clamp(region.y + region.height / 2 - side / 2, height - side);
  const pipeline = normalisedPipeline(input)
    .extract({ left, top, width: side, height: side })
    .resize(size, size, { fit: 'cover' });
  return finish(pipeline, options.format ?? 'webp', options.quality);
}

export interface ConvertOptions {
  format: OutputFormat;
  quality?: number;
  /** Downscale so that the long side is at most this. */
  maxSide?: number;
}

/** Re-encodes the normalised image (upright, sRGB, first frame) in another format. */
export function convertImage(input: Uint8Array, options: ConvertOptions): Promise<Derivative> {
  let pipeline = normalisedPipeline(input);
  if (options.maxSide)
    pipeline = pipeline.resize(options.maxSide, options.maxSide, { fit: 'inside', withoutEnlargement: true });
  return finish(pipeline, options.format, options.quality);
}

export interface SmartCropOptions {
  aspect: AspectRatio;
  /** Output width; default: the crop's own width. */
  width?: number;
  /** Regions to keep in frame (faces, main objects) in upright-image pixels. Without any, sharp's attention strategy decides. */
  focus?: FocusBox[];
  format?: OutputFormat;
  quality?: number;
}

export interface SmartCrop extends Derivative {
  /** The crop window in upright-original pixels. */
  crop: Box;
  strategy: 'focus' | 'attention';
  /** Share of the weighted focus area kept in frame (focus strategy only). */
  coverage?: number;
}

/** A crop to 1:1, 4:5, 16:9 (or any ratio) that keeps the given faces and objects in frame. */
export async function smartCrop(input: Uint8Array, options: SmartCropOptions): Promise<SmartCrop> {
  const aspect = parseAspect(options.aspect);
  const format = options.format ?? 'jpeg';
  let meta: Metadata;
  try {
    meta = await sharp(input).metadata();
  } catch (error) {
    throw toVisionError(error);
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;

  const choice = chooseCropWindow({ width, height }, aspect, options.focus ?? []);
  if (choice) {
    let pipeline = normalisedPipeline(input).extract({
      left: choice.crop.x,
      top: choice.crop.y,
      width: choice.crop.width,
      height: choice.crop.height,
    });
    if (options.width)
      pipeline = pipeline.resize(options.width, Math.round(options.width / aspect), { fit: 'fill' });
    const out = await finish(pipeline, format, options.quality);
    return { ...out, crop: choice.crop, strategy: 'focus', coverage: choice.coverage };
  }

  // No focus regions: let libvips find the most salient region.
  const outWidth = options.width ?? Math.min(width, Math.round(height * aspect));
  const outHeight = Math.round(outWidth / aspect);
  const pipeline = normalisedPipeline(input).resize(outWidth, outHeight, {
    fit: 'cover',
    position: sharp.strategy.attention,
  });
  try {
    const { data, info } = await encode(pipeline, format, options.quality).toBuffer({
      resolveWithObject: true,
    });
    // Map the crop offset (reported in resized pixels) back to the original.
    const k = Math.max(outWidth / width, outHeight / height);
    const crop = {
      x: Math.round(Math.abs(info.cropOffsetLeft ?? 0) / k),
      y: Math.round(Math.abs(info.cropOffsetTop ?? 0) / k),
      width: Math.round(outWidth / k),
      height: Math.round(outHeight / k),
    };
    return {
      buffer: data,
      format,
      width: info.width,
      height: info.height,
      contentType: CONTENT_TYPES[format],
      crop,
      strategy: 'attention',
    };
  } catch (error) {
    throw toVisionError(error);
  }
}

export interface EnhanceOptions {
  /** Median filter to remove speckle/JPEG noise: light = 3px window, strong = 5px. */
  denoise?: 'none' | 'light' | 'strong';
  /** Unsharp mask; true = sigma 1, or give sigma. */
  sharpen?: boolean | number;
  /** Stretch contrast to the full range. */
  normalise?: boolean;
  format?: OutputFormat;
  quality?: number;
}

/** Cheap clean-up with sharp: denoise, sharpen, contrast stretch. */
export function enhanceImage(input: Uint8Array, options: EnhanceOptions = {}): Promise<Derivative> {
  let pipeline = normalisedPipeline(input);
  if (options.denoise === 'light') pipeline = pipeline.median(3);
  if (options.denoise === 'strong') pipeline = pipeline.median(5);
  if (options.normalise) pipeline = pipeline.normalise();
  if (options.sharpen) pipeline = pipeline.sharpen({ sigma: options.sharpen === true ? 1 : options.sharpen });
  return finish(pipeline, options.format ?? 'jpeg', options.quality);
}

export interface SuperResolveOptions extends UpscaleOptions {
  format?: OutputFormat;
  quality?: number;
  upscaler?: Upscaler;
}

export interface SuperResolved extends Derivative {
  model: ModelIdentity;
  ms: number;
}

/** 2x super-resolution with ESRGAN (tiled); alpha is flattened onto white. */
export async function superResolve(
  input: Uint8Array,
  options: SuperResolveOptions = {},
): Promise<SuperResolved> {
  const upscaler = options.upscaler ?? getUpscaler();
  const started = performance.now();
  const image = await decodeRgb(input);
  const upscaled = await upscaler.upscale(image, options);
  const pipeline = sharp(upscaled.data, {
    raw: { width: upscaled.width, height: upscaled.height, channels: 3 },
  });
  const out = await finish(pipeline, options.format ?? 'png', options.quality);
  return { ...out, model: upscaler.identity, ms: Math.round(performance.now() - started) };
}
