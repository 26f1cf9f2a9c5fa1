import { cardinal, decade, decimal, ordinal, year } from './numbers.js';

/**
 * English text normalisation: what a newsreader would say. Numbers, ordinals, dates, currencies,
 * percentages, times, units and common abbreviations become words; sentence punctuation is kept so the
 * synthesizer still phrases sentences. Used for synthesis, for language-model text and for scoring.
 */

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const MONTH_ABBR: Record<string, string> = {
  jan: 'January',
  feb: 'February',
  mar: 'March',
  apr: 'April',
  jun: 'June',
  jul: 'July',
  aug: 'August',
  sep: 'September',
  sept: 'September',
  oct: 'October',
  nov: 'November',
  dec: 'December',
};
const MONTH_NAMES = `(?:${MONTHS.join('|')}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.?)`;

function monthName(token: string): string {
  const t = token.replace(/\.$/, '');
  return MONTH_ABBR[t.toLowerCase()] ?? t;
}

const CURRENCY: Record<
  string,
  [singular: string, plural: string, minorSingular: string, minorPlural: string]
> = {
  $: ['dollar', 'dollars', 'cent', 'cents'],
  '€': ['euro', 'euros', 'cent', 'cents'],
  '£': ['pound', 'pounds', 'penny', 'pence'],
  '¥': ['yen', 'yen', 'sen', 'sen'],
  '₹': ['rupee', 'rupees', 'paisa', 'paise'],
};
const CURRENCY_CODES: Record<string, string> = { USD: '$', US$: '$', EUR: '€', GBP: '£', JPY: '¥', INR: '₹' };

const SCALE_WORDS: Record<string, string> = {
  thousand: 'thousand',
  k: 'thousand',
  million: 'million',
  m: 'million',
  mn: 'million',
  mln: 'million',
  billion: 'billion',
  bn: 'billion',
  b: 'billion',
  trillion: 'trillion',
  tn: 'trillion',
};

/** Titles before a name: never the end of a sentence. */
const TITLES: Record<string, string> = {
  mr: 'Mister',
  mrs: 'Missus',
  ms: 'Miz',
  dr: 'Doctor',
  prof: 'Professor',
  gov: 'Governor',
  sen: 'Senator',
  rep: 'Representative',
  gen: 'General',
  lt: 'Lieutenant',
  col: 'Colonel',
  capt: 'Captain',
  sgt: 'Sergeant',
  cmdr: 'Commander',
  adm: 'Admiral',
  pres: 'President',
  supt: 'Superintendent',
  rev: 'Reverend',
  fr: 'Father',
  hon: 'Honourable',
  st: 'Saint',
  mt: 'Mount',
  ft: 'Fort',
};
/** Abbreviations that may end a sentence: a period after them is kept when a capital letter follows. */
const TRAILING_ABBR: Record<string, string> = {
  jr: 'Junior',
  sr: 'Senior',
  inc: 'Incorporated',
  corp: 'Corporation',
  ltd: 'Limited',
  co: 'Company',
  bros: 'Brothers',
  etc: 'et cetera',
  ave: 'Avenue',
  blvd: 'Boulevard',
  rd: 'Road',
  approx: 'approximately',
  dept: 'Department',
  univ: 'University',
  est: 'established',
};
const INLINE_ABBR: Array<[RegExp, string]> = [
  [/\bvs\.?(?=\s)/gi, 'versus'],
  [/\be\.g\.(?=\s|,)/gi, 'for example'],
  [/\bi\.e\.(?=\s|,)/gi, 'that is'],
  [/\bNo\.\s*(?=\d)/g, 'number '],
  [/\bNos\.\s*(?=\d)/g, 'numbers '],
  [/\bapprox\.(?=\s+\d)/gi, 'approximately'],
];

