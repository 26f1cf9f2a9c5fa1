import type { Box } from './types.js';

export type AspectRatio = '1:1' | '4:5' | '16:9' | `${number}:${number}` | number;

/** A region to keep in frame and how much it matters. */
export interface FocusBox {
  box: Box;
  weight: number;
}

export interface CropChoice {
  crop: Box;
  /** Weighted box area inside the crop divided by the weighted box area (1 = everything kept). */
  coverage: number;
}

export function parseAspect(aspect: AspectRatio): number {
  if (typeof aspect === 'number') {
    if (!(aspect > 0) || !Number.isFinite(aspect)) throw new RangeError(`Invalid aspect ratio ${aspect}`);
    return aspect;
  }
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(aspect);
  if (!match) throw new RangeError(`Invalid aspect ratio ${aspect}`);
  const ratio = Number(match[1]) / Number(match[2]);
  if (!(ratio > 0) || !Number.isFinite(ratio)) throw new RangeError(`Invalid aspect ratio ${aspect}`);
  return ratio;
}

/** The largest window of the given aspect that fits the image. */
export function cropSize(width: number, height: number, aspect: number): { width: number; height: number } {
  if (width / height > aspect) return { width: Math.max(1, Math.round(height * aspect)), height };
  return { width, height: Math.max(1, Math.round(width / aspect)) };
}

function overlap1d(start: number, length: number, boxStart: number, boxLength: number): number {
  return Math.max(0, Math.min(start + length, boxStart + boxLength) - Math.max(start, boxStart));
}

/** Weighted box area covered by a window at `offset` along the free axis. */
function coveredArea(offset: number, size: number, boxes: FocusBox[], horizontal: boolean): number {
  let sum = 0;
  for (const { box, weight } of boxes) {
    const along = horizontal
      ? overlap1d(offset, size, box.x, box.width)
      : overlap1d(offset, size, box.y, box.height);
    const across = horizontal ? box.height : box.width;
    sum += weight * along * across;
  }
  return sum;
}

function clampBox(box: Box, width: number, height: number): Box {
  const x = Math.min(Math.max(0, box.x), width);
  const y = Math.min(Math.max(0, box.y), height);
  return {
    x,
    y,
    width: Math.max(0, Math.min(width, box.x + box.width) - x),
    height: Math.max(0, Math.min(height, box.y + box.height) - y),
  };
}

/**
 * Chooses the crop window of the given aspect (as large as the image allows)
 * that keeps the most importance-weighted box area in frame. Coverage is
 * piecewise linear in the window's offset, so its maximum is at an offset
 * where a window edge meets a box edge; among equal maxima the window closest
 * to centring the boxes' weighted centre wins. Returns null without boxes.
 */
export function chooseCropWindow(
  image: { width: number; height: number },
  aspect: number,
  focus: FocusBox[],
): CropChoice | null {
  const boxes = focus
    .map((f) => ({ box: clampBox(f.box, image.width, image.height), weight: f.weight }))
    .filter((f) => f.weight > 0 && f.box.width > 0 && f.box.height > 0);
  if (boxes.length === 0) return null;
  const size = cropSize(image.width, image.height, aspect);
  const total = boxes.reduce((s, f) => s + f.weight * f.box.width * f.box.height, 0);
  const horizontal = size.width < image.width;
  const span = horizontal ? size.width : size.height;
  const maxOffset = horizontal ? image.width - size.width : image.height - size.height;
  if (maxOffset <= 0) {
    return { crop: { x: 0, y: 0, ...size }, coverage: 1 };
  }

  let weightSum = 0;
  let centre = 0;
  for (const { box, weight } of boxes) {
    const w = weight * box.width * box.height;
    weightSum += w;
    centre += w * (horizontal ? box.x + box.width / 2 : box.y + box.height / 2);
  }
  const clamp = (o: number) => Math.min(maxOffset, Math.max(0, Math.round(o)));
  const preferred = clamp(centre / weightSum - span / 2);

  const candidates = new Set<number>([0, maxOffset, preferred]);
  for (const { box } of boxes) {
    const start = horizontal ? box.x : box.y;
    const length = horizontal ? box.width : box.height;
    candidates.add(clamp(start));
    candidates.add(clamp(start + length - span));
  }

  let bestOffset = preferred;
  let bestArea = -1;
  for (const offset of candidates) {
    const area = coveredArea(offset, span, boxes, horizontal);
    const better = area > bestArea + 1e-6;
    const tie =
      Math.abs(area - bestArea) <= 1e-6 && Math.abs(offset - preferred) < Math.abs(bestOffset - preferred);
    if (better || tie) {
      bestArea = area;
      bestOffset = offset;
    }
  }
  const crop = horizontal ? { x: bestOffset, y: 0, ...size } : { x: 0, y: bestOffset, ...size };
  return { crop, coverage: Math.round((bestArea / total) * 10000) / 10000 };
}

/** Face boxes from the detector are tight on the face: grow them to the head so crops do not cut the hair or chin. */
export function headBox(face: Box): Box {
  const padX = face.width * 0.25;
  const padTop = face.height * 0.45;
  const padBottom = face.height * 0.15;
  return {
    x: face.x - padX,
    y: face.y - padTop,
    width: face.width + 2 * padX,
    height: face.height + padTop + padBottom,
  };
}

/** Default importance: faces (as heads) count 4x their area, people 1x, other objects by detector score. */
export function focusFromDetections(detections: {
  faces?: Array<{ box: Box }>;
  objects?: Array<{ label: string; score: number; box: Box }>;
}): FocusBox[] {
  return [
    ...(detections.faces ?? []).map((f) => ({ box: headBox(f.box), weight: 4 })),
    ...(detections.objects ?? []).map((o) => ({ box: o.box, weight: o.label === 'person' ? 1 : o.score })),
  ];
}
