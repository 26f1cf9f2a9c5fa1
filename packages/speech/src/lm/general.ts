import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { POCKETSPHINX_MODEL_DIR } from '../recognition/pocketsphinx/recognizer.js';
import { runProcess } from '../util/process.js';
import { writeArpa, readArpa } from './arpa.js';
import { isTrieBinary, readTrieBinary } from './binary.js';
import type { NgramModel } from './model.js';

export const GENERAL_LM_BINARY = path.join(POCKETSPHINX_MODEL_DIR, 'en-us.lm.bin');

/** Where derived model files are cached: SPEECH_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache, /media-ai/speech. */
export function defaultCacheDir(): string {
  if (process.env.SPEECH_CACHE_DIR) return process.env.SPEECH_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'media-ai', 'speech');
}

export interface GeneralArpa {
  path: string;
  /** How it was made: Debian's converter, or this package's trie reader when the converter fails. */
  method: 'sphinx_lm_convert' | 'trie-reader';
  cached: boolean;
}

async function endsWithEndMarker(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buf = Buffer.alloc(Math.min(64, size));
    await handle.read(buf, 0, buf.length, size - buf.length);
    return buf.toString('latin1').trimEnd().endsWith('\\end\\');
  } finally {
    await handle.close();
  }
}

/**
 * The general English model as ARPA, converted once and cached (keyed by the source's size and mtime).
 * sphinx_lm_convert is tried first; Debian's build aborts on en-us.lm.bin (its header counts disagree with the
 * trie, cmusphinx/pocketsphinx#502), in which case the model is read with readTrieBinary and written here.
 */
export async function ensureGeneralArpa(
  options: { source?: string; cacheDir?: string } = {},
): Promise<GeneralArpa> {
  const source = options.source ?? GENERAL_LM_BINARY;
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const info = await stat(source);
  const name = `${path.basename(source).replace(/\.[^.]*(\.bin)?$/, '')}-${info.size}-${Math.floor(info.mtimeMs)}`;
  const target = path.join(cacheDir, `${name}.arpa`);
  const marker = `${target}.method`;
  try {
    await stat(target);
    const method = await readFile(marker, 'utf8').catch(() => 'trie-reader');
    return { path: target, method: method as GeneralArpa['method'], cached: true };
  } catch {
    // Not cached yet.
  }
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  let method: GeneralArpa['method'] = 'sphinx_lm_convert';
  const converted = await runProcess('sphinx_lm_convert', ['-i', source, '-o', tmp, '-ofmt', 'arpa'], {
    timeoutMs: 600_000,
  }).catch(() => null);
  const ok = converted !== null && converted.code === 0 && (await endsWithEndMarker(tmp).catch(() => false));
  if (!ok) {
    method = 'trie-reader';
    await rm(tmp, { force: true });
    const head = Buffer.alloc(32);
    const handle = await open(source, 'r');
    await handle.read(head, 0, 32, 0);
    await handle.close();
    const model = isTrieBinary(head) ? await readTrieBinary(source) : await readArpa(source);
    await writeArpa(model, tmp, [`general model from ${source}, read by @media-ai/speech (trie reader)`]);
  }
  await rename(tmp, target);
  await writeFile(marker, method);
  return { path: target, method, cached: false };
}

const loaded = new Map<string, Promise<NgramModel>>();

/** Loads an ARPA or sphinx trie-binary model once per process. */
export function loadNgramModel(file: string): Promise<NgramModel> {
  let p = loaded.get(file);
  if (!p) {
    p = (async () => {
      const handle = await open(file, 'r');
      const head = Buffer.alloc(32);
      await handle.read(head, 0, 32, 0);
      await handle.close();
      return isTrieBinary(head) ? readTrieBinary(file) : readArpa(file);
    })();
    p.catch(() => loaded.delete(file));
    loaded.set(file, p);
  }
  return p;
}

/** Frees models held by loadNgramModel. */
export function clearNgramModelCache(): void {
  loaded.clear();
}
