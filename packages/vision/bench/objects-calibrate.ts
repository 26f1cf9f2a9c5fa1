/**
 * Chooses the 'accurate' object-tag settings (global and per-class thresholds over the test-time
 * augmentation views) on the calibration half of ../shared/data/vision/imagenet-coco: every other photo,
 * sorted by file name, starting with the first. The other half is only reported (pnpm bench:vision).
 *
 *   pnpm --filter @media-ai/vision calibrate:objects
 *
 * Prints the calibration to paste into ACCURATE_CALIBRATION. OBJECT_VIEWS_CACHE=file keeps the views'
 * detections, so the fit can be re-run without the model.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeRgb } from '../src/index.js';
import { createHumanObjectModel, type RawDetection } from '../src/engines/human-objects.js';
import {
  ACCURATE_CALIBRATION,
  fuseViews,
  runViews,
  type ObjectEnsembleCalibration,
} from '../src/engines/object-ensemble.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.SHARED_DATA_DIR ?? path.resolve(here, '../../../../shared/data');
const dir = path.join(dataDir, 'vision/imagenet-coco');

/** The engine alone at the floor the baseline used; the fit may not add more wrong tags than it. */
const BASELINE_FLOOR = 0.2;
/** A class gets its own threshold only with this many calibration photos. */
const MIN_CLASS_PHOTOS = 3;
/** Weight of a wrong tag against a found one when a class threshold is chosen. */
const WRONG_TAG_COST = 0.5;
const GRID = [0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5];

export interface Photo {
  file: string;
  expected: string;
  views: RawDetection[][];
}

/** Every other photo by file name: index 0, 2, 4… calibrate, 1, 3, 5… are held out. */
export function splitHalves(labels: Array<[string, string]>): {
  calibration: Array<[string, string]>;
  heldOut: Array<[string, string]>;
} {
  const sorted = [...labels].sort((a, b) => a[0].localeCompare(b[0]));
  return {
    calibration: sorted.filter((_, i) => i % 2 === 0),
    heldOut: sorted.filter((_, i) => i % 2 === 1),
  };
}

export function readLabels(): Array<[string, string]> {
  return fs
    .readFileSync(path.join(dir, 'labels.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split('\t') as [string, string]);
}

export function tally(
  photos: readonly Photo[],
  tagsOf: (p: Photo) => Array<{ label: string }>,
): { recall: number; top1: number; wrongPerPhoto: number; untagged: number } {
  let found = 0;
  let top1 = 0;
  let wrong = 0;
  let untagged = 0;
  for (const p of photos) {
    const tags = tagsOf(p);
    if (tags.some((t) => t.label === p.expected)) found++;
    if (tags[0]?.label === p.expected) top1++;
    if (tags.length === 0) untagged++;
    wrong += new Set(tags.filter((t) => t.label !== p.expected).map((t) => t.label)).size;
  }
  const n = photos.length;
  return { recall: found / n, top1: top1 / n, wrongPerPhoto: wrong / n, untagged };
}

/** The engine alone: the whole-image view, sorted by score, at a floor. */
export function engineTags(p: Photo, floor: number): RawDetection[] {
  return p.views[0]!.filter((d) => d.score >= floor).sort((a, b) => b.score - a.score);
}

export function fit(photos: readonly Photo[]): ObjectEnsembleCalibration {
  const base = tally(photos, (p) => engineTags(p, BASELINE_FLOOR));
  const counts = new Map<string, number>();
  for (const p of photos) counts.set(p.expected, (counts.get(p.expected) ?? 0) + 1);
  const classes = [...counts].filter(([, n]) => n >= MIN_CLASS_PHOTOS).map(([c]) => c);
  let best: { value: number; calibration: ObjectEnsembleCalibration } | null = null;
  for (const minScore of [0.12, 0.15, 0.18, 0.2, 0.22, 0.25, 0.3]) {
    // Per class: the threshold that finds the most of its photos for the fewest wrong tags elsewhere.
    const classMinScore: Record<string, number> = {};
    for (const c of classes) {
      let chosen = { value: -Infinity, t: minScore };
      for (const t of GRID) {
        let value = 0;
        for (const p of photos) {
          const kept = fuseViews(p.views, {
            ...ACCURATE_CALIBRATION,
            minScore,
            classMinScore: { [c]: t },
          }).some((tag) => tag.label === c);
          if (kept) value += p.expected === c ? 1 : -WRONG_TAG_COST;
        }
        if (value > chosen.value + 1e-9) chosen = { value, t };
      }
      classMinScore[c] = chosen.t;
    }
    const calibration = { ...ACCURATE_CALIBRATION, minScore, classMinScore };
    const s = tally(photos, (p) => fuseViews(p.views, calibration));
    console.log(
      `minScore ${minScore}: recall ${pct(s.recall)}, top-1 ${pct(s.top1)}, wrong tags/photo ${s.wrongPerPhoto.toFixed(2)} ${JSON.stringify(classMinScore)}`,
    );
    if (s.wrongPerPhoto > base.wrongPerPhoto) continue;
    const value = s.recall + s.top1;
    if (!best || value > best.value + 1e-9) best = { value, calibration };
  }
  console.log(
    `engine alone at ${BASELINE_FLOOR}: recall ${pct(base.recall)}, top-1 ${pct(base.top1)}, wrong tags/photo ${base.wrongPerPhoto.toFixed(2)}`,
  );
  return best?.calibration ?? ACCURATE_CALIBRATION;
}

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Runs the views of the calibration on photos (or reads them from the cache file). */
export async function viewDetections(files: Array<[string, string]>, cache?: string): Promise<Photo[]> {
  const stored: Record<string, RawDetection[][]> =
    cache && fs.existsSync(cache)
      ? (JSON.parse(fs.readFileSync(cache, 'utf8')) as Record<string, RawDetection[][]>)
      : {};
  const model = createHumanObjectModel('centernet');
  const photos: Photo[] = [];
  for (const [file, expected] of files) {
    let views = stored[file];
    if (!views) {
      const image = await decodeRgb(fs.readFileSync(path.join(dir, file)), { maxSide: 1600 });
      views = await runViews(model, image, ACCURATE_CALIBRATION.views);
      stored[file] = views;
      if (cache) fs.writeFileSync(cache, JSON.stringify(stored));
    }
    photos.push({ file, expected, views });
  }
  return photos;
}

async function main(): Promise<void> {
  if (!fs.existsSync(dir)) {
    console.log(`skipped: no data at ${dir}`);
    return;
  }
  const { calibration } = splitHalves(readLabels());
  const photos = await viewDetections(calibration, process.env.OBJECT_VIEWS_CACHE);
  const chosen = fit(photos);
  console.log(
    `\nchosen on ${photos.length} calibration photos: minScore ${chosen.minScore}, classMinScore ${JSON.stringify(chosen.classMinScore)}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
