import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SpeechError } from '../errors.js';
import { POCKETSPHINX_MODEL_DIR } from '../recognition/pocketsphinx/recognizer.js';
import { normalizeText, spokenWords } from '../text/normalize.js';
import { splitParagraphs, splitSentences } from '../text/sentences.js';
import { runProcess } from '../util/process.js';
import { writeArpa } from './arpa.js';
import { formatDictionary, parseDictionary, parsePhones, type Pronunciations } from './dictionary.js';
import { BOS, EOS, estimateModel } from './estimate.js';
import { espeakPronunciations, ruleBasedPhones } from './g2p.js';
import { ensureGeneralArpa, loadNgramModel } from './general.js';
import { estimateLambda, interpolateModels } from './interpolate.js';
import { counts, logProb2, logProb3, wordIndex, type NgramModel } from './model.js';

export interface GlossaryTerm {
  /** A name or term as written: "Kennedy", "Dlamini-Zuma", "White House". */
  term: string;
  /** Its pronunciation in CMU phones ("K EH1 N AH0 D IY0"), for single-word terms. Otherwise derived. */
  phones?: string | string[];
  /** How many times the term is added to the training text as a sentence of its own. Default 3. */
  weight?: number;
}

export interface NewsroomModelOptions {
  /** Article texts (any length; numbers, dates and abbreviations are normalised to words). */
  texts: Iterable<string>;
  glossary?: readonly GlossaryTerm[];
  /** Directory for the model files (created). */
  outDir: string;
  /** File stem and registry name. Default "newsroom". */
  name?: string;
  /** Weight of the newsroom model against the general one; "auto" (default) estimates it by EM on held-out text. */
  lambda?: number | 'auto';
  /** n-gram order, 1-3. Default 3. */
  order?: number;
  /** The general model (ARPA or sphinx trie binary). Default: en-us.lm.bin via its cached ARPA conversion. */
  generalModel?: string;
  /** Base pronunciation dictionary. Default cmudict-en-us.dict. */
  baseDictionary?: string;
  /** Convert the ARPA to sphinx binary for fast loading (needs sphinx_lm_convert). Default true. */
  binary?: boolean;
  /** Letter-to-sound for missing words: espeak-ng phonemes (default, with rules as fallback) or rules only. */
  g2p?: 'espeak' | 'rules';
  cacheDir?: string;
  /** Free-form description stored in the metadata (e.g. "oracle: includes test references"). */
  description?: string;
  /** Return the model already in outDir when its version (hash of all inputs) matches. Default false. */
  reuse?: boolean;
}

export interface NewsroomModelMetadata {
  kind: 'speech-language-model';
  engine: 'pocketsphinx';
  name: string;
  /** Content hash of every input and parameter. */
  version: string;
  /** name@version, what transcripts record as their model. */
  id: string;
  description?: string;
  createdAt: string;
  baseModel: { lm: string; dictionary: string };
  params: {
    order: number;
    lambda: number;
    lambdaSource: 'em-held-out' | 'given' | 'default';
    smoothing: 'interpolated absolute discounting';
    glossaryWeight: number;
  };
  data: { texts: number; sentences: number; tokens: number; glossaryTerms: number; sha256: string };
  counts: { adapted: number[]; inDomain: number[] };
  vocabulary: {
    inDomainWords: number;
    newWords: number;
    pronunciations: { glossary: number; espeak: number; rules: number };
  };
  metrics: {
    heldOutTokens: number;
    heldOutOovRate: number | null;
    perplexityGeneral: number | null;
    perplexityAdapted: number | null;
  };
  files: { lm: string; arpa: string; dict: string; dictExtension: string; metadata: string };
}

export interface NewsroomModel {
  /** Pass { lmPath, dictPath, id } to Recognizer.transcribe as languageModel. dictPath covers the model's words. */
  lmPath: string;
  dictPath: string;
  id: string;
  arpaPath: string;
  dictExtensionPath: string;
  metadataPath: string;
  metadata: NewsroomModelMetadata;
  /**
   * Per piece of text (a sentence, split at words the models do not know) scored out of fold in a 5-fold
   * cross-validation (20+ sentences only; not kept when a built model is reused): log10 probability under
   * the general and the adapted model, for the registry's gate.
   */
  heldOut?: HeldOutScores;
}

