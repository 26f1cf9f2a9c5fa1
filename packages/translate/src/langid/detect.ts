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
    const model = await fasttext.load();
    const labels = model.getLabels()[0];
    const format = (fasttext.constructor as { formatLang?: (raw: string) => { alpha3: string } }).formatLang;
    if (format) {
      const known = new Set<string>();
      for (let i = 0; i < labels.size(); i++) {
        const code = format(labels.get(i)).alpha3;
        known.add(findLanguage(code)?.iso3 ?? code);
      }
      fasttextLanguages = known;
    }
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

/** What each model said about one text, before they are combined. */
export interface LanguageVotes {
  /** Letters in the cleaned text (how much evidence there is). */
  readonly letters: number;
  /** fastText's top five, merged by ISO 639-3 code. */
  readonly fasttext: readonly DetectedLanguage[];
  /** CLD3's languages (probability × share of the text), merged by code. */
  readonly cld3: readonly DetectedLanguage[];
}

/**
 * How the two models are combined and when an answer is called reliable. The defaults were chosen on
 * the first half of each FLORES devtest language file (lines 1-50, several text lengths) and checked on
 * the other half: see bench/langid.bench.ts.
 */
export interface LanguageIdCalibration {
  /** CLD3's weight beside fastText's 1: letters / perLetters, clamped to [min, max]. */
  readonly cld3Weight: { readonly perLetters: number; readonly min: number; readonly max: number };
  /**
   * How much the silence of a model that does not know a language counts against it (0: not at all,
   * 1: as a vote of 0). Below 1, a language only fastText knows (Asturian, Occitan) can still win.
   */
  readonly abstention: number;
  /** Reliable when the combined confidence reaches these (per case) and the runner-up is below margin × best. */
  readonly reliable: {
    /** Both models put the answer first. */
    readonly agree: number;
    /** They disagree; the combined score still prefers the answer. */
    readonly disagree: number;
    /** Only one model knows the answer's language: that model's own probability. */
    readonly singleModel: { readonly fasttext: number; readonly cld3: number };
    readonly margin: number;
    /** Fewer letters than this are never reliable. */
    readonly minLetters: number;
  };
}

export const DEFAULT_LANGUAGE_ID_CALIBRATION: LanguageIdCalibration = {
  cld3Weight: { perLetters: 40, min: 0.25, max: 1 },
  abstention: 0.5,
  reliable: {
    agree: 0.8,
    disagree: 0.85,
    singleModel: { fasttext: 0.9991, cld3: 1 },
    margin: 0.3,
    minLetters: 8,
  },
};

/** Languages CLD3 (the NNet identifier in cld3-asm) can answer, as it names them. */
const CLD3_CODES =
  'af am ar az be bg bg-Latn bn bs ca ceb co cs cy da de el el-Latn en eo es et eu fa fi fil fr fy ga gd gl gu ha haw hi hi-Latn hmn hr ht hu hy id ig is it iw ja ja-Latn jv ka kk km kn ko ku ky la lb lo lt lv mg mi mk ml mn mr ms mt my ne nl no ny pa pl ps pt ro ru ru-Latn sd si sk sl sm sn so sq sr st su sv sw ta te tg th tr uk ur uz vi xh yi yo zh zh-Latn zu';
const CLD3_LANGUAGES = new Set(CLD3_CODES.split(' ').map((code) => toLanguage(null, code, code, 0).iso3));

/**
 * Identifies the language of a headline or a whole article. Throws EMPTY_TEXT for blank input; text with
 * no letters (numbers, URLs) is 'und' and not reliable.
 */
export async function detectLanguage(text: string, options: DetectOptions = {}): Promise<LanguageDetection> {
  const method = options.method ?? 'combined';
  const votes = await languageVotes(text, method);
  return decideLanguage(votes, { method, maxAlternatives: options.maxAlternatives });
}

/** Runs the models a method needs on one text; null when the text has no letters. */
export async function languageVotes(
  text: string,
  method: DetectionMethod = 'combined',
): Promise<LanguageVotes | null> {
  if (typeof text !== 'string' || text.trim() === '')
    throw new TranslateError('EMPTY_TEXT', 'There is no text to identify.', {});
  const clean = prepare(text);
  const letters = (clean.match(/\p{L}/gu) ?? []).length;
  if (letters === 0) return null;
  const { fasttext, cld3 } = await loadLanguageDetectors();

  const fromFasttext = new Map<string, DetectedLanguage>();
  if (method !== 'cld3') {
    for (const r of await fasttext.identify(clean, 5))
      add(fromFasttext, toLanguage(r.alpha3, r.alpha2, r.refName, r.possibility));
  }
  const fromCld3 = new Map<string, DetectedLanguage>();
  if (method !== 'fasttext') {
    for (const r of cld3.findMostFrequentLanguages(clean, 3)) {
      if (r.language === 'und') continue;
      add(fromCld3, toLanguage(null, r.language, r.language, r.probability * r.proportion));
    }
    if (fromCld3.size === 0) {
      const top = cld3.findLanguage(clean);
      if (top.language !== 'und')
        add(fromCld3, toLanguage(null, top.language, top.language, top.probability));
    }
  }
  return { letters, fasttext: [...fromFasttext.values()], cld3: [...fromCld3.values()] };
}

