import { loadModule, type LanguageIdentifier } from 'cld3-asm';
import { getLIDModel } from 'fasttext.wasm.js';
import { TranslateError } from '../errors.js';
import { findLanguage } from '../languages.js';

export interface DetectedLanguage {
  /** ISO 639-1, null where the language has none. */
  readonly iso1: string | null;
  /** ISO 639-3 ('und' when nothing could be told). */
  readonly iso3: string;
  readonly name: string;
  /** 0..1 */
  readonly confidence: number;
}

export interface LanguageDetection extends DetectedLanguage {
  /** The answer can be acted on without a person checking it. */
  readonly reliable: boolean;
  /** Next candidates, best first. */
  readonly alternatives: readonly DetectedLanguage[];
  /** What each model said. */
  readonly votes: { readonly fasttext: DetectedLanguage | null; readonly cld3: DetectedLanguage | null };
  /** Identity of the models, stored with results. */
  readonly model: string;
}

export type DetectionMethod = 'combined' | 'fasttext' | 'cld3';

export interface DetectOptions {
  /** 'combined' (default): fastText's lid.176 first, CLD3 as a second opinion that counts more on long text. */
  readonly method?: DetectionMethod;
  readonly maxAlternatives?: number;
}

export const LANGUAGE_ID_MODEL = 'fasttext-lid.176+cld3';

interface Detectors {
  readonly fasttext: Awaited<ReturnType<typeof getLIDModel>>;
  readonly cld3: LanguageIdentifier;
}

let detectors: Promise<Detectors> | null = null;

/** Loads both models once per process (about 150 ms); later calls reuse them. */
export function loadLanguageDetectors(): Promise<Detectors> {
  detectors ??= (async () => {
    const fasttext = await getLIDModel();
    await fasttext.load();
    const factory = await loadModule();
    return { fasttext, cld3: factory.create(0, 2048) };
  })().catch((error: unknown) => {
    detectors = null;
    throw new TranslateError(
      'ENGINE_UNAVAILABLE',
      `Language identification models failed to load: ${String(error)}`,
      {},
      { cause: error },
    );
  });
  return detectors;
}

const UNDETERMINED: DetectedLanguage = { iso1: null, iso3: 'und', name: 'Undetermined', confidence: 0 };

/**
 * Identifies the language of a headline or a whole article. Throws EMPTY_TEXT for blank input; text with
 * no letters (numbers, URLs) is 'und' and not reliable.
 */
export async function detectLanguage(text: string, options: DetectOptions = {}): Promise<LanguageDetection> {
  if (typeof text !== 'string' || text.trim() === '')
    throw new TranslateError('EMPTY_TEXT', 'There is no text to identify.', {});
  const method = options.method ?? 'combined';
  const clean = prepare(text);
  const letters = (clean.match(/\p{L}/gu) ?? []).length;
  if (letters === 0) {
    return {
      ...UNDETERMINED,
      reliable: false,
      alternatives: [],
      votes: { fasttext: null, cld3: null },
      model: LANGUAGE_ID_MODEL,
    };
  }
  const { fasttext, cld3 } = await loadLanguageDetectors();

  const fromFasttext = new Map<string, DetectedLanguage>();
  if (method !== 'cld3') {
    for (const r of await fasttext.identify(clean, 5)) {
      const language = toLanguage(r.alpha3, r.alpha2, r.refName, r.possibility);
      const previous = fromFasttext.get(language.iso3);
      fromFasttext.set(language.iso3, {
        ...language,
        confidence: language.confidence + (previous?.confidence ?? 0),
      });
    }
  }
  const fromCld3 = new Map<string, DetectedLanguage>();
  let cld3Reliable = false;
  if (method !== 'fasttext') {
    const top = cld3.findLanguage(clean);
    cld3Reliable = top.is_reliable;
    for (const r of cld3.findMostFrequentLanguages(clean, 3)) {
      if (r.language === 'und') continue;
      const language = toLanguage(null, r.language, r.language, r.probability * r.proportion);
      const previous = fromCld3.get(language.iso3);
      fromCld3.set(language.iso3, {
        ...language,
        confidence: language.confidence + (previous?.confidence ?? 0),
      });
    }
    if (fromCld3.size === 0 && top.language !== 'und') {
      const language = toLanguage(null, top.language, top.language, top.probability);
      fromCld3.set(language.iso3, language);
    }
  }

  // CLD3 is weak on a few words and strong on sentences: its weight grows with the text.
  const cld3Weight =
    method === 'cld3' ? 1 : method === 'fasttext' ? 0 : Math.min(1, Math.max(0.25, letters / 80));
  const fasttextWeight = method === 'cld3' ? 0 : 1;
  const scores = new Map<string, DetectedLanguage>();
  for (const [iso3, language] of fromFasttext)
    scores.set(iso3, { ...language, confidence: fasttextWeight * language.confidence });
  for (const [iso3, language] of fromCld3) {
    const previous = scores.get(iso3);
    scores.set(iso3, {
      ...(previous ?? language),
      confidence: (previous?.confidence ?? 0) + cld3Weight * language.confidence,
    });
  }
  const ranked = [...scores.values()]
    .map((l) => ({ ...l, confidence: round(l.confidence / (fasttextWeight + cld3Weight)) }))
    .sort((a, b) => b.confidence - a.confidence);
  const best = ranked[0] ?? UNDETERMINED;
  const fasttextTop = top(fromFasttext);
  const cld3Top = top(fromCld3);
  const agree = !fasttextTop || !cld3Top || fasttextTop.iso3 === cld3Top.iso3;
  const reliable =
    method === 'cld3'
      ? cld3Reliable
      : best.confidence >= 0.5 &&
        (agree || best.confidence >= 0.7) &&
        (ranked[1]?.confidence ?? 0) < best.confidence * 0.6;
  return {
    ...best,
    reliable,
    alternatives: ranked.slice(1, 1 + (options.maxAlternatives ?? 3)),
    votes: { fasttext: fasttextTop, cld3: cld3Top },
    model: method === 'combined' ? LANGUAGE_ID_MODEL : method === 'fasttext' ? 'fasttext-lid.176' : 'cld3',
  };
}

/** Drops what carries no language (URLs, e-mail addresses, handles) and lower-cases shouted headlines. */
function prepare(text: string): string {
  let clean = text
    .replace(/\b(?:https?:\/\/|www\.)\S+/gi, ' ')
    .replace(/\S+@\S+\.\S+/g, ' ')
    .replace(/[@#][\p{L}\p{N}_]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  const upper = (clean.match(/\p{Lu}/gu) ?? []).length;
  const lower = (clean.match(/\p{Ll}/gu) ?? []).length;
  if (upper > 3 && upper > lower * 2) clean = clean.toLowerCase();
  return clean;
}

function toLanguage(
  alpha3: string | null,
  alpha2: string | null,
  name: string,
  confidence: number,
): DetectedLanguage {
  const known = (alpha3 && findLanguage(alpha3)) || (alpha2 && findLanguage(alpha2)) || null;
  if (known) return { iso1: known.iso1, iso3: known.iso3, name: known.name, confidence };
  const code = (alpha3 ?? alpha2 ?? 'und').toLowerCase();
  return { iso1: alpha2 && alpha2.length === 2 ? alpha2 : null, iso3: code, name, confidence };
}

function top(map: ReadonlyMap<string, DetectedLanguage>): DetectedLanguage | null {
  let best: DetectedLanguage | null = null;
  for (const language of map.values()) if (!best || language.confidence > best.confidence) best = language;
  return best ? { ...best, confidence: round(best.confidence) } : null;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