/** Lower-case ASCII words, accents folded; anything else is not a dictionary word. */
export function lmTokens(text: string): string[] {
  return spokenWords(text)
    .map((w) => w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase())
    .filter((w) => /^[a-z][a-z']*$/.test(w));
}

/** Texts to sentences of LM tokens: paragraphs, normalisation, sentence split. */
export function textToSentences(text: string): string[][] {
  const out: string[][] = [];
  for (const paragraph of splitParagraphs(text)) {
    for (const sentence of splitSentences(normalizeText(paragraph))) {
      const tokens = lmTokens(sentence);
      if (tokens.length > 0) out.push(tokens);
    }
  }
  return out;
}

/** Deterministic shuffle (mulberry32) so that the held-out split, and hence lambda, are reproducible. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function heldOutIds(model: NgramModel, sentences: readonly string[][]): number[][] {
  const index = wordIndex(model);
  const out: number[][] = [];
  for (const s of sentences) {
    let cur: number[] = [index.get(BOS) as number];
    for (const w of [...s, EOS]) {
      const id = index.get(w);
      if (id === undefined) {
        // An unknown word breaks the context: score the pieces around it.
        if (cur.length > 1) out.push(cur);
        cur = [];
        continue;
      }
      cur.push(id);
    }
    if (cur.length > 1) out.push(cur);
  }
  return out;
}

/** log10 probability of each held-out piece under the general and the adapted model, and its scored words. */
export interface HeldOutScores {
  general: number[];
  adapted: number[];
  words: number[];
  /** k of the k-fold cross-validation the scores come from (absent: one held-out part). */
  folds?: number;
}

function heldOutScores(
  general: NgramModel,
  inDomain: NgramModel,
  lambda: number,
  ids: number[][],
): HeldOutScores {
  const out: HeldOutScores = { general: [], adapted: [], words: [] };
  for (const s of ids) {
    let lg = 0;
    let la = 0;
    let n = 0;
    for (let i = 1; i < s.length; i++) {
      const pg =
        10 ** (i >= 2 ? logProb3(general, s[i - 2], s[i - 1], s[i]) : logProb2(general, s[i - 1], s[i]));
      const pi =
        10 ** (i >= 2 ? logProb3(inDomain, s[i - 2], s[i - 1], s[i]) : logProb2(inDomain, s[i - 1], s[i]));
      if (!(pg > 0)) continue;
      lg += Math.log10(pg);
      la += Math.log10(lambda * pi + (1 - lambda) * pg);
      n++;
    }
    if (n === 0) continue;
    out.general.push(lg);
    out.adapted.push(la);
    out.words.push(n);
  }
  return out;
}

/** Folds of the gate's cross-validation: every sentence is scored by a model built without it. */
export const HELD_OUT_FOLDS = 5;

/** Out-of-fold scores of every sentence (HELD_OUT_FOLDS folds), with the weight `lambda` chosen before. */
function crossValidated(
  general: NgramModel,
  sentences: readonly string[][],
  glossarySentences: readonly string[][],
  order: number,
  lambda: number,
): HeldOutScores {
  const out: HeldOutScores = { general: [], adapted: [], words: [], folds: HELD_OUT_FOLDS };
  for (let f = 0; f < HELD_OUT_FOLDS; f++) {
    const held = sentences.filter((_, i) => i % HELD_OUT_FOLDS === f);
    const rest = sentences.filter((_, i) => i % HELD_OUT_FOLDS !== f);
    const model = estimateModel([...rest, ...glossarySentences], { order, baseVocab: general.vocab });
    const s = heldOutScores(general, model, lambda, heldOutIds(model, held));
    out.general.push(...s.general);
    out.adapted.push(...s.adapted);
    out.words.push(...s.words);
  }
  return out;
}

function perplexities(scores: HeldOutScores) {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const n = sum(scores.words);
  return n === 0
    ? { general: null, adapted: null }
    : { general: 10 ** (-sum(scores.general) / n), adapted: 10 ** (-sum(scores.adapted) / n) };
}

/**
 * Builds a newsroom language model for pocketsphinx: a trigram model of the articles and glossary
 * (interpolated absolute discounting), linearly interpolated with the general en-us model, written as ARPA (and
 * sphinx binary), plus a dictionary with pronunciations for every word cmudict lacks, and registry metadata.
 */
export async function buildNewsroomModel(options: NewsroomModelOptions): Promise<NewsroomModel> {
  const name = options.name ?? 'newsroom';
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw new SpeechError('INVALID_INPUT', `Model name "${name}" must be letters, digits, . _ -`);
  const order = options.order ?? 3;
  const glossary = options.glossary ?? [];
  const texts = [...options.texts];
  const sentences = texts.flatMap(textToSentences);
  const glossarySentences: string[][] = [];
  let glossaryWeight = 3;
  for (const g of glossary) {
    const tokens = lmTokens(g.term);
    if (tokens.length === 0) continue;
    glossaryWeight = g.weight ?? 3;
    for (let i = 0; i < (g.weight ?? 3); i++) glossarySentences.push(tokens);
  }
  if (sentences.length + glossarySentences.length === 0) {
    throw new SpeechError('EMPTY_TEXT', 'The adaptation text and glossary hold no words.');
  }

  const generalPath = options.generalModel ?? (await ensureGeneralArpa({ cacheDir: options.cacheDir })).path;
  const baseDictPath = options.baseDictionary ?? path.join(POCKETSPHINX_MODEL_DIR, 'cmudict-en-us.dict');

  // The version is a hash of every input and parameter: the same inputs give the same model id.
  const hash = createHash('sha256');
  for (const t of texts) hash.update(t).update('\0');
  const dataSha = hash.digest('hex');
  const generalInfo = await stat(generalPath);
  const version = createHash('sha256')
    .update(
      JSON.stringify({
        dataSha,
        glossary,
        order,
        lambda: options.lambda ?? 'auto',
        general: [generalPath, generalInfo.size, generalInfo.mtimeMs],
        baseDictPath,
        g2p: options.g2p ?? 'espeak',
        binary: options.binary !== false,
      }),
    )
    .digest('hex')
    .slice(0, 16);
  const id = `${name}@${version}`;
  const at = (f: string) => path.join(options.outDir, f);
  if (options.reuse) {
    const existing = await reuseModel(at(`${name}.json`), id, options.outDir);
    if (existing) return existing;
  }

  const general = await loadNgramModel(generalPath);
  const baseDict = parseDictionary(await readFile(baseDictPath, 'utf8'));

  // Interpolation weight: EM on a held-out tenth of the articles.
  let lambda = 0.5;
  let lambdaSource: NewsroomModelMetadata['params']['lambdaSource'] = 'default';
  let scored: HeldOutScores | undefined;
  let metrics: NewsroomModelMetadata['metrics'] = {
    heldOutTokens: 0,
    heldOutOovRate: null,
    perplexityGeneral: null,
    perplexityAdapted: null,
  };
  if (typeof options.lambda === 'number') {
    if (!(options.lambda >= 0 && options.lambda <= 1))
      throw new SpeechError('INVALID_INPUT', 'lambda must be within 0..1');
    lambda = options.lambda;
    lambdaSource = 'given';
  } else if (sentences.length >= 20) {
    const mixed = shuffled(sentences, 42);
    const cut = Math.max(1, Math.floor(mixed.length / 10));
    const heldOut = mixed.slice(0, cut);
    const train = estimateModel([...mixed.slice(cut), ...glossarySentences], {
      order,
      baseVocab: general.vocab,
    });
    const ids = heldOutIds(train, heldOut);
    const em = estimateLambda(general, train, ids);
    lambda = Math.min(0.95, Math.max(0.02, em.lambda));
    lambdaSource = 'em-held-out';
    const ppl = perplexities(heldOutScores(general, train, lambda, ids));
    scored = crossValidated(general, mixed, glossarySentences, order, lambda);
    const generalIndex = wordIndex(general);
    const heldTokens = heldOut.flat();
    metrics = {
      heldOutTokens: em.tokens,
      heldOutOovRate: heldTokens.length
        ? heldTokens.filter((w) => !generalIndex.has(w)).length / heldTokens.length
        : null,
      perplexityGeneral: ppl.general === null ? null : Math.round(ppl.general * 10) / 10,
      perplexityAdapted: ppl.adapted === null ? null : Math.round(ppl.adapted * 10) / 10,
    };
  }

  const inDomain = estimateModel([...sentences, ...glossarySentences], { order, baseVocab: general.vocab });
  const adapted = interpolateModels(general, inDomain, lambda);

  // Pronunciations for words the dictionary lacks; glossary pronunciations win, then espeak-ng, then rules.
  const glossaryPhones = new Map<string, string[]>();
  for (const g of glossary) {
    if (g.phones === undefined) continue;
    const tokens = lmTokens(g.term);
    const phones = parsePhones(g.phones);
    if (tokens.length !== 1 || !phones) {
      throw new SpeechError(
        'INVALID_INPUT',
        `Glossary pronunciation for "${g.term}" must be CMU phones of one word`,
        {
          term: g.term,
        },
      );
    }
    glossaryPhones.set(tokens[0], phones);
  }
  const missing = adapted.vocab.filter(
    (w) => w !== BOS && w !== EOS && !baseDict.has(w) && !glossaryPhones.has(w),
  );
  const fromEspeak =
    options.g2p === 'rules' ? new Map<string, string[]>() : await espeakPronunciations(missing);
  const extension: Pronunciations = new Map();
  const startIndex = new Map<string, number>();
  let nRules = 0;
  for (const [w, phones] of glossaryPhones) {
    const existing = baseDict.get(w) ?? [];
    if (existing.some((p) => p.join(' ') === phones.join(' '))) continue;
    extension.set(w, [phones]);
    startIndex.set(w, existing.length);
  }
  for (const w of missing) {
    const phones = fromEspeak.get(w) ?? ruleBasedPhones(w);
    if (!fromEspeak.has(w)) nRules++;
    extension.set(w, [phones]);
  }

  // Files: write under temporary names, then rename, so a reader never sees half a model.
  await mkdir(options.outDir, { recursive: true });
  const files = {
    arpa: `${name}.arpa`,
    lm: options.binary === false ? `${name}.arpa` : `${name}.lm.bin`,
    dict: `${name}.dict`,
    dictExtension: `${name}.dict.ext`,
    metadata: `${name}.json`,
  };

  await writeArpa(adapted, `${at(files.arpa)}.tmp`, [
    `${id}: newsroom model interpolated with ${path.basename(generalPath)}, lambda ${lambda.toFixed(4)}`,
  ]);
  await rename(`${at(files.arpa)}.tmp`, at(files.arpa));
  if (options.binary !== false) {
    const tmpBin = `${at(files.lm)}.tmp`;
    const conv = await runProcess(
      'sphinx_lm_convert',
      ['-i', at(files.arpa), '-ifmt', 'arpa', '-o', tmpBin, '-ofmt', 'bin'],
      {
        timeoutMs: 900_000,
      },
    ).catch((error: unknown) => error as Error);
    if (conv instanceof Error || conv.code !== 0) {
      await rm(tmpBin, { force: true });
      files.lm = files.arpa; // pocketsphinx reads ARPA too, only slower to load
    } else {
      await rename(tmpBin, at(files.lm));
    }
  }
  const extText = formatDictionary(extension, startIndex);
  await writeFile(at(files.dictExtension), extText);
  // The recognizer's dictionary holds exactly the model's words: pocketsphinx starts slowly (tens of seconds)
  // when the dictionary is much larger than the language model's vocabulary.
  const merged: Array<[string, string[][]]> = [];
  for (const w of adapted.vocab) {
    if (w === BOS || w === EOS) continue;
    const prons = [...(baseDict.get(w) ?? []), ...(extension.get(w) ?? [])];
    if (prons.length > 0) merged.push([w, prons]);
  }
  await writeFile(at(files.dict), formatDictionary(merged));

  const metadata: NewsroomModelMetadata = {
    kind: 'speech-language-model',
    engine: 'pocketsphinx',
    name,
    version,
    id,
    description: options.description,
    createdAt: new Date().toISOString(),
    baseModel: { lm: generalPath, dictionary: baseDictPath },
    params: {
      order,
      lambda: Math.round(lambda * 10_000) / 10_000,
      lambdaSource,
      smoothing: 'interpolated absolute discounting',
      glossaryWeight,
    },
    data: {
      texts: texts.length,
      sentences: sentences.length,
      tokens: sentences.reduce((s, x) => s + x.length, 0),
      glossaryTerms: glossary.length,
      sha256: dataSha,
    },
    counts: {
      adapted: counts(adapted),
      inDomain: counts(inDomain).map((c, i) => (i === 0 ? inDomainWords(inDomain, general) : c)),
    },
    vocabulary: {
      inDomainWords: inDomainWords(inDomain, general),
      newWords: [...extension.keys()].filter((w) => !baseDict.has(w)).length,
      pronunciations: { glossary: glossaryPhones.size, espeak: missing.length - nRules, rules: nRules },
    },
    metrics,
    files,
  };
  await writeFile(at(files.metadata), JSON.stringify(metadata, null, 2) + '\n');
  return {
    lmPath: at(files.lm),
    dictPath: at(files.dict),
    id,
    arpaPath: at(files.arpa),
    dictExtensionPath: at(files.dictExtension),
    metadataPath: at(files.metadata),
    metadata,
    ...(scored ? { heldOut: scored } : {}),
  };
}

async function reuseModel(metadataPath: string, id: string, dir: string): Promise<NewsroomModel | null> {
  try {
    const metadata = JSON.parse(await readFile(metadataPath, 'utf8')) as NewsroomModelMetadata;
    if (metadata.id !== id) return null;
    const at = (f: string) => path.join(dir, f);
    for (const f of Object.values(metadata.files)) await access(at(f));
    return {
      lmPath: at(metadata.files.lm),
      dictPath: at(metadata.files.dict),
      id,
      arpaPath: at(metadata.files.arpa),
      dictExtensionPath: at(metadata.files.dictExtension),
      metadataPath,
      metadata,
    };
  } catch {
    return null;
  }
}

/** Words the in-domain model actually saw (its vocabulary also lists the general words, at probability 0). */
function inDomainWords(inDomain: NgramModel, general: NgramModel): number {
  let n = 0;
  for (let w = 0; w < inDomain.vocab.length; w++) if (inDomain.p1[w] > -90 || w >= general.vocab.length) n++;
  return n;
}
