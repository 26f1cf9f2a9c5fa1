/** Formatters usable in templates as {{field | name:arg:arg}}. Each takes the previous value and returns a new one. */
export type ValueKind = 'number' | 'string' | 'date' | 'list' | 'any';

export interface FormatterSpec {
  /** What the formatter expects as input (checked against the schema by validation). */
  input: ValueKind;
  minArgs: number;
  maxArgs: number;
  /** Argument kinds, by position. */
  args?: ('number' | 'string')[];
  /** Arguments bound to a missing optional field arrive as undefined (the default applies). */
  apply: (value: unknown, args: (string | number | undefined)[], ctx: FormatContext) => unknown;
  description: string;
}

export interface FormatContext {
  locale: string;
}

export class FormatterError extends Error {}

function toNumber(v: unknown, name: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n))
    throw new FormatterError(`formatter '${name}' needs a number, got ${JSON.stringify(v)}`);
  return n;
}

function fmt(n: number, decimals: number | undefined, locale: string, grouping = true): string {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: decimals ?? 0,
    maximumFractionDigits: decimals ?? 2,
    useGrouping: grouping,
  }).format(n);
}

function compact(n: number, decimals: number, locale: string): string {
  const abs = Math.abs(n);
  const scales: [number, string][] = [
    [1e12, 'trillion'],
    [1e9, 'billion'],
    [1e6, 'million'],
  ];
  for (const [scale, word] of scales) {
    if (abs >= scale) {
      const v = n / scale;
      // "12.0 million" reads as "12 million".
      const s = fmt(v, Number.isInteger(Number(v.toFixed(decimals))) ? 0 : decimals, locale);
      return `${s} ${word}`;
    }
  }
  return fmt(n, Number.isInteger(n) ? 0 : Math.min(2, decimals + 1), locale);
}

function toDate(v: unknown): Date {
  const d =
    v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime()))
    throw new FormatterError(
      `formatter 'date' needs a date (ISO string or timestamp), got ${JSON.stringify(v)}`,
    );
  return d;
}

const CHANGE_WORDS: Record<string, [string, string, string]> = {
  rose: ['rose', 'fell', 'was unchanged'],
  up: ['up', 'down', 'unchanged'],
  increased: ['increased', 'decreased', 'was unchanged'],
  gained: ['gained', 'lost', 'was flat'],
};

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

function ordinalSuffix(n: number): string {
  const abs = Math.abs(n);
  const mod100 = abs % 100;
  if (mod100 >= 11 && mod100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][abs % 10] ?? 'th';
}

