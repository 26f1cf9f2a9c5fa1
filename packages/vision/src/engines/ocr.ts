import path from 'node:path';
import type Tesseract from 'tesseract.js';
import { LazyModel, type LoadedModelInfo } from '../runtime/lazy-model.js';
import { packageDir, packageVersion, requireCjs } from '../runtime/packages.js';
import { SerialQueue } from '../runtime/serial.js';
import type { Box, ModelIdentity } from '../types.js';

export interface OcrWord {
  text: string;
  /** 0-100, as Tesseract reports it. */
  confidence: number;
  box: Box;
}

export interface OcrLine {
  text: string;
  confidence: number;
  box: Box;
}

export interface OcrResult {
  text: string;
  /** Mean word confidence, 0-100. */
  confidence: number;
  words: OcrWord[];
  lines: OcrLine[];
}

export interface OcrEngine {
  readonly identity: ModelIdentity;
  load(): Promise<LoadedModelInfo>;
  /** Reads text from an encoded image (PNG/JPEG...) already normalised to upright sRGB. */
  recognize(image: Buffer): Promise<OcrResult>;
  /** Stops the worker thread so the process can exit; the next call starts a new one. */
  close(): Promise<void>;
}

type TesseractLib = typeof Tesseract;

/** The LSTM English model shipped by @tesseract.js-data/eng (int8 "best"), read from disk, gzipped. */
export function tesseractLangPath(): string {
  return path.join(packageDir('@tesseract.js-data/eng'), '4.0.0_best_int');
}

function bboxToBox(b: Tesseract.Bbox): Box {
  return { x: b.x0, y: b.y0, width: b.x1 - b.x0, height: b.y1 - b.y0 };
}

/** tesseract.js with the local English model; never the CDN (the default langPath never returns offline). */
export function createTesseractEngine(): OcrEngine {
  const lang = 'eng';
  const identity: ModelIdentity = {
    name: `tesseract.js/${lang}-4.0.0_best_int-lstm`,
    version: `${packageVersion('tesseract.js')}+data-${packageVersion('@tesseract.js-data/eng')}`,
  };
  const queue = new SerialQueue();
  const model = new LazyModel<Tesseract.Worker>(identity, async () => {
    const tesseract = requireCjs('tesseract.js') as TesseractLib;
    return tesseract.createWorker(lang, tesseract.OEM.LSTM_ONLY, {
      langPath: tesseractLangPath(),
      gzip: true,
      // Without this tesseract.js writes eng.traineddata into the working directory.
      cacheMethod: 'none',
    });
  });

  return {
    identity,
    async load() {
      await model.get();
      return model.info!;
    },
    async recognize(image) {
      const worker = await model.get();
      const result = await queue.run(() => worker.recognize(image, {}, { text: true, blocks: true }));
      const page = result.data;
      const lines: OcrLine[] = [];
      const words: OcrWord[] = [];
      for (const block of page.blocks ?? []) {
        for (const paragraph of block.paragraphs) {
          for (const line of paragraph.lines) {
            lines.push({
              text: line.text.trim(),
              confidence: Math.round(line.confidence),
              box: bboxToBox(line.bbox),
            });
            for (const word of line.words) {
              if (word.text.trim() === '') continue;
              words.push({
                text: word.text,
                confidence: Math.round(word.confidence),
                box: bboxToBox(word.bbox),
              });
            }
          }
        }
      }
      const confidence =
        words.length === 0 ? 0 : Math.round(words.reduce((sum, w) => sum + w.confidence, 0) / words.length);
      return { text: page.text, confidence, words, lines };
    },
    async close() {
      const pending = model.info ? model.get() : undefined;
      model.reset();
      if (pending) await (await pending).terminate();
    },
  };
}

let defaultEngine: OcrEngine | undefined;

export function getOcrEngine(): OcrEngine {
  defaultEngine ??= createTesseractEngine();
  return defaultEngine;
}
