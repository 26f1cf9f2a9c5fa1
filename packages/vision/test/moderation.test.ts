import { describe, expect, it } from 'vitest';
import {
  decideModeration,
  decodeRgb,
  DEFAULT_MODERATION_POLICY,
  getModerationClassifier,
  validatePolicy,
  type ModerationScores,
} from '../src/index.js';
import { dataset, readData } from './helpers.js';

const scores = (s: Partial<ModerationScores>): ModerationScores => ({
  Drawing: 0,
  Hentai: 0,
  Neutral: 0,
  Porn: 0,
  Sexy: 0,
  ...s,
});

describe('moderation policy', () => {
  const policy = { Porn: { flag: 0.3, block: 0.8 }, Sexy: { flag: 0.6 } };

  it('allows below every threshold', () => {
    expect(decideModeration(scores({ Neutral: 0.9, Porn: 0.29, Sexy: 0.59 }), policy)).toMatchObject({
      decision: 'allow',
      reasons: [],
    });
  });

  it('flags between flag and block, and says why', () => {
    const verdict = decideModeration(scores({ Neutral: 0.5, Porn: 0.45 }), policy);
    expect(verdict.decision).toBe('flag');
    expect(verdict.reasons).toEqual([{ className: 'Porn', score: 0.45, threshold: 0.3, action: 'flag' }]);
  });

  it('blocks at the block threshold, and block outranks flag', () => {
    const verdict = decideModeration(scores({ Porn: 0.8, Sexy: 0.7 }), policy);
    expect(verdict.decision).toBe('block');
    expect(verdict.reasons.map((r) => `${r.className}:${r.action}`)).toEqual(['Porn:block', 'Sexy:flag']);
  });

  it('a class without thresholds never triggers', () => {
    expect(decideModeration(scores({ Hentai: 0.99 }), policy).decision).toBe('allow');
    expect(decideModeration(scores({ Hentai: 0.99 })).decision).toBe('block');
  });

  it('refuses nonsense policies', () => {
    expect(validatePolicy({ Porn: { flag: 0.9, block: 0.5 } })).toEqual(['Porn.flag is above Porn.block']);
    expect(validatePolicy({ Porn: { block: 1.5 } })).toHaveLength(1);
    expect(() => decideModeration(scores({}), { Porn: { flag: -1 } })).toThrow(RangeError);
    expect(validatePolicy(DEFAULT_MODERATION_POLICY)).toEqual([]);
  });
});

const coco = dataset('vision/coco');

describe.skipIf(!coco.present)(`nsfwjs on real photos${coco.reason}`, () => {
  const classifier = getModerationClassifier();

  it('loads fast from the bundled weights and lets ordinary news photos through', async () => {
    const info = await classifier.load();
    expect(info.loadMs).toBeLessThan(8000);
    for (const file of ['person.jpg', 'horses.jpg']) {
      const result = await classifier.classify(await decodeRgb(readData(`vision/coco/${file}`)));
      const total = Object.values(result).reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(1, 2);
      expect(decideModeration(result).decision, file).toBe('allow');
      expect(result.Porn).toBeLessThan(0.1);
    }
    expect(classifier.identity).toEqual({ name: 'nsfwjs/MobileNetV2Mid', version: '4.3.0' });
  });

  it('scores a painting as a drawing', async () => {
    const result = await classifier.classify(await decodeRgb(readData('vision/coco/scream.jpg')));
    expect(result.Drawing).toBeGreaterThan(result.Porn);
    expect(result.Drawing + result.Neutral).toBeGreaterThan(0.9);
  });
});