export const FORMATTERS: Readonly<Record<string, FormatterSpec>> = {
  number: {
    input: 'number',
    minArgs: 0,
    maxArgs: 1,
    args: ['number'],
    description: 'grouped number, optional fixed decimals: 12,400.5',
    apply: (v, [d], c) => fmt(toNumber(v, 'number'), d === undefined ? undefined : Number(d), c.locale),
  },
  round: {
    input: 'number',
    minArgs: 0,
    maxArgs: 1,
    args: ['number'],
    description: 'rounds to N decimals (default 0), result stays a number',
    apply: (v, [d]) => {
      const k = 10 ** Number(d ?? 0);
      return Math.round(toNumber(v, 'round') * k) / k;
    },
  },
  abs: {
    input: 'number',
    minArgs: 0,
    maxArgs: 0,
    description: 'absolute value',
    apply: (v) => Math.abs(toNumber(v, 'abs')),
  },
  percent: {
    input: 'number',
    minArgs: 0,
    maxArgs: 1,
    args: ['number'],
    description: 'value in percent points: 5.2 → "5.2%"',
    apply: (v, [d], c) => `${fmt(toNumber(v, 'percent'), Number(d ?? 1), c.locale)}%`,
  },
  signed: {
    input: 'number',
    minArgs: 0,
    maxArgs: 1,
    args: ['number'],
    description: 'explicit sign: "+5.2", "-3.1"',
    apply: (v, [d], c) => {
      const n = toNumber(v, 'signed');
      return `${n > 0 ? '+' : n < 0 ? '-' : ''}${fmt(Math.abs(n), Number(d ?? 1), c.locale)}`;
    },
  },
  change: {
    input: 'number',
    minArgs: 0,
    maxArgs: 3,
    args: ['number', 'string', 'string'],
    description:
      'a change in words: 5.2 → "rose 5.2%", -3 → "fell 3.0%"; args: decimals, unit ("%", "points", ""), style (rose|up|increased|gained)',
    apply: (v, [d, unit, style], c) => {
      const n = toNumber(v, 'change');
      const words = CHANGE_WORDS[String(style ?? 'rose')];
      if (!words)
        throw new FormatterError(
          `formatter 'change': unknown style '${String(style)}' (rose, up, increased, gained)`,
        );
      const decimals = Number(d ?? 1);
      if (Number(Math.abs(n).toFixed(decimals)) === 0) return words[2];
      const u = String(unit ?? '%');
      const amount = fmt(Math.abs(n), decimals, c.locale);
      const suffix = u === '%' ? '%' : u === '' ? '' : ` ${u}`;
      return `${n > 0 ? words[0] : words[1]} ${amount}${suffix}`;
    },
  },
  compact: {
    input: 'number',
    minArgs: 0,
    maxArgs: 1,
    args: ['number'],
    description: 'large numbers in words: 12400000 → "12.4 million"',
    apply: (v, [d], c) => compact(toNumber(v, 'compact'), Number(d ?? 1), c.locale),
  },
  money: {
    input: 'number',
    minArgs: 0,
    maxArgs: 2,
    args: ['string', 'number'],
    description: 'currency amount: 12400000 → "$12.4 million"; args: symbol (default "$"), decimals',
    apply: (v, [sym, d], c) => {
      const n = toNumber(v, 'money');
      return `${n < 0 ? '-' : ''}${String(sym ?? '$')}${compact(Math.abs(n), Number(d ?? 1), c.locale)}`;
    },
  },
  ordinal: {
    input: 'number',
    minArgs: 0,
    maxArgs: 0,
    description: '1 → "1st", 22 → "22nd"',
    apply: (v) => {
      const n = Math.round(toNumber(v, 'ordinal'));
      return `${n}${ordinalSuffix(n)}`;
    },
  },
  words: {
    input: 'number',
    minArgs: 0,
    maxArgs: 0,
    description: 'AP style: whole numbers below 10 in words ("three"), others as digits',
    apply: (v, _a, c) => {
      const n = toNumber(v, 'words');
      return Number.isInteger(n) && n >= 0 && n < 10 ? NUMBER_WORDS[n] : fmt(n, undefined, c.locale);
    },
  },
  plural: {
    input: 'number',
    minArgs: 1,
    maxArgs: 2,
    args: ['string', 'string'],
    description: 'count with noun: 3 → "3 goals"; args: singular, plural (default singular+"s")',
    apply: (v, [one, many], c) => {
      const n = toNumber(v, 'plural');
      return `${fmt(n, undefined, c.locale)} ${n === 1 ? String(one) : String(many ?? `${String(one)}s`)}`;
    },
  },
  noun: {
    input: 'number',
    minArgs: 1,
    maxArgs: 2,
    args: ['string', 'string'],
    description: 'only the noun for a count: 1 → "goal", 3 → "goals"',
    apply: (v, [one, many]) => (toNumber(v, 'noun') === 1 ? String(one) : String(many ?? `${String(one)}s`)),
  },
  date: {
    input: 'date',
    minArgs: 0,
    maxArgs: 1,
    args: ['string'],
    description:
      'date styles: long ("March 5, 2024"), short ("Mar 5"), day ("Tuesday, March 5"), weekday ("Tuesday"), iso ("2024-03-05")',
    apply: (v, [style], c) => {
      const d = toDate(v);
      const s = String(style ?? 'long');
      const opts: Record<string, Intl.DateTimeFormatOptions> = {
        long: { year: 'numeric', month: 'long', day: 'numeric' },
        short: { month: 'short', day: 'numeric' },
        day: { weekday: 'long', month: 'long', day: 'numeric' },
        weekday: { weekday: 'long' },
        month: { year: 'numeric', month: 'long' },
      };
      if (s === 'iso') return d.toISOString().slice(0, 10);
      const o = opts[s];
      if (!o)
        throw new FormatterError(
          `formatter 'date': unknown style '${s}' (long, short, day, weekday, month, iso)`,
        );
      return new Intl.DateTimeFormat(c.locale, { ...o, timeZone: 'UTC' }).format(d);
    },
  },
  upper: {
    input: 'string',
    minArgs: 0,
    maxArgs: 0,
    description: 'UPPER CASE',
    apply: (v) => String(v).toUpperCase(),
  },
  lower: {
    input: 'string',
    minArgs: 0,
    maxArgs: 0,
    description: 'lower case',
    apply: (v) => String(v).toLowerCase(),
  },
  capitalize: {
    input: 'string',
    minArgs: 0,
    maxArgs: 0,
    description: 'First letter upper case',
    apply: (v) => String(v).charAt(0).toUpperCase() + String(v).slice(1),
  },
  default: {
    input: 'any',
    minArgs: 1,
    maxArgs: 1,
    args: ['string'],
    description: 'fallback text when the field is missing or empty',
    apply: (v, [fallback]) => (v === undefined || v === null || v === '' ? fallback : v),
  },
  join: {
    input: 'list',
    minArgs: 0,
    maxArgs: 2,
    args: ['string', 'string'],
    description: 'list to text: ["a","b","c"] → "a, b and c"; args: separator, last separator',
    apply: (v, [sep, last]) => {
      if (!Array.isArray(v))
        throw new FormatterError(`formatter 'join' needs a list, got ${JSON.stringify(v)}`);
      const items = v.map((x) => String(x));
      if (items.length <= 1) return items.join('');
      return `${items.slice(0, -1).join(String(sep ?? ', '))}${String(last ?? ' and ')}${items[items.length - 1]}`;
    },
  },
};

/** The formatter applied when a chain ends in a non-string value. */
export function defaultFormat(v: unknown, locale: string): string {
  // No grouping by default: years and ids print as written ("2024"); use | number for "12,400".
  if (typeof v === 'number') return fmt(v, undefined, locale, false);
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map((x) => defaultFormat(x, locale)).join(', ');
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') throw new FormatterError('cannot print an object: pick one of its fields');
  return String(v);
}
