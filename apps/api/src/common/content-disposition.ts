import { create } from 'content-disposition';

/**
 * An RFC 6266 Content-Disposition value for a download: an ASCII `filename` fallback and, for any other
 * name, the exact name as RFC 5987 `filename*=UTF-8''...` (e.g. "новости-日本.jpg").
 */
export function contentDisposition(filename: string, type: 'inline' | 'attachment' = 'inline'): string {
  // Path separators and control characters never belong in a suggested name.
  const clean = filename.replace(/[\\/\u0000-\u001f\u007f]/g, '_').trim() || 'download';
  const fallback = clean
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/"/g, "'");
  return create(clean, { type, fallback });
}
