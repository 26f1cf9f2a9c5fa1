import type { SceneProperties } from './alt-text.js';
import type { DecodedImage } from './intake.js';

/**
 * Shape, mean brightness and dominant colour of a decoded picture (every 4th pixel of every 4th row;
 * the dominant colour is the centre of the fullest bin of a 4×4×4 colour histogram).
 */
export function sceneProperties(image: DecodedImage): SceneProperties {
  const bins = new Uint32Array(64);
  const sums = new Float64Array(64 * 3);
  let luma = 0;
  let n = 0;
  const { data, width, height } = image;
  for (let y = 0; y < height; y += 4) {
    for (let x = 0; x < width; x += 4) {
      const i = (y * width + x) * 3;
      const r = data[i]!;
      const g = data[i + 1]!;
      const b = data[i + 2]!;
      luma += 0.2126 * r + 0.7152 * g + 0.0722 * b;
      const bin = ((r >> 6) << 4) | ((g >> 6) << 2) | (b >> 6);
      bins[bin]!++;
      sums[bin * 3] += r;
      sums[bin * 3 + 1] += g;
      sums[bin * 3 + 2] += b;
      n++;
    }
  }
  let top = 0;
  for (let k = 1; k < 64; k++) if (bins[k]! > bins[top]!) top = k;
  const count = Math.max(1, bins[top]!);
  return {
    width: image.originalWidth,
    height: image.originalHeight,
    brightness: n > 0 ? luma / n / 255 : 0,
    dominant: {
      r: Math.round(sums[top * 3]! / count),
      g: Math.round(sums[top * 3 + 1]! / count),
      b: Math.round(sums[top * 3 + 2]! / count),
    },
  };
}
