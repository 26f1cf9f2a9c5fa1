import { handle, type HandlerEntry } from '@media-ai/jobs';

/*
 * Handlers of the graphics area's jobs (declared in packages/jobs/src/definitions/graphics.ts), all
 * sandboxed on the `graphics` queue: renders are short and CPU-bound, image generation waits on a server.
 */
export const graphicsHandlers: HandlerEntry[] = [
  handle('graphics.card', async (payload, ctx) => (await import('./card.js')).runGraphicsCard(payload, ctx)),
  handle('graphics.chart', async (payload, ctx) =>
    (await import('./chart.js')).runGraphicsChart(payload, ctx),
  ),
  handle('graphics.image', async (payload, ctx) =>
    (await import('./image.js')).runGraphicsImage(payload, ctx),
  ),
];
