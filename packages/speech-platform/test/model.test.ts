import { describe, expect, it } from 'vitest';
import {
  currentSegments,
  encodeManifest,
  manifestKeys,
  readManifest,
  transcriptWhere,
  type SpeechLmManifest,
} from '../src/index.js';

const file = (name: string) => ({ key: `n/derived/speech/models/h/${name}`, name, bytes: 3, sha256: 'x' });
const manifest: SpeechLmManifest = {
  format: 'media-ai/speech-lm@1',
  modelId: 'speech-lm@h',
  engine: 'pocketsphinx',
  files: { lm: file('lm.bin'), dict: file('words.dict'), metadata: file('meta.json') },
};

describe('speech-lm manifest', () => {
  it('round-trips through the registry artifact and names its stored files', () => {
    const artifact = encodeManifest(manifest);
    expect(readManifest(artifact)).toEqual(manifest);
    expect(manifestKeys(artifact)).toEqual(Object.values(manifest.files).map((f) => f.key));
  });

  it('reads a missing, foreign or damaged artifact as none', () => {
    expect(readManifest(null)).toBeNull();
    expect(readManifest(new TextEncoder().encode('{"format":"other"}'))).toBeNull();
    expect(readManifest(new TextEncoder().encode('{not json'))).toBeNull();
    expect(manifestKeys(new TextEncoder().encode('{not json'))).toEqual([]);
  });
});

describe('transcripts', () => {
  it('lists by the editor’s text where there is one, and refuses an overlong search', () => {
    expect(transcriptWhere({ search: 'mayor', assetId: 'a' })).toEqual({
      OR: [
        { editedText: { contains: 'mayor', mode: 'insensitive' } },
        { editedText: null, text: { contains: 'mayor', mode: 'insensitive' } },
      ],
      assetId: 'a',
    });
    expect(() => transcriptWhere({ search: 'x'.repeat(201) })).toThrow(/at most 200 characters/);
    const model = [{ start: 0, end: 1, text: 'model' }];
    const edited = [{ start: 0, end: 1, text: 'edited' }];
    expect(currentSegments({ segments: model, editedSegments: null })).toEqual(model);
    expect(currentSegments({ segments: model, editedSegments: edited })).toEqual(edited);
  });
});
