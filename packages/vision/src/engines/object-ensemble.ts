import type { DecodedImage } from '../intake.js';
import type { Box, ModelIdentity, RgbImage } from '../types.js';
import { createHumanObjectModel, type HumanObjectModel, type RawDetection } from './human-objects.js';
import { scaleBox, type ObjectDetector, type ObjectTag } from './objects.js';

/** fast: the model once on the whole image. accurate: test-time augmentation (about 7× the time). */
export type ObjectQuality = 'fast' | 'accurate';
export const OBJECT_QUALITIES: readonly ObjectQuality[] = ['fast', 'accurate'];

/** A view the detector is run on, as fractions of the image. */
export interface ViewSpec {
  name: string;
  /** Left, top, width, height as fractions of the image (default: all of it). */
  crop?: [number, number, number, number];
  flip?: boolean;
  /** Views of one group (the four tiles) count as one look at the picture: their best score is taken. */
  group?: string;
}

/**
 * Test-time augmentation and per-class thresholds. The defaults were chosen on one half of 137
 * ImageNet photos of COCO classes (every other file, sorted by name) and reported on the other half:
 * see bench/vision.bench.ts.
 */
export interface ObjectEnsembleCalibration {
  views: ViewSpec[];
  /** A tag is kept when its fused score reaches its class threshold, else this one. */
  minScore: number;
  classMinScore: Record<string, number>;
}

export const ACCURATE_VIEWS: ViewSpec[] = [
  { name: 'full' },
  { name: 'flip', flip: true },
  // Small objects: a closer look at the centre and at four overlapping corners.
  { name: 'centre', crop: [0.15, 0.15, 0.7, 0.7] },
  { name: 'tile-top-left', group: 'tiles', crop: [0, 0, 0.6, 0.6] },
  { name: 'tile-top-right', group: 'tiles', crop: [0.4, 0, 0.6, 0.6] },
  { name: 'tile-bottom-left', group: 'tiles', crop: [0, 0.4, 0.6, 0.6] },
  { name: 'tile-bottom-right', group: 'tiles', crop: [0.4, 0.4, 0.6, 0.6] },
];

export const ACCURATE_CALIBRATION: ObjectEnsembleCalibration = {
  views: ACCURATE_VIEWS,
  minScore: 0.22,
  classMinScore: { bird: 0.25, dog: 0.08 },
};

export interface FusedTag extends RawDetection {
  /** Fused score over its class threshold (tags are ordered by it). */
  strength: number;
}

/** Further objects of a kind already tagged are listed from the whole-image view at this score or more. */
const MORE_OF_A_KIND_MIN_SCORE = 0.3;

/**
 * Fuses the detections of every view (the first view must be the whole image). Per class, the score is the
 * mean over views of that view's best score for it (a view that missed it counts 0), so a class all
 * views agree on keeps its score and a one-view accident is damped. A class is kept at its threshold;
 * its tag takes the box of the whole image's best detection of it (else the best in any view), and
 * more objects of the kind follow from the whole-image view. Tags are ordered by score over threshold.
 */
export function fuseViews(
  perView: RawDetection[][],
  calibration: ObjectEnsembleCalibration,
  minScore?: number,
): FusedTag[] {
  // Views of a group are pooled into one look.
  const looks: RawDetection[][] = [];
  const lookOfGroup = new Map<string, number>();
  perView.forEach((detections, i) => {
    const group = calibration.views[i]?.group;
    const at = group ? lookOfGroup.get(group) : undefined;
    if (at !== undefined) looks[at]!.push(...detections);
    else {
      if (group) lookOfGroup.set(group, looks.length);
      looks.push([...detections]);
    }
  });
  const views = looks.length;
  const classes = new Map<string, { sum: number; best: RawDetection }>();
  looks.forEach((detections, view) => {
    const bestOfView = new Map<string, RawDetection>();
    for (const d of detections) {
      const b = bestOfView.get(d.label);
      if (!b || d.score > b.score) bestOfView.set(d.label, d);
    }
    for (const [label, d] of bestOfView) {
      const c = classes.get(label);
      // The whole image's box wins over a crop's: crops see parts of large objects.
      if (!c) classes.set(label, { sum: d.score, best: d });
      else {
        c.sum += d.score;
        if (view > 0 && c.best.score >= MORE_OF_A_KIND_MIN_SCORE) continue;
        if (d.score > c.best.score) c.best = d;
      }
    }
  });
  const tags: FusedTag[] = [];
  for (const [label, c] of classes) {
    const score = c.sum / views;
    const threshold = minScore ?? calibration.classMinScore[label] ?? calibration.minScore;
    if (score < threshold) continue;
    const strength = score / threshold;
    tags.push({ label, score, box: c.best.box, strength });
    const more = (perView[0] ?? [])
      .filter(
        (d) => d.label === label && d !== c.best && d.score >= Math.max(threshold, MORE_OF_A_KIND_MIN_SCORE),
      )
      .sort((a, b) => b.score - a.score);
    for (const d of more) tags.push({ label, score: d.score, box: d.box, strength: strength - 1e-6 });
  }
  return tags.sort((a, b) => b.strength - a.strength);
}

/** The pixel crop of a view on an image. */
export function viewCrop(view: ViewSpec, image: RgbImage): Box | undefined {
  if (!view.crop) return undefined;
  const [fx, fy, fw, fh] = view.crop;
  const x = Math.round(image.width * fx);
  const y = Math.round(image.height * fy);
  return {
    x,
    y,
    width: Math.max(1, Math.min(image.width - x, Math.round(image.width * fw))),
    height: Math.max(1, Math.min(image.height - y, Math.round(image.height * fh))),
  };
}

/** Runs a model on every view of the calibration. */
export async function runViews(
  model: HumanObjectModel,
  image: RgbImage,
  views: readonly ViewSpec[],
): Promise<RawDetection[][]> {
  const out: RawDetection[][] = [];
  for (const view of views)
    out.push(await model.run(image, { crop: viewCrop(view, image), flip: view.flip }));
  return out;
}

/** CenterNet with test-time augmentation and calibrated per-class thresholds (quality 'accurate'). */
export function createAccurateObjectDetector(
  calibration: ObjectEnsembleCalibration = ACCURATE_CALIBRATION,
  model: HumanObjectModel = createHumanObjectModel('centernet'),
): ObjectDetector {
  const identity: ModelIdentity = {
    name: `${model.identity.name}+tta${calibration.views.length}`,
    version: model.identity.version,
  };
  return {
    identity,
    load: () => model.load(),
    async detect(image: DecodedImage, options = {}) {
      const perView = await runViews(model, image, calibration.views);
      const inverse = 1 / image.scale;
      return fuseViews(perView, calibration, options.minScore)
        .slice(0, options.maxResults ?? 20)
        .map((t): ObjectTag => ({
          label: t.label,
          score: Math.round(t.score * 1000) / 1000,
          box: scaleBox(t.box, inverse, image),
        }));
    },
  };
}
