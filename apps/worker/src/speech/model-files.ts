import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { threadId } from 'node:worker_threads';
import { PermanentJobError } from '@media-ai/jobs';
import { defaultCacheDir, type LanguageModelFiles } from '@media-ai/speech';
import { readManifest, type SpeechLmManifest } from '@media-ai/speech-platform';
import type { Storage } from '@media-ai/storage';

/*
 * A speech-lm ModelVersion's artifact is a small JSON manifest (@media-ai/speech-platform); a
 * transcription fetches the model files once into the local cache (SPEECH_CACHE_DIR, else
 * ~/.cache/media-ai/speech), keyed by the ModelVersion id, which never changes content.
 */

export function decodeManifest(artifact: Uint8Array | null, label: string): SpeechLmManifest {
  const manifest = readManifest(artifact);
  if (manifest) return manifest;
  throw new PermanentJobError(
    `${label} has no readable model manifest; build the vocabulary again`,
    'CORRUPT',
  );
}

async function hasFile(file: string, bytes: number): Promise<boolean> {
  return stat(file).then(
    (s) => s.size === bytes,
    () => false,
  );
}

/** The model's files in the local cache, fetched from storage (and checked against their sha256) when absent. */
export async function ensureModelFiles(
  storage: Storage,
  newsroomId: string,
  modelVersionId: string,
  manifest: SpeechLmManifest,
  label: string,
): Promise<LanguageModelFiles> {
  const dir = path.join(defaultCacheDir(), 'newsroom-models', newsroomId, modelVersionId);
  const files = [manifest.files.lm, manifest.files.dict, manifest.files.metadata];
  const result: LanguageModelFiles = {
    lmPath: path.join(dir, manifest.files.lm.name),
    dictPath: path.join(dir, manifest.files.dict.name),
    id: manifest.modelId,
  };
  const cached = await Promise.all(files.map((f) => hasFile(path.join(dir, f.name), f.bytes)));
  if (cached.every(Boolean)) return result;

  const tmp = `${dir}.${process.pid}-${threadId}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    for (const f of files) {
      if (!(await storage.exists(f.key))) {
        throw new PermanentJobError(
          `The files of ${label} are missing from storage (${f.key}); build the vocabulary again`,
          'NOT_FOUND',
        );
      }
      const hash = createHash('sha256');
      const hashing = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      await pipeline(storage.read(f.key), hashing, createWriteStream(path.join(tmp, f.name)));
      if (hash.digest('hex') !== f.sha256) {
        throw new PermanentJobError(
          `The stored file ${f.name} of ${label} is damaged (checksum mismatch); build the vocabulary again`,
          'CORRUPT',
        );
      }
    }
    await rm(dir, { recursive: true, force: true });
    await mkdir(path.dirname(dir), { recursive: true });
    await rename(tmp, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another thread finished the same fetch first: its copy is as good as ours.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return result;
}
