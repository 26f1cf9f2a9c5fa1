import { readArtifactHeader } from '../core/artifact.js';
import type { CatalogItem } from '../catalog.js';
import { AlsRecommender, type AlsParams } from './als.js';
import { BlendRecommender, type BlendParams } from './blend.js';
import { BprRecommender, type BprParams } from './bpr.js';
import { EaseRecommender, type EaseParams } from './ease.js';
import { ItemKnnRecommender, type ItemKnnParams } from './item-knn.js';
import {
  PopularityRecommender,
  TrendingRecommender,
  type PopularityParams,
  type TrendingParams,
} from './popularity.js';
import { TwoTowerRecommender, type TwoTowerParams } from './two-tower.js';
import type { Algorithm, Recommender } from './types.js';

/** Any model artifact back to a ready-to-serve model (no tfjs needed, two-tower included). */
export function deserializeModel(buf: Buffer): Recommender {
  const { algorithm } = readArtifactHeader(buf);
  switch (algorithm as Algorithm) {
    case 'popularity':
      return PopularityRecommender.deserialize(buf);
    case 'trending':
      return TrendingRecommender.deserialize(buf);
    case 'item-knn':
      return ItemKnnRecommender.deserialize(buf);
    case 'bpr':
      return BprRecommender.deserialize(buf);
    case 'als':
      return AlsRecommender.deserialize(buf);
    case 'ease':
      return EaseRecommender.deserialize(buf);
    case 'two-tower':
      return TwoTowerRecommender.deserialize(buf);
    case 'blend':
      return BlendRecommender.deserialize(buf, deserializeModel);
    default:
      throw new Error(`Unknown recommender algorithm "${algorithm}" in artifact`);
  }
}

export type ModelSpec =
  | { algorithm: 'popularity'; params?: PopularityParams }
  | { algorithm: 'trending'; params?: TrendingParams }
  | { algorithm: 'item-knn'; params?: ItemKnnParams }
  | { algorithm: 'bpr'; params?: BprParams }
  | { algorithm: 'als'; params?: AlsParams }
  | { algorithm: 'ease'; params?: EaseParams }
  | { algorithm: 'two-tower'; params?: TwoTowerParams }
  | { algorithm: 'blend'; params?: BlendParams; components: Record<string, ModelSpec> };

/** An unfitted model from a job payload ({algorithm, params}); `catalog` feeds the two-tower features. */
export function createModel(spec: ModelSpec, catalog: Iterable<CatalogItem> = []): Recommender {
  switch (spec.algorithm) {
    case 'popularity':
      return new PopularityRecommender(spec.params);
    case 'trending':
      return new TrendingRecommender(spec.params);
    case 'item-knn':
      return new ItemKnnRecommender(spec.params);
    case 'bpr':
      return new BprRecommender(spec.params);
    case 'als':
      return new AlsRecommender(spec.params);
    case 'ease':
      return new EaseRecommender(spec.params);
    case 'two-tower':
      return new TwoTowerRecommender(spec.params, catalog);
    case 'blend': {
      const items = [...catalog];
      const components = Object.fromEntries(
        Object.entries(spec.components).map(([name, c]) => [name, createModel(c, items)]),
      );
      return new BlendRecommender(components, spec.params);
    }
  }
}

export const ALGORITHMS: readonly Algorithm[] = [
  'popularity',
  'trending',
  'item-knn',
  'bpr',
  'als',
  'ease',
  'two-tower',
  'blend',
];
