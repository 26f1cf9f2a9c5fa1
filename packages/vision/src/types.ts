/** Pixel rectangle in the coordinates of the upright (EXIF-oriented) image. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Which model produced a result; stored with every result so that results of different models are never mixed. */
export interface ModelIdentity {
  name: string;
  version: string;
}

/** Decoded upright 8-bit sRGB pixels, 3 channels, row-major. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export type Descriptor = ArrayLike<number>;
