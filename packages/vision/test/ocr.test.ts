import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { getOcrEngine } from '../src/index.js';
import { characterErrorRate, dataset, readData } from './helpers.js';

const ocr = dataset('vision/ocr');

describe.skipIf(!ocr.present)(`Tesseract OCR on real images${ocr.reason}`, () => {
  const engine = getOcrEngine();
  afterAll(() => engine.close());

  it('reads a short line exactly, with a word box around it', async () => {
    const png = readData('vision/ocr/simple.png');
    const result = await engine.recognize(png);
    expect(result.text.trim()).toBe('Tesseract.js');
    expect(result.confidence).toBeGreaterThan(70);
    expect(result.words).toHaveLength(1);
    const { width, height } = await sharp(png).metadata();
    const box = result.words[0]!.box;
    expect(box.x).toBeGreaterThan(0);
    expect(box.x + box.width).toBeLessThan(width);
    expect(box.y + box.height).toBeLessThan(height);
    expect(engine.identity.name).toContain('tesseract.js');
  });

  it('reads a paragraph with a low character error rate, word boxes in reading order', async () => {
    const result = await engine.recognize(readData('vision/ocr/testocr.png'));
    const expected =
      'This is a lot of 12 point text to test the ocr code and see if it works on all types of file format. The quick brown dog jumped over the lazy fox. The quick brown dog jumped over the lazy fox. The quick brown dog jumped over the lazy fox. The quick brown dog jumped over the lazy fox.';
    expect(characterErrorRate(expected, result.text)).toBeLessThan(0.02);
    expect(result.lines.length).toBeGreaterThanOrEqual(8);
    expect(result.words[0]!.text).toBe('This');
    expect(result.words[1]!.box.x).toBeGreaterThan(result.words[0]!.box.x);
  });
});
