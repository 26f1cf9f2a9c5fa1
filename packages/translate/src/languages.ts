import { TranslateError } from './errors.js';

export interface Language {
  /** ISO 639-1, null where the language has none (e.g. Asturian). */
  readonly iso1: string | null;
  /** ISO 639-3; the canonical code inside this package. */
  readonly iso3: string;
  readonly name: string;
}

/** A parsed language tag: the language plus an optional region or variant (pt-BR, ca-valencia). */
export interface LanguageTag extends Language {
  readonly variant: string | null;
}

// iso1, iso3, name, other codes seen in the wild (ISO 639-2/B, detector codes, macro-language members).
const TABLE: ReadonlyArray<readonly [string | null, string, string, readonly string[]]> = [
  ['af', 'afr', 'Afrikaans', []],
  ['am', 'amh', 'Amharic', []],
  ['an', 'arg', 'Aragonese', []],
  ['ar', 'ara', 'Arabic', ['arb']],
  [null, 'ast', 'Asturian', []],
  ['az', 'aze', 'Azerbaijani', ['azj']],
  ['be', 'bel', 'Belarusian', []],
  ['bg', 'bul', 'Bulgarian', ['bg-latn']],
  ['bn', 'ben', 'Bengali', []],
  ['br', 'bre', 'Breton', []],
  ['bs', 'bos', 'Bosnian', []],
  ['ca', 'cat', 'Catalan', []],
  ['cs', 'ces', 'Czech', ['cze']],
  ['cy', 'cym', 'Welsh', ['wel']],
  ['da', 'dan', 'Danish', []],
  ['de', 'deu', 'German', ['ger']],
  ['el', 'ell', 'Greek', ['gre', 'el-latn']],
  ['en', 'eng', 'English', []],
  ['eo', 'epo', 'Esperanto', []],
  ['es', 'spa', 'Spanish', []],
  ['et', 'est', 'Estonian', ['ekk']],
  ['eu', 'eus', 'Basque', ['baq']],
  ['fa', 'fas', 'Persian', ['per', 'pes']],
  ['fi', 'fin', 'Finnish', []],
  [null, 'fil', 'Filipino', ['tl', 'tgl']],
  ['fr', 'fra', 'French', ['fre']],
  ['fy', 'fry', 'Western Frisian', []],
  ['ga', 'gle', 'Irish', []],
  ['gd', 'gla', 'Scottish Gaelic', []],
  ['gl', 'glg', 'Galician', []],
  ['gu', 'guj', 'Gujarati', []],
  ['ha', 'hau', 'Hausa', []],
  ['he', 'heb', 'Hebrew', ['iw']],
  ['hi', 'hin', 'Hindi', ['hi-latn']],
  ['hr', 'hrv', 'Croatian', []],
  [null, 'hbs', 'Serbo-Croatian', ['sh']],
  ['ht', 'hat', 'Haitian Creole', []],
  ['hu', 'hun', 'Hungarian', []],
  ['hy', 'hye', 'Armenian', ['arm']],
  ['id', 'ind', 'Indonesian', []],
  ['ig', 'ibo', 'Igbo', []],
  ['is', 'isl', 'Icelandic', ['ice']],
  ['it', 'ita', 'Italian', []],
  ['ja', 'jpn', 'Japanese', ['ja-latn']],
  ['jv', 'jav', 'Javanese', []],
  ['ka', 'kat', 'Georgian', ['geo']],
  ['kk', 'kaz', 'Kazakh', []],
  ['km', 'khm', 'Khmer', []],
  ['kn', 'kan', 'Kannada', []],
  ['ko', 'kor', 'Korean', []],
  ['ku', 'kur', 'Kurdish', []],
  ['ky', 'kir', 'Kyrgyz', []],
  ['la', 'lat', 'Latin', []],
  ['lb', 'ltz', 'Luxembourgish', []],
  ['lo', 'lao', 'Lao', []],
  ['lt', 'lit', 'Lithuanian', []],
  ['lv', 'lav', 'Latvian', ['lvs']],
  ['mg', 'mlg', 'Malagasy', []],
  ['mi', 'mri', 'Maori', ['mao']],
  ['mk', 'mkd', 'Macedonian', ['mac']],
  ['ml', 'mal', 'Malayalam', []],
  ['mn', 'mon', 'Mongolian', []],
  ['mr', 'mar', 'Marathi', []],
  ['ms', 'msa', 'Malay', ['may', 'zsm']],
  ['mt', 'mlt', 'Maltese', []],
  ['my', 'mya', 'Burmese', ['bur']],
  ['nb', 'nob', 'Norwegian Bokmål', []],
  ['ne', 'nep', 'Nepali', ['npi']],
  ['nl', 'nld', 'Dutch', ['dut']],
  ['nn', 'nno', 'Norwegian Nynorsk', []],
  ['no', 'nor', 'Norwegian', []],
  ['oc', 'oci', 'Occitan', []],
  ['pa', 'pan', 'Punjabi', []],
  ['pl', 'pol', 'Polish', []],
  ['ps', 'pus', 'Pashto', ['pbt']],
  ['pt', 'por', 'Portuguese', []],
  ['ro', 'ron', 'Romanian', ['rum', 'mo']],
  ['ru', 'rus', 'Russian', ['ru-latn']],
  ['sc', 'srd', 'Sardinian', []],
  ['sd', 'snd', 'Sindhi', []],
  ['si', 'sin', 'Sinhala', []],
  ['sk', 'slk', 'Slovak', ['slo']],
  ['sl', 'slv', 'Slovenian', []],
  ['so', 'som', 'Somali', []],
  ['sq', 'sqi', 'Albanian', ['alb', 'als']],
  ['sr', 'srp', 'Serbian', []],
  ['su', 'sun', 'Sundanese', []],
  ['sv', 'swe', 'Swedish', []],
  ['sw', 'swa', 'Swahili', ['swh']],
  ['ta', 'tam', 'Tamil', []],
  ['te', 'tel', 'Telugu', []],
  ['tg', 'tgk', 'Tajik', []],
  ['th', 'tha', 'Thai', []],
  ['tk', 'tuk', 'Turkmen', []],
  ['tr', 'tur', 'Turkish', []],
  ['tt', 'tat', 'Tatar', []],
  ['ug', 'uig', 'Uyghur', []],
  ['uk', 'ukr', 'Ukrainian', []],
  ['ur', 'urd', 'Urdu', []],
  ['uz', 'uzb', 'Uzbek', ['uzn']],
  ['vi', 'vie', 'Vietnamese', []],
  ['xh', 'xho', 'Xhosa', []],
  ['yi', 'yid', 'Yiddish', []],
  ['yo', 'yor', 'Yoruba', []],
  ['zh', 'zho', 'Chinese', ['chi', 'cmn', 'zh-latn', 'zh-hans', 'zh-hant', 'zh-cn', 'zh-tw', 'yue', 'wuu']],
  ['zu', 'zul', 'Zulu', []],
];

