import { describe, expect, it } from 'vitest';
import {
  checkAnalyses,
  checkDerivativeKinds,
  checkDistance,
  checkImageAsset,
  cleanAltText,
  decodeDescriptor,
  derivedKey,
  encodeDescriptor,
  imageSearchWhere,
  mergeTags,
  readOcr,
} from '../src/index.js';
import type { MediaAsset } from '@media-ai/db';

const asset = (kind: string) => ({ id: 'a1', kind, mimeType: `${kind}/x` }) as MediaAsset;

describe('vision checks', () => {
  it('refuses what a user must fix, saying how', () => {
    expect(() => checkImageAsset(null, 'a1')).toThrow(/Asset a1 was not found/);
    expect(() => checkImageAsset(asset('audio'), 'a1')).toThrow(/not an image \(it is audio/);
    expect(checkImageAsset(asset('image'), 'a1').id).toBe('a1');
    expect(() => checkDerivativeKinds([])).toThrow(/at least one derivative kind/);
    expect(() => checkDerivativeKinds(['thumbnail', 'gif'])).toThrow(
      /Unknown derivative kinds gif; choose from/,
    );
    expect(checkDerivativeKinds(['webp', 'webp', 'thumbnail'])).toEqual(['webp', 'thumbnail']);
    expect(checkAnalyses(undefined, ['objects', 'ocr'])).toEqual(['objects', 'ocr']);
    expect(() => checkAnalyses(['colour'], ['objects', 'ocr'])).toThrow(/Unknown analyses colour/);
    expect(() => checkDistance(33)).toThrow(/0 to 32/);
    expect(cleanAltText('  A  dog\n on a beach ')).toBe('A dog on a beach');
    expect(cleanAltText('   ')).toBeNull();
    expect(() => cleanAltText('x'.repeat(1001))).toThrow(/at most 1000 characters \(it has 1001\)/);
    expect(() => imageSearchWhere({})).toThrow(/at least one of tag, personId or text/);
  });
});

describe('vision rows', () => {
  it('stores a face descriptor as float32 bytes and reads it back', () => {
    const d = Float32Array.from({ length: 128 }, (_, i) => i / 7 - 3);
    const bytes = encodeDescriptor(d);
    expect(bytes.byteLength).toBe(512);
    expect([...decodeDescriptor(bytes)]).toEqual([...d]);
  });

  it('merges tags per label and folds those below the confidence asked', () => {
    const merged = mergeTags(
      [
        { label: 'person', confidence: 0.9 },
        { label: 'Person', confidence: 0.6 },
        { label: 'kite', confidence: 0.3 },
        { label: 'dog', confidence: 0.7 },
      ],
      0.5,
    );
    expect(merged.map((t) => [t.label, t.count, t.lowConfidence])).toEqual([
      ['person', 2, false],
      ['dog', 1, false],
      ['kite', 1, true],
    ]);
  });

  it('reads a stored OCR result with its unsure lines flagged', () => {
    const ocr = readOcr(
      {
        text: 'CITY HALL\nxq',
        confidence: 71,
        lines: [
          { text: 'CITY HALL', confidence: 91, box: { x: 1, y: 2, width: 3, height: 4 } },
          { text: 'xq', confidence: 20 },
        ],
      },
      60,
    );
    expect(ocr.confidentText).toBe('CITY HALL');
    expect(ocr.textLines.map((l) => l.lowConfidence)).toEqual([false, true]);
    expect(readOcr(null, 60)).toMatchObject({ text: '', confidence: 0, textLines: [] });
    expect(derivedKey('n', 'a', 'thumbnail', 'jpeg')).toBe('n/derived/a/thumbnail.jpg');
  });
});
