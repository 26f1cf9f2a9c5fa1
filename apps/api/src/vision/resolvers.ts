import { AssetVisionResolver, MediaAssetVisionResolver } from './analysis.resolver.js';
import { ModerationResolver } from './moderation.resolver.js';
import { PeopleResolver } from './people.resolver.js';

/** GraphQL resolver classes of the vision area. */
export const visionResolvers: Function[] = [
  AssetVisionResolver,
  MediaAssetVisionResolver,
  PeopleResolver,
  ModerationResolver,
];
