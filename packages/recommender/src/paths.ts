import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is packages/recommender/src/paths.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Shared test/benchmark data: $SHARED_DATA_DIR, else ../shared/data beside the repository. */
export function sharedDataDir(): string {
  const fromEnv = process.env.SHARED_DATA_DIR;
  return fromEnv && fromEnv.length > 0 ? path.resolve(fromEnv) : path.resolve(repoRoot, '../shared/data');
}

/** A path under the shared data folder, and why it cannot be used when it is missing. */
export function sharedDataPath(...parts: string[]): { path: string; available: boolean; reason: string } {
  const p = path.join(sharedDataDir(), ...parts);
  const available = existsSync(p);
  return {
    path: p,
    available,
    reason: available ? '' : `${p} not found (set SHARED_DATA_DIR to the shared data folder)`,
  };
}
