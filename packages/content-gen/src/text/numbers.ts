import type { Lang } from '@media-ai/text';

export type NumberKind = 'number' | 'percent' | 'money' | 'ordinal' | 'word';

export interface NumberMention {
  raw: string;
  /** The number as written, without currency or suffix ("12.4" in "$12.4 million"). */
  mantissa: number;
  /** Scaled value ("$12.4 million" → 12400000). */
  value: number;
  /** Digits after the decimal separator in the mantissa (precision for rounding checks). */
  decimals: number;
  kind: NumberKind;
  start: number;
  end: number;
  /** Words like "one" that are often not numbers at all. */
  ambiguous?: boolean;
}

const MULTIPLIERS: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  millions: 1e6,
  m: 1e6,
  mn: 1e6,
  mio: 1e6,
  millones: 1e6,
  millón: 1e6,
  millionen: 1e6,
  billion: 1e9,
  billions: 1e9,
  bn: 1e9,
  b: 1e9,
  mrd: 1e9,
  milliards: 1e9,
  milliard: 1e9,
  milliarden: 1e9,
  trillion: 1e12,
  tn: 1e12,
  'mil millones': 1e9,
};

const WORD_NUMBERS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
  dozen: 12,
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};
const AMBIGUOUS_WORDS = new Set(['one', 'first', 'second', 'hundred', 'dozen']);

// Thousands "," and decimal "." (en); thousands "." and decimal "," (es, fr, de).
const NUM_EN = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const NUM_EU = String.raw`\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?`;
const SUFFIX = String.raw`(?<pct>\s?%|\s(?:percent|per cent|por ciento|pour cent|Prozent)\b)?(?<mult>\s?(?:thousand|million|millions|billion|billions|trillion|millones|millón|mil millones|millions|milliards?|Millionen|Milliarden|Mio\.?|Mrd\.?)\b|(?:k|m|mn|bn|tn|b)\b)?(?<ord>st|nd|rd|th|º|ª|er|e|ème)?(?![\p{L}\p{N}])`;

function numberRegex(lang: Lang): RegExp {
  const num = lang === 'en' ? NUM_EN : NUM_EU;
  return new RegExp(
    String.raw`(?<![\p{L}\p{N}.,])(?<cur>[$€£¥]\s?)?(?<neg>[-−])?(?<num>${num})${SUFFIX}`,
    'gu',
  );
}

function parseNumber(s: string, lang: Lang): { value: number; decimals: number } {
  if (lang === 'en') {
    const clean = s.replace(/,/g, '');
    const dot = clean.indexOf('.');
    return { value: Number(clean), decimals: dot < 0 ? 0 : clean.length - dot - 1 };
  }
  const clean = s.replace(/\./g, '').replace(',', '.');
  const dot = clean.indexOf('.');
  return { value: Number(clean), decimals: dot < 0 ? 0 : clean.length - dot - 1 };
}

/** Numbers in text: digits (with separators, currency, %, million/bn, ordinals) and English number words. */
export function extractNumbers(text: string, lang: Lang = 'en'): NumberMention[] {
  const out: NumberMention[] = [];
  for (const m of text.matchAll(numberRegex(lang))) {
    const g = m.groups ?? {};
    const numText = g.num ?? '';
    const { value, decimals } = parseNumber(numText, lang);
    if (!Number.isFinite(value)) continue;
    const multKey = (g.mult ?? '').trim().replace(/\.$/, '').toLowerCase();
    const mult = multKey ? (MULTIPLIERS[multKey] ?? 1) : 1;
    const sign = g.neg ? -1 : 1;
    let kind: NumberKind = 'number';
    if (g.pct) kind = 'percent';
    else if (g.cur) kind = 'money';
    else if (g.ord) kind = 'ordinal';
    const start = m.index ?? 0;
    out.push({
      raw: m[0],
      mantissa: sign * value,
      value: sign * value * mult,
      decimals,
      kind,
      start,
      end: start + m[0].length,
    });
  }
  if (lang === 'en') {
    for (const m of text.matchAll(/\b[A-Za-z]+\b/g)) {
      const w = m[0].toLowerCase();
      const v = WORD_NUMBERS[w];
      if (v === undefined) continue;
      const start = m.index ?? 0;
      out.push({
        raw: m[0],
        mantissa: v,
        value: v,
        decimals: 0,
        kind: 'word',
        start,
        end: start + m[0].length,
        ...(AMBIGUOUS_WORDS.has(w) ? { ambiguous: true } : {}),
      });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Whether `n` restates one of `candidates` (same value, or the same value rounded to n's precision). */
export function numberSupported(n: NumberMention, candidates: readonly NumberMention[]): boolean {
  const tol = 0.5 * 10 ** -n.decimals + 1e-9;
  for (const c of candidates) {
    if (Math.abs(Math.abs(c.value) - Math.abs(n.value)) < 1e-9 * Math.max(1, Math.abs(c.value))) return true;
    if (Math.abs(Math.abs(c.mantissa) - Math.abs(n.mantissa)) <= tol && scaleCompatible(n, c)) return true;
    // "$12.4 million" vs "12,400,000": compare scaled values at n's precision.
    const scale = n.mantissa === 0 ? 1 : n.value / n.mantissa;
    if (scale !== 1 && Math.abs(Math.abs(c.value) / scale - Math.abs(n.mantissa)) <= tol) return true;
  }
  return false;
}

function scaleCompatible(a: NumberMention, b: NumberMention): boolean {
  const sa = a.mantissa === 0 ? 1 : a.value / a.mantissa;
  const sb = b.mantissa === 0 ? 1 : b.value / b.mantissa;
  return Math.abs(sa - sb) < 1e-6 * Math.max(sa, sb);
}
