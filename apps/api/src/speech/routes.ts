import { Router } from 'express';
import type { Services } from '../common/services.js';

/** HTTP routes of the speech area (caption and audio downloads), mounted by app.ts. */
export function speechRoutes(_services: Services): Router {
  return Router();
}
