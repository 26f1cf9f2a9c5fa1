import { ApiError, authHeader, errorFromBody } from './client.js';

/**
 * Files behind the API key (originals, derivatives, captions, audio): fetched with the
 * Authorization header and shown through object URLs, since <img src> cannot send headers.
 */

const cache = new Map<string, Promise<string>>();

async function fetchBlob(path: string): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(path, { headers: authHeader() });
  } catch {
    throw new ApiError('The server could not be reached', 'NETWORK');
  }
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw errorFromBody(body, res.status);
  }
  return res.blob();
}

export function objectUrl(path: string): Promise<string> {
  let hit = cache.get(path);
  if (!hit) {
    hit = fetchBlob(path).then((b) => URL.createObjectURL(b));
    hit.catch(() => cache.delete(path));
    cache.set(path, hit);
  }
  return hit;
}

/** Forgets a cached file (after it was made again). */
export function forget(path: string): void {
  const hit = cache.get(path);
  cache.delete(path);
  void hit?.then((u) => URL.revokeObjectURL(u)).catch(() => undefined);
}

export async function download(path: string, filename: string): Promise<void> {
  const blob = await fetchBlob(path);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
