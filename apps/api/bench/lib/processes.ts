// Platform processes (API, worker) started by the benchmarks as a user starts them, from the repository root.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * Starts `entry` (e.g. apps/api/src/main.ts) through tsx with `env` over this process's environment and
 * resolves once its output contains `readyText`; rejects with the end of its output if it exits first.
 */
export function startPlatformProcess(
  entry: string,
  env: Record<string, string>,
  readyText: string,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(repoRoot, entry)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (b: Buffer) => {
      out = (out + b.toString()).slice(-20_000);
      if (out.includes(readyText)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (c) => reject(new Error(`${entry} exited ${c}: ${out.slice(-1500)}`)));
  });
}

/** SIGTERM, then wait for the exit (a profiled process writes its profile on the way out). */
export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 15_000);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill('SIGTERM');
  });
}
