import { createRequire } from 'node:module';

/*
 * The part of opentype.js this package uses, typed here: @types/opentype.js pulls the DOM library into
 * every program that compiles this package, which changes Node's Buffer and Blob types for them.
 */

export interface OtBoundingBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface OtPath {
  getBoundingBox(): OtBoundingBox;
  toPathData(decimalPlaces?: number): string;
}

export interface OtRenderOptions {
  kerning?: boolean;
}

export interface OtFont {
  unitsPerEm: number;
  ascender: number;
  descender: number;
  names: { version?: { en?: string } };
  charToGlyphIndex(char: string): number;
  getAdvanceWidth(text: string, fontSize: number, options?: OtRenderOptions): number;
  getPath(text: string, x: number, y: number, fontSize: number, options?: OtRenderOptions): OtPath;
}

const require = createRequire(import.meta.url);
const opentype = require('opentype.js') as { loadSync(file: string): OtFont };

/** Parses a TrueType or OpenType file. */
export function loadFontFile(file: string): OtFont {
  return opentype.loadSync(file);
}