/** Combines the votes into an answer; pure, so that calibration can replay stored votes. */
export function decideLanguage(
  votes: LanguageVotes | null,
  options: {
    method?: DetectionMethod;
    maxAlternatives?: number;
    calibration?: LanguageIdCalibration;
    /** Receives what `reliable` was decided from (calibration uses it). */
    onEvidence?: (evidence: ReliabilityEvidence) => void;
  } = {},
): LanguageDetection {
  const method = options.method ?? 'combined';
  const model =
    method === 'combined' ? LANGUAGE_ID_MODEL : method === 'fasttext' ? 'fasttext-lid.176' : 'cld3';
  if (!votes) {
    return {
      ...UNDETERMINED,
      reliable: false,
      alternatives: [],
      votes: { fasttext: null, cld3: null },
      model,
    };
  }
  const c = options.calibration ?? DEFAULT_LANGUAGE_ID_CALIBRATION;
  const ft = new Map(votes.fasttext.map((l) => [l.iso3, l]));
  const c3 = new Map(votes.cld3.map((l) => [l.iso3, l]));
  // CLD3 is weak on a few words and strong on sentences: its weight grows with the text.
  const cld3Weight =
    method === 'cld3'
      ? 1
      : method === 'fasttext'
        ? 0
        : Math.min(c.cld3Weight.max, Math.max(c.cld3Weight.min, votes.letters / c.cld3Weight.perLetters));
  const fasttextWeight = method === 'cld3' ? 0 : 1;
  const scores: DetectedLanguage[] = [];
  for (const iso3 of new Set([...ft.keys(), ...c3.keys()])) {
    const a = ft.get(iso3);
    const b = c3.get(iso3);
    // A model that does not know the language abstains: its weight only partly counts against it.
    const wa = fasttextWeight * (knownToFasttext(iso3) ? 1 : c.abstention);
    const wb = cld3Weight * (CLD3_LANGUAGES.has(iso3) ? 1 : c.abstention);
    const total = wa + wb;
    if (total === 0) continue;
    const confidence = (fasttextWeight * (a?.confidence ?? 0) + cld3Weight * (b?.confidence ?? 0)) / total;
    scores.push({ ...(a ?? b)!, confidence: round(Math.min(1, confidence)) });
  }
  scores.sort((x, y) => y.confidence - x.confidence);
  const best = scores[0] ?? UNDETERMINED;
  const fasttextTop = top(ft);
  const cld3Top = top(c3);
  const single = method !== 'combined' || !knownToFasttext(best.iso3) || !CLD3_LANGUAGES.has(best.iso3);
  const agree = fasttextTop?.iso3 === best.iso3 && cld3Top?.iso3 === best.iso3;
  // With one model, that model's own probability is what was calibrated.
  const fromFasttext = single && ft.has(best.iso3);
  const evidence: ReliabilityEvidence = {
    basis: single ? (fromFasttext ? 'fasttext' : 'cld3') : agree ? 'agree' : 'disagree',
    confidence: single ? ((fromFasttext ? ft : c3).get(best.iso3)?.confidence ?? 0) : best.confidence,
    runnerUp: best.confidence > 0 ? (scores[1]?.confidence ?? 0) / best.confidence : 1,
    letters: votes.letters,
  };
  options.onEvidence?.(evidence);
  const reliable = best.iso3 !== 'und' && isReliable(evidence, c.reliable);
  return {
    ...best,
    reliable,
    alternatives: scores.slice(1, 1 + (options.maxAlternatives ?? 3)),
    votes: { fasttext: fasttextTop, cld3: cld3Top },
    model,
  };
}

/** What `reliable` is decided from. */
export interface ReliabilityEvidence {
  /** Both models put the answer first, they disagree, or only one model knows the language (or runs). */
  readonly basis: 'agree' | 'disagree' | 'fasttext' | 'cld3';
  /** The combined confidence, or the one model's own probability. */
  readonly confidence: number;
  /** Runner-up's combined confidence over the answer's. */
  readonly runnerUp: number;
  readonly letters: number;
}

export function isReliable(e: ReliabilityEvidence, r: LanguageIdCalibration['reliable']): boolean {
  const threshold =
    e.basis === 'agree'
      ? r.agree
      : e.basis === 'disagree'
        ? r.disagree
        : e.basis === 'fasttext'
          ? r.singleModel.fasttext
          : r.singleModel.cld3;
  return e.letters >= r.minLetters && e.confidence >= threshold && e.runnerUp < r.margin;
}

let fasttextLanguages: ReadonlySet<string> | null = null;

/** Languages lid.176 knows (read from the model once it is loaded). */
function knownToFasttext(iso3: string): boolean {
  return fasttextLanguages ? fasttextLanguages.has(iso3) : true;
}

function add(map: Map<string, DetectedLanguage>, language: DetectedLanguage): void {
  const previous = map.get(language.iso3);
  map.set(language.iso3, { ...language, confidence: language.confidence + (previous?.confidence ?? 0) });
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
