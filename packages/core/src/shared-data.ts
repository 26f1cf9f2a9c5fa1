import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The shared real-data folder (../shared/data beside the repository, or SHARED_DATA_DIR), or null
 * when it is absent; callers skip with a printed reason in that case.
 */
export function sharedDataDir(sub = ''): string | null {
  const base = process.env.SHARED_DATA_DIR ?? path.resolve(repoRoot, '..', 'shared', 'data');
  const dir = path.join(base, sub);
  return fs.existsSync(dir) ? dir : null;
}
