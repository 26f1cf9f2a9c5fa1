const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES: Array<[bigint, string]> = [
  [10n ** 18n, 'quintillion'],
  [10n ** 15n, 'quadrillion'],
  [10n ** 12n, 'trillion'],
  [10n ** 9n, 'billion'],
  [10n ** 6n, 'million'],
  [1000n, 'thousand'],
];

function belowThousand(n: number): string {
  const parts: string[] = [];
  if (n >= 100) {
    parts.push(ONES[Math.floor(n / 100)], 'hundred');
    n %= 100;
  }
  if (n >= 20) {
    parts.push(n % 10 ? `${TENS[Math.floor(n / 10)]} ${ONES[n % 10]}` : TENS[Math.floor(n / 10)]);
  } else if (n > 0 || parts.length === 0) {
    parts.push(ONES[n]);
  }
  return parts.join(' ');
}

/** 1234 -> "one thousand two hundred thirty four" (words separated by spaces, no "and"). */
export function cardinal(value: number | bigint | string): string {
  let n =
    typeof value === 'bigint'
      ? value
      : BigInt(typeof value === 'string' ? value.replace(/[,_\s]/g, '') : Math.trunc(value));
  if (n < 0n) return `minus ${cardinal(-n)}`;
  if (n < 1000n) return belowThousand(Number(n));
  const parts: string[] = [];
  for (const [size, name] of SCALES) {
    if (n >= size) {
      parts.push(`${cardinal(n / size)} ${name}`);
      n %= size;
    }
  }
  if (n > 0n) parts.push(belowThousand(Number(n)));
  return parts.join(' ');
}

const IRREGULAR_ORDINALS: Record<string, string> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};

/** 23 -> "twenty third". */
export function ordinal(value: number | bigint | string): string {
  const words = cardinal(value).split(' ');
  const last = words[words.length - 1];
  let ord: string;
  if (IRREGULAR_ORDINALS[last]) ord = IRREGULAR_ORDINALS[last];
  else if (last.endsWith('y')) ord = `${last.slice(0, -1)}ieth`;
  else ord = `${last}th`;
  words[words.length - 1] = ord;
  return words.join(' ');
}

/** Digits one by one: "05" -> "zero five". */
export function digits(text: string): string {
  return [...text]
    .filter((c) => c >= '0' && c <= '9')
    .map((c) => ONES[Number(c)])
    .join(' ');
}

/** "3.14" -> "three point one four"; "1,250.5" -> "one thousand two hundred fifty point five". */
export function decimal(text: string): string {
  const clean = text.replace(/,/g, '');
  const negative = clean.startsWith('-');
  const [whole, frac] = clean.replace(/^[-+]/, '').split('.');
  let out = cardinal(whole === '' ? '0' : whole);
  if (frac !== undefined && frac !== '') out += ` point ${digits(frac)}`;
  return negative ? `minus ${out}` : out;
}

/** How a year is read: 1990 -> "nineteen ninety", 2005 -> "two thousand five", 2024 -> "twenty twenty four". */
export function year(value: number): string {
  if (!Number.isInteger(value) || value < 1000 || value > 9999) return cardinal(value);
  const hi = Math.floor(value / 100);
  const lo = value % 100;
  if (value >= 2000 && value < 2010) return cardinal(value);
  if (lo === 0) return value % 1000 === 0 ? cardinal(value) : `${cardinal(hi)} hundred`;
  if (lo < 10) return `${cardinal(hi)} oh ${ONES[lo]}`;
  return `${cardinal(hi)} ${cardinal(lo)}`;
}

/** "1990s" -> "nineteen nineties". */
export function decade(value: number): string {
  const words = (value >= 1000 ? year(value) : cardinal(value)).split(' ');
  const last = words[words.length - 1];
  words[words.length - 1] = last.endsWith('y')
    ? `${last.slice(0, -1)}ies`
    : last === 'hundred'
      ? 'hundreds'
      : `${last}s`;
  return words.join(' ');
}