const UNITS: Record<string, [string, string]> = {
  km: ['kilometre', 'kilometres'],
  m: ['metre', 'metres'],
  cm: ['centimetre', 'centimetres'],
  mm: ['millimetre', 'millimetres'],
  kg: ['kilogram', 'kilograms'],
  g: ['gram', 'grams'],
  mg: ['milligram', 'milligrams'],
  lb: ['pound', 'pounds'],
  lbs: ['pounds', 'pounds'],
  ft: ['foot', 'feet'],
  mi: ['mile', 'miles'],
  mph: ['mile per hour', 'miles per hour'],
  'km/h': ['kilometre per hour', 'kilometres per hour'],
  kph: ['kilometre per hour', 'kilometres per hour'],
  mw: ['megawatt', 'megawatts'],
  kw: ['kilowatt', 'kilowatts'],
  gw: ['gigawatt', 'gigawatts'],
  kwh: ['kilowatt hour', 'kilowatt hours'],
  ha: ['hectare', 'hectares'],
  l: ['litre', 'litres'],
  ml: ['millilitre', 'millilitres'],
  gb: ['gigabyte', 'gigabytes'],
  mb: ['megabyte', 'megabytes'],
  tb: ['terabyte', 'terabytes'],
};

/** A number as written: 1,234,567.89 or 1234.5 (a comma not followed by three digits is punctuation). */
const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;

function amountWords(num: string): string {
  return num.includes('.') ? decimal(num) : cardinal(num);
}

function isOne(num: string): boolean {
  return Number(num.replace(/,/g, '')) === 1;
}

function money(symbol: string, num: string, scaleRaw: string | undefined): string {
  const [one, many, minorOne, minorMany] = CURRENCY[symbol];
  const scale = scaleRaw ? SCALE_WORDS[scaleRaw.toLowerCase()] : undefined;
  if (scale) return `${amountWords(num)} ${scale} ${many}`;
  const clean = num.replace(/,/g, '');
  const [whole, frac] = clean.split('.');
  if (frac !== undefined && frac.length === 2) {
    const cents = Number(frac);
    const w = Number(whole || '0');
    if (w === 0) return `${cardinal(cents)} ${cents === 1 ? minorOne : minorMany}`;
    if (cents === 0) return `${cardinal(whole)} ${w === 1 ? one : many}`;
    return `${cardinal(whole)} ${w === 1 ? one : many} and ${cardinal(cents)} ${cents === 1 ? minorOne : minorMany}`;
  }
  return `${amountWords(clean)} ${isOne(clean) ? one : many}`;
}

function time(h: string, m: string | undefined, meridiem: string | undefined): string {
  const hour = Number(h);
  const min = m === undefined ? 0 : Number(m);
  const mer = meridiem ? ` ${meridiem.replace(/\./g, '').toUpperCase().split('').join(' ')}` : '';
  let words: string;
  if (min === 0)
    words = mer
      ? cardinal(hour)
      : hour === 0
        ? 'midnight'
        : hour === 12
          ? 'twelve noon'
          : `${cardinal(hour)} o'clock`;
  else if (min < 10) words = `${cardinal(hour)} oh ${cardinal(min)}`;
  else words = `${cardinal(hour)} ${cardinal(min)}`;
  return words + mer;
}

function dateWords(month: string, day: string | undefined, yr: string | undefined): string {
  let out = monthName(month);
  if (day) out += ` ${ordinal(day)}`;
  if (yr) out += `${day ? ',' : ''} ${year(Number(yr))}`;
  return out;
}

