/*
 * Speech in the platform, shared by the API and the worker: the names its rows carry, the format of a
 * newsroom language model's registry artifact, and its lock keys.
 */

/** ModelVersion area and name of newsroom language models. Persisted: never rename. */
export const SPEECH_AREA = 'speech';
export const SPEECH_LM = 'speech-lm';

/** One writer of an asset's transcripts at a time (an advisory lock key). */
export function transcriptLockKey(assetId: string): string {
  return `speech-transcript:${assetId}`;
}

/*
 * A speech-lm ModelVersion's artifact is this small JSON manifest; the model files themselves
 * (tens of MB) live in storage under ${newsroomId}/derived/speech/models/<hash>/.
 */

export interface StoredModelFile {
  key: string;
  name: string;
  bytes: number;
  sha256: string;
}

export interface SpeechLmManifest {
  format: 'media-ai/speech-lm@1';
  /** speech-lm@<hash>: what transcripts record as their model. */
  modelId: string;
  engine: 'pocketsphinx';
  files: { lm: StoredModelFile; dict: StoredModelFile; metadata: StoredModelFile };
}

export function encodeManifest(manifest: SpeechLmManifest): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(JSON.stringify(manifest)));
}

/** The manifest of a speech-lm artifact; null when it is missing or unreadable. */
export function readManifest(artifact: Uint8Array | null): SpeechLmManifest | null {
  try {
    const m = JSON.parse(Buffer.from(artifact ?? []).toString('utf8')) as SpeechLmManifest;
    if (m.format === 'media-ai/speech-lm@1' && m.files?.lm?.key && m.files?.dict?.key) return m;
  } catch {
    // Not JSON: unreadable.
  }
  return null;
}

/** The storage keys of a speech-lm artifact's files (none when it is unreadable). */
export function manifestKeys(artifact: Uint8Array | null): string[] {
  const manifest = readManifest(artifact);
  return manifest ? Object.values(manifest.files).map((f) => f.key) : [];
}
