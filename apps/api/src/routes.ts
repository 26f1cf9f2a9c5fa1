import type { Router } from 'express';
import type { Services } from './common/services.js';
import { speechRoutes } from './speech/routes.js';
import { visionRoutes } from './vision/routes.js';
import { thumbnailRoutes } from './assets/thumbnails.js';
import { recommenderRoutes } from './recommender/routes.js';
import { dashboardRoutes } from './dashboard/static.js';
import { libreTranslateRoutes } from './compat/libretranslate.js';
import { openAiRoutes } from './compat/openai.js';

/** Plain HTTP routes of the areas (downloads), beside GraphQL. Each area exports `<area>Routes(services)`. */
export const areaRoutes: ((services: Services) => Router)[] = [
  visionRoutes,
  thumbnailRoutes,
  speechRoutes,
  recommenderRoutes,
  libreTranslateRoutes,
  openAiRoutes,
  dashboardRoutes,
];