/** A period swallowed by "a.m." or "U.S." also ended the sentence when nothing or a capital follows. */
function sentenceEndAfter(token: string | undefined, all: string, end: number): string {
  if (!token?.endsWith('.')) return '';
  return /^\s*$|^\s+["']?[A-Z]/.test(all.slice(end, end + 3)) ? '.' : '';
}

function spellLetters(acronym: string): string {
  return acronym.replace(/\./g, '').toUpperCase().split('').join(' ');
}

/** Expands one paragraph (or any text) into spoken form. */
export function normalizeText(input: string): string {
  let t = input
    .normalize('NFKC')
    .replace(/[‘’ʼ′]/g, "'")
    .replace(/[“”„″]/g, '"')
    .replace(/\u00a0/g, ' ')
    .replace(/…/g, '...');

  // ISO dates first, before their hyphens are read as ranges.
  t = t.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (m, y: string, mo: string, d: string) =>
    Number(mo) >= 1 && Number(mo) <= 12 ? dateWords(MONTHS[Number(mo) - 1], String(Number(d)), y) : m,
  );
  // Numeric ranges and scores with a dash: 1990-1995, 10–20 per cent, 2-1.
  t = t.replace(/(\d)\s*[–—]\s*(?=\d)/g, '$1 to ');
  t = t.replace(/\b(\d+)-(?=\d+\b)/g, '$1 to ');
  t = t.replace(/\s[–—]\s/g, ', ');
  t = t.replace(/[–—]/g, ', ');

  // Currency codes written before the amount: USD 5 -> $5.
  t = t.replace(/\b(USD|US\$|EUR|GBP|JPY|INR)\s?(?=\d)/g, (_m, code: string) => CURRENCY_CODES[code]);
  // Amounts: $5.2 million, €30, £1.5bn, $0.99, 30€.
  t = t.replace(
    new RegExp(
      String.raw`([$€£¥₹])\s?(${NUM})(?:\s?(thousand|million|billion|trillion|bn|mn|mln|tn|[kmb])\b)?`,
      'gi',
    ),
    (_m, sym: string, num: string, scale: string | undefined) => money(sym, num, scale),
  );
  t = t.replace(new RegExp(String.raw`(${NUM})\s?([€£¥₹])`, 'g'), (_m, num: string, sym: string) =>
    money(sym, num, undefined),
  );

  // Percentages.
  t = t.replace(
    new RegExp(String.raw`(-?${NUM})\s?(%|per ?cent\b)`, 'gi'),
    (_m, num: string) => `${amountWords(num)} percent`,
  );

  // Temperatures and units after a number.
  t = t.replace(new RegExp(String.raw`(-?${NUM})\s?°\s?([CF])\b`, 'g'), (_m, num: string, scale: string) => {
    const n = amountWords(num);
    return `${n} ${isOne(num) ? 'degree' : 'degrees'} ${scale === 'C' ? 'Celsius' : 'Fahrenheit'}`;
  });
  t = t.replace(
    new RegExp(
      String.raw`(${NUM})\s?(km\/h|kwh|kph|mph|km|cm|mm|kg|mg|lbs|lb|ft|mi|mw|kw|gw|ha|ml|gb|mb|tb)\b`,
      'gi',
    ),
    (_m, num: string, unit: string) => {
      const [one, many] = UNITS[unit.toLowerCase()];
      return `${amountWords(num)} ${isOne(num) ? one : many}`;
    },
  );

  // Times: 3:30 pm, 10:00, 9 a.m., 9am.
  t = t.replace(
    /\b(\d{1,2}):(\d{2})(?:\s?([ap]\.?m\.?)(?=[\s,;!?]|$))?/gi,
    (m, h: string, mm: string, mer: string | undefined, at: number, all: string) =>
      Number(h) <= 24 && Number(mm) < 60 ? time(h, mm, mer) + sentenceEndAfter(mer, all, at + m.length) : m,
  );
  t = t.replace(
    /\b(\d{1,2})\s?([ap]\.m\.|[ap]m\b)/gi,
    (m, h: string, mer: string, at: number, all: string) =>
      Number(h) <= 12 ? time(h, undefined, mer) + sentenceEndAfter(mer, all, at + m.length) : m,
  );

  // Dates: 2024-03-05; 03/05/2024 (US order); March 5, 2024; 5 March 2024; March 2024; Jan. 5.
  t = t.replace(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g, (m, mo: string, d: string, y: string) =>
    Number(mo) >= 1 && Number(mo) <= 12 ? dateWords(MONTHS[Number(mo) - 1], d, y) : m,
  );
  t = t.replace(
    new RegExp(`\\b(${MONTH_NAMES})\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4})\\b)?`, 'g'),
    (_m, mo: string, d: string, y: string | undefined) => dateWords(mo, d, y),
  );
  t = t.replace(
    new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTH_NAMES})(?:,?\\s+(\\d{4})\\b)?`, 'g'),
    (_m, d: string, mo: string, y: string | undefined) =>
      `the ${ordinal(d)} of ${monthName(mo)}${y ? ` ${year(Number(y))}` : ''}`,
  );
  t = t.replace(new RegExp(`\\b(${MONTH_NAMES})\\s+(\\d{4})\\b`, 'g'), (_m, mo: string, y: string) =>
    dateWords(mo, undefined, y),
  );

  // Ordinals and decades.
  t = t.replace(/\b(\d+)(st|nd|rd|th)\b/gi, (_m, n: string) => ordinal(n));
  t = t.replace(/\b(\d{4})'?s\b/g, (_m, n: string) => decade(Number(n)));
  t = t.replace(/'(\d0)s\b/g, (_m, n: string) => decade(Number(n)));

  // Abbreviations.
  for (const [re, words] of INLINE_ABBR) t = t.replace(re, words);
  t = t.replace(/\b([A-Z][a-z]{0,3})\.(?=\s+[A-Z])/g, (m, abbr: string) => TITLES[abbr.toLowerCase()] ?? m);
  t = t.replace(/\bSt\.(?=\s|$)/g, 'Street');
  t = t.replace(/\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.(?=\s)/g, (_m, mo: string) =>
    monthName(mo),
  );
  t = t.replace(/\b([A-Za-z]{2,6})\.(?=(\s+\S)?)/g, (m, abbr: string, next: string | undefined) => {
    const words = TRAILING_ABBR[abbr.toLowerCase()];
    if (!words) return m;
    // Keep the period when it plausibly also ends the sentence.
    return next === undefined || /^\s+["']?[A-Z]/.test(next) ? `${words}.` : words;
  });
  // Dotted acronyms: U.S., U.K., D.C. -> letters; keep a sentence end when one follows.
  t = t.replace(/\b((?:[A-Za-z]\.){2,})(?=(\s+\S)?)/g, (_m, acr: string, next: string | undefined) => {
    const letters = spellLetters(acr);
    return next === undefined || /^\s+["']?[A-Z]/.test(next) ? `${letters}.` : letters;
  });

  // Letters glued to digits: G7, COVID-19, F-16.
  t = t.replace(/\b([A-Za-z]+)-?(\d+)\b/g, (_m, w: string, n: string) => `${w} ${cardinal(n)}`);

  // Years: a bare four-digit number from 1100 to 2099 is read as a year.
  t = t.replace(
    /(^|[^\d,.$€£])\b(1[1-9]\d\d|20\d\d)\b(?![,.]\d)/g,
    (_m, pre: string, y: string) => `${pre}${year(Number(y))}`,
  );

  // Remaining numbers: 1,234,567; 3.14; -5; 10 to 20.
  t = t.replace(/(^|[\s(])-(\d)/g, '$1minus $2');
  t = t.replace(/\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d+/g, (num) => amountWords(num));

  // Symbols.
  t = t
    .replace(/\s*&\s*/g, ' and ')
    .replace(/\s@\s/g, ' at ')
    .replace(/\s\+\s/g, ' plus ')
    .replace(/\s=\s/g, ' equals ')
    .replace(/#(?=\w)/g, 'number ');

  return t
    .replace(/[ \t]+/g, ' ')
    .replace(/ ([,.;:!?])/g, '$1')
    .trim();
}

/**
 * Lower-case words only: the normalised text without punctuation, hyphens split, apostrophes inside words
 * kept ("don't", "country's"). This is the token stream recognizers emit and WER is computed on.
 */
export function spokenWords(input: string): string[] {
  return normalizeText(input)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s-]+/gu, ' ')
    .replace(/-/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w.length > 0);
}
