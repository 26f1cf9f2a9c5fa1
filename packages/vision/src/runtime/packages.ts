import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** CommonJS require: the model packages and tfjs must share one tfjs engine, which their CJS builds do. */
export const requireCjs = createRequire(import.meta.url);

const dirs = new Map<string, string>();

/** Root folder of an installed package (works for packages whose exports map hides package.json). */
export function packageDir(name: string): string {
  const cached = dirs.get(name);
  if (cached) return cached;
  let dir = path.dirname(requireCjs.resolve(name));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string };
      if (parsed.name === name) break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the folder of package ${name}`);
    dir = parent;
  }
  dirs.set(name, dir);
  return dir;
}

export function packageVersion(name: string): string {
  const parsed = JSON.parse(fs.readFileSync(path.join(packageDir(name), 'package.json'), 'utf8')) as {
    version?: string;
  };
  return parsed.version ?? 'unknown';
}
