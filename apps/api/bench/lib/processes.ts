// Platform processes (API, worker) started by the benchmarks as a user starts them, from the repository root.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface StartOptions {
  /** Node options before the entry (e.g. from BENCH_NODE_ARGS). */
  nodeArgs?: string[];
  /**
   * Writes V8 CPU profiles into `dir`/`name`/ (one folder per process: the tsx loader thread writes
   * a profile of its own beside the main thread's). `name` defaults to the app's folder (api, worker).
   */
  cpuProfile?: { dir: string; name?: string };
  /** Copies the process's output to this process's stderr while it runs. */
  echo?: boolean;
  /** The platform's data folder (MEDIAAI_DATA_DIR): models, local storage. */
  dataDir?: string;
}

/** The app an entry belongs to: 'api' for apps/api/src/main.ts. */
function appName(entry: string): string {
  return path.basename(path.dirname(path.dirname(entry)));
}

/**
 * Starts `entry` (e.g. apps/api/src/main.ts) through tsx with `env` over this process's environment and
 * resolves once its output contains `readyText`; rejects with the end of its output if it exits first.
 */
export function startPlatformProcess(
  entry: string,
  env: Record<string, string>,
  readyText: string,
  options: StartOptions = {},
): Promise<ChildProcess> {
  const args = [...(options.nodeArgs ?? [])];
  if (options.cpuProfile) {
    const dir = path.join(options.cpuProfile.dir, options.cpuProfile.name ?? appName(entry));
    args.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const child = spawn(process.execPath, [...args, '--import', 'tsx', path.join(repoRoot, entry)], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...(options.dataDir ? { MEDIAAI_DATA_DIR: options.dataDir } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (b: Buffer) => {
      out = (out + b.toString()).slice(-20_000);
      if (options.echo) process.stderr.write(b);
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