const BY_CODE = new Map<string, Language>();
for (const [iso1, iso3, name, aliases] of TABLE) {
  const language: Language = { iso1, iso3, name };
  for (const code of [iso1, iso3, ...aliases]) if (code) BY_CODE.set(code, language);
}

/** The language for a code, or null: accepts ISO 639-1, ISO 639-3, ISO 639-2/B and a few detector codes. */
export function findLanguage(code: string): Language | null {
  return BY_CODE.get(code.trim().toLowerCase().replace(/_/g, '-')) ?? null;
}

/** Parses a language tag such as `es`, `spa`, `pt-BR`, `pt_BR`, `ca-valencia`; throws UNKNOWN_LANGUAGE. */
export function parseLanguage(tag: string): LanguageTag {
  const cleaned = tag.trim().replace(/_/g, '-');
  const whole = findLanguage(cleaned);
  if (whole) return { ...whole, variant: null };
  const [base, ...rest] = cleaned.split('-');
  const language = base ? findLanguage(base) : null;
  if (!language) {
    throw new TranslateError(
      'UNKNOWN_LANGUAGE',
      `Unknown language "${tag}": use an ISO 639-1 or 639-3 code such as "en" or "eng".`,
      {
        language: tag,
      },
    );
  }
  const variant = rest.join('-');
  return {
    ...language,
    variant:
      variant === '' ? null : /^[a-z]{2}$/i.test(variant) ? variant.toUpperCase() : variant.toLowerCase(),
  };
}

/** The canonical ISO 639-3 code of a tag (variant dropped); throws UNKNOWN_LANGUAGE. */
export function toIso3(tag: string): string {
  return parseLanguage(tag).iso3;
}

/** ISO 639-1 where it exists, else ISO 639-3. */
export function toIso1(tag: string): string {
  const language = parseLanguage(tag);
  return language.iso1 ?? language.iso3;
}

export function allLanguages(): Language[] {
  return [...new Set(BY_CODE.values())];
}
