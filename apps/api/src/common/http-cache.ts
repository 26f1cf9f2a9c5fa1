import type { Request, Response } from 'express';

/**
 * Sets an answer's ETag and Cache-Control; when the client already holds that version (If-None-Match),
 * answers 304 and returns true, so the caller sends nothing more.
 */
export function answeredNotModified(
  req: Request,
  res: Response,
  etag: string,
  cacheControl: string,
): boolean {
  res.setHeader('etag', etag);
  res.setHeader('cache-control', cacheControl);
  if (req.headers['if-none-match'] !== etag) return false;
  res.status(304).end();
  return true;
}
