// The bare-stack anchors (../shared/anchors): copied to a temporary folder, installed with `npm ci`,
// and run in the same benchmark run as the platform so that results are compared as ratios.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sharedDataDir } from '@media-ai/core';

const run = promisify(execFile);

export interface AnchorRow {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
}

/** The anchors folder beside the shared data, or null (with the reason) when it is absent. */
export function anchorsSource(): { dir: string } | { reason: string } {
  const data = sharedDataDir();
  const dir = data ? path.resolve(data, '..', 'anchors') : null;
  if (!dir || !fs.existsSync(path.join(dir, 'apollo-bare.mjs')))
    return { reason: 'the shared anchors folder (../shared/anchors) is absent: bare-stack rows skipped' };
  return { dir };
}

/** A private, installed copy of the anchors (the shared folder may be read-only). */
export async function installAnchors(source: string): Promise<string> {
  const dir = path.join(os.tmpdir(), 'media-ai-anchors');
  const stamp = path.join(dir, '.installed');
  if (!fs.existsSync(stamp)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(source, dir, {
      recursive: true,
      filter: (p) => !p.includes('node_modules') && !p.includes('results'),
    });
    await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
    fs.writeFileSync(stamp, new Date().toISOString());
  }
  return dir;
}

/** Runs the bare Apollo + pg anchor and returns its rows (`hello`, `items(first: 20)`). */
export async function runApolloAnchor(dir: string, env: Record<string, string> = {}): Promise<AnchorRow[]> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['apollo-bare.mjs'], {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (b: Buffer) => (text += b.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`apollo-bare exited ${code}`)),
    );
  });
  const rows: AnchorRow[] = [];
  for (const line of out.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | query | req/s | p50 ms | p99 ms | ...
    if (cells.length < 5 || !/^\d/.test(cells[2] ?? '')) continue;
    rows.push({
      name: cells[1]!,
      reqPerSec: Number(cells[2]!.replace(/,/g, '')),
      p50: Number(cells[3]!.replace(/,/g, '')),
      p99: Number(cells[4]!.replace(/,/g, '')),
    });
  }
  if (!rows.length) throw new Error(`could not read the anchor's table:\n${out}`);
  return rows;
}

/** autocannon from the installed anchors (the same load generator the anchors use). */
export async function loadAutocannon(dir: string): Promise<AutocannonFn> {
  const mod = (await import(path.join(dir, 'node_modules', 'autocannon', 'autocannon.js'))) as {
    default: AutocannonFn;
  };
  return mod.default;
}

export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  non2xx: number;
}

export type AutocannonFn = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
