import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pcm } from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');

/** ../shared/data next to the repository, or SHARED_DATA_DIR. */
export const sharedDataDir = process.env.SHARED_DATA_DIR ?? path.resolve(repoRoot, '../shared/data');
export const speechDataDir = path.join(sharedDataDir, 'speech');
export const hasSpeechData = existsSync(path.join(speechDataDir, 'transcripts.tsv'));
export const hasFormats = existsSync(path.join(speechDataDir, 'formats'));

/** Says once, in the test output, why a data-dependent suite is skipped. */
export function reportSkip(condition: boolean, what: string): boolean {
  if (!condition) console.warn(`[skip] ${what}: ${speechDataDir} is absent (set SHARED_DATA_DIR)`);
  return !condition;
}

export function sine(freq: number, seconds: number, sampleRate = 16_000, amplitude = 0.3): Pcm {
  const n = Math.round(seconds * sampleRate);
  const samples = new Int16Array(n);
  for (let i = 0; i < n; i++)
    samples[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * freq * i) / sampleRate));
  return { samples, sampleRate };
}

/** Deterministic white noise at a given RMS level (dBFS). */
export function noise(seconds: number, levelDb: number, sampleRate = 16_000, seed = 1): Pcm {
  const n = Math.round(seconds * sampleRate);
  const samples = new Int16Array(n);
  let s = seed;
  const amp = 32768 * 10 ** (levelDb / 20) * Math.sqrt(3);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    samples[i] = Math.round(((s / 2 ** 32) * 2 - 1) * amp);
  }
  return { samples, sampleRate };
}

export async function withTmp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'speech-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function readTranscripts(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [id, ...rest] = line.split('\t');
    if (id && rest.length) out.set(id.trim(), rest.join('\t').trim());
  }
  return out;
}
