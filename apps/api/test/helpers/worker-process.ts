import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '@media-ai/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Starts apps/worker as a real separate process, as production runs it. */
export function spawnWorker(
  config: Config,
  env: Record<string, string> = {},
): ChildProcess & { ready: Promise<void>; output: () => string } {
  // node itself (not the tsx CLI, which is a parent process) so that signals reach the worker.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/worker/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      MEDIAAI_QUEUE_PREFIX: config.MEDIAAI_QUEUE_PREFIX,
      MEDIAAI_JOB_LOCK_MS: String(config.MEDIAAI_JOB_LOCK_MS),
      MEDIAAI_RECONCILE_MS: String(config.MEDIAAI_RECONCILE_MS),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes('worker serving')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`worker exited early (${code}): ${out.slice(-1000)}`)));
  });
  return Object.assign(child, { ready, output: () => out });
}
