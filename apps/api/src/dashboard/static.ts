import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Services } from '../common/services.js';

/** Where `pnpm --filter @media-ai/dashboard build` writes the dashboard. */
export const DASHBOARD_DIST = fileURLToPath(new URL('../../../dashboard/dist', import.meta.url));

// The dashboard talks only to this origin: the API, its WebSocket, and files as blob: URLs.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the built dashboard (apps/dashboard/dist) under /dashboard: hashed assets cached for a
 * year (gzip copies sent when the browser accepts them), any other path answered with index.html so
 * the app's own router shows the page. Mounted with the other area routes (routes.ts).
 */
export function dashboardRoutes(_services: Services, dist = DASHBOARD_DIST): Router {
  const root = path.resolve(dist);
  const router = Router();

  router.use('/dashboard', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.originalUrl === '/dashboard' || req.originalUrl.startsWith('/dashboard?')) {
      res.redirect(301, `/dashboard/${req.originalUrl.slice('/dashboard'.length)}`);
      return;
    }
    if (!fs.existsSync(path.join(root, 'index.html'))) {
      res.status(503).json({
        errors: [
          {
            message: 'The dashboard is not built: run `pnpm --filter @media-ai/dashboard build`',
            extensions: { code: 'UNAVAILABLE' },
          },
        ],
      });
      return;
    }
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const file = path.resolve(root, `.${decodeURIComponent(req.path)}`);
    if (file !== root && !file.startsWith(root + path.sep)) return next();
    const ext = path.extname(file);
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const send = (target: string, cache: string) => {
      res.setHeader('Cache-Control', cache);
      res.setHeader('Vary', 'Accept-Encoding');
      if (gzip && fs.existsSync(`${target}.gz`)) {
        res.type(path.extname(target));
        res.setHeader('Content-Encoding', 'gzip');
        res.sendFile(`${target}.gz`, (err) => err && next(err));
      } else res.sendFile(target, (err) => err && next(err));
    };
    if (ext && fs.existsSync(file) && fs.statSync(file).isFile()) {
      send(
        file,
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      return;
    }
    if (ext) return next(); // a missing asset is a 404, not the app
    res.setHeader('Content-Security-Policy', CSP);
    send(path.join(root, 'index.html'), 'no-cache');
  });
  return router;
}
