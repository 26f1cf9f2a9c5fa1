import type { TranslationEngine } from './engines/types.js';
import { TranslateError } from './errors.js';
import { TermProtector, type Glossary } from './document/glossary.js';
import { parseHtml } from './document/html.js';
import { parseMarkdown } from './document/markdown.js';
import {
  placeholder,
  placeholderIndexes,
  placeholderPattern,
  replacePlaceholders,
  samePlaceholders,
} from './document/placeholders.js';
import { splitSentences } from './document/sentences.js';
import type { DocumentTemplate } from './document/template.js';
import { parseText } from './document/text.js';
import { detectLanguage, type LanguageDetection } from './langid/detect.js';
import { parseLanguage, type LanguageTag } from './languages.js';
import { memoryKey } from './memory/key.js';
import { bestFuzzyMatch } from './memory/fuzzy.js';
import type { MemoryEntry, MemoryMatch, TranslationMemory } from './memory/types.js';

export type DocumentFormat = 'text' | 'html' | 'markdown';

export interface TranslateProgress {
  /** Sentences done (from memory or engine) out of `total`. */
  readonly done: number;
  readonly total: number;
}

export interface TranslateDocumentInput {
  readonly text: string;
  readonly format?: DocumentFormat;
  /** Any code `parseLanguage` knows (en, eng, pt-BR ...), or 'auto' to identify the language first. */
  readonly from: string;
  readonly to: string;
  readonly engine: TranslationEngine;
  readonly glossary?: Glossary;
  /** Terms kept as they are (names, brands); matched case-sensitively as whole words. */
  readonly doNotTranslate?: readonly string[];
  /**
   * Glossary and do-not-translate terms still to be read (from a database): started at once and awaited
   * after the memory lookup, so that both round trips overlap. Used instead of `glossary`/`doNotTranslate`.
   */
  readonly loadTerms?: () => Promise<{ glossary?: Glossary; doNotTranslate?: readonly string[] }>;
  readonly memory?: TranslationMemory;
  /** Store machine output in the memory for reuse (default true when a memory is given). */
  readonly storeInMemory?: boolean;
  /**
   * Reuse an editor's correction of a nearly identical sentence when its score is at least this (0..1,
   * e.g. 0.8) and its translation can be carried over safely (see memory/fuzzy.ts). Default: exact only.
   */
  readonly fuzzyMatch?: number;
  /** Longest accepted input in characters (default 200,000). */
  readonly maxChars?: number;
  /** Sentences per engine call (default 64); progress is reported after each. */
  readonly batchSize?: number;
  readonly onProgress?: (progress: TranslateProgress) => void | Promise<void>;
}

export type SentenceOrigin = 'memory-human' | 'memory-fuzzy' | 'memory-machine' | 'engine' | 'untranslated';

/** One translated sentence, in memory-key form (markup as ⟦n⟧ from 1), for review and corrections. */
export interface TranslatedSentence {
  readonly key: string;
  readonly target: string;
  readonly origin: SentenceOrigin;
  /** How closely the memory entry used matched: 1 exact, below 1 a fuzzy match (`memory-fuzzy`); null otherwise. */
  readonly score: number | null;
  /** For a fuzzy match: the stored sentence whose (human) translation was carried over. */
  readonly matchedSource?: string;
}

export interface TranslateDocumentStats {
  /** Pieces of the document that were translated (paragraphs, headings, cells, alt texts ...). */
  readonly segments: number;
  readonly sentences: number;
  readonly memoryHits: number;
  readonly humanMemoryHits: number;
  /** Of `memoryHits`: editor's corrections of a nearly identical sentence, carried over (`fuzzyMatch`). */
  readonly fuzzyMemoryHits: number;
  readonly engineSentences: number;
  readonly engineCharacters: number;
  readonly glossaryApplied: number;
  readonly doNotTranslateApplied: number;
  /** Sentences whose markup the engine broke, translated again piece by piece. */
  readonly fallbackSentences: number;
  /** Engine identity (stored with the result). */
  readonly engine: string;
  /** Languages the text went through, e.g. ['por', 'spa', 'eng']. */
  readonly route: readonly string[];
  /** Pivot languages, null when translated directly. */
  readonly pivot: readonly string[] | null;
  readonly durationMs: number;
}

export interface TranslateDocumentResult {
  readonly text: string;
  readonly from: string;
  readonly to: string;
  readonly format: DocumentFormat;
  readonly stats: TranslateDocumentStats;
  readonly sentences: readonly TranslatedSentence[];
  /** Problems handled on the way (broken HTML, unclosed code fence ...). */
  readonly warnings: readonly string[];
  /** Set when `from` was 'auto'. */
  readonly detected: LanguageDetection | null;
}

export const DEFAULT_MAX_CHARS = 200_000;

interface SentenceJob {
  /** Sentence in local numbering (placeholders from 1). */
  readonly local: string;
  readonly key: string;
  /** local index → index in the segment */
  readonly slotMap: readonly number[];
  target: string | null;
  origin: SentenceOrigin;
  score: number | null;
  matchedSource?: string;
}

/**
 * Translates a document, keeping its markup: parse into segments (markup as placeholders), split into
 * sentences, reuse the translation memory, protect glossary and do-not-translate terms, translate the rest
 * with the engine, check that markup survived (else translate piece by piece), and render.
 */
export async function translateDocument(input: TranslateDocumentInput): Promise<TranslateDocumentResult> {
  const { text, ...rest } = input;
  const [result] = await translateDocuments({ ...rest, texts: [text] });
  return result;
}

export interface TranslateDocumentsInput extends Omit<TranslateDocumentInput, 'text'> {
  /** Documents of one format, all into `to`; with from 'auto' each one's language is identified. */
  readonly texts: readonly string[];
}

/**
 * Translates several documents as one piece of work: one memory lookup, the sentences of every document
 * to the engine together (each distinct sentence once), one memory store. Results are in the order of
 * `texts`; each has its own stats, `durationMs` being the time of the whole call.
 */
export async function translateDocuments(input: TranslateDocumentsInput): Promise<TranslateDocumentResult[]> {
  const started = Date.now();
  const format = input.format ?? 'text';
  const maxChars = input.maxChars ?? DEFAULT_MAX_CHARS;
  const many = input.texts.length > 1;
  input.texts.forEach((text, index) => {
    const which = many ? `Text ${index + 1}` : 'The text';
    if (typeof text !== 'string' || text.trim() === '') {
      throw new TranslateError(
        'EMPTY_TEXT',
        many ? `${which} is empty: there is nothing to translate.` : 'There is no text to translate.',
        many ? { index } : {},
      );
    }
    if (text.length > maxChars) {
      throw new TranslateError(
        'TEXT_TOO_LARGE',
        `${which} has ${text.length} characters; the limit is ${maxChars}. Split it into parts.`,
        { length: text.length, limit: maxChars, ...(many ? { index } : {}) },
      );
    }
  });
  const target = parseLanguage(input.to);
  const docs: ParsedDocument[] = [];
  for (const text of input.texts) {
    const template = parseDocument(text, format);
    let detected: LanguageDetection | null = null;
    if (input.from === 'auto') {
      const plain = template.segments
        .map((segment) => segment.text.replace(placeholderPattern(), ' '))
        .join('\n');
      detected = await detectLanguage(plain.trim() === '' ? text : plain);
      if (detected.iso3 === 'und')
        throw new TranslateError(
          'UNKNOWN_LANGUAGE',
          'The language of the text could not be identified: give it.',
          {},
        );
    }
    docs.push({ text, template, detected, source: parseLanguage(detected ? detected.iso3 : input.from) });
  }
  // one piece of work per source language (only 'auto' mixes them)
  const results = new Array<TranslateDocumentResult>(docs.length);
  const bySource = new Map<string, number[]>();
  docs.forEach((doc, k) => bySource.set(doc.source.iso3, [...(bySource.get(doc.source.iso3) ?? []), k]));
  for (const indexes of bySource.values()) {
    const group = await translateParsed(
      input,
      indexes.map((k) => docs[k]),
      target,
      started,
    );
    indexes.forEach((k, j) => (results[k] = group[j]));
  }
  return results;
}

interface ParsedDocument {
  readonly text: string;
  readonly template: DocumentTemplate;
  readonly detected: LanguageDetection | null;
  readonly source: LanguageTag;
}

/** Documents of one source language through memory, engine and back into their templates. */
async function translateParsed(
  input: TranslateDocumentsInput,
  docs: readonly ParsedDocument[],
  target: LanguageTag,
  started: number,
): Promise<TranslateDocumentResult[]> {
  const format = input.format ?? 'text';
  const source = docs[0].source;
  const engine = input.engine;
  const baseOf = (doc: ParsedDocument) => ({
    from: source.iso3,
    to: target.iso3,
    format,
    warnings: doc.template.warnings,
    detected: doc.detected,
  });
  if (source.iso3 === target.iso3) {
    return docs.map((doc) => ({
      ...baseOf(doc),
      text: doc.text,
      sentences: [],
      stats: emptyStats('identity', [source.iso3], Date.now() - started, doc.template.segments.length),
    }));
  }
  const pairs = await engine.pairs();
  const pair = pairs.find((p) => p.from === source.iso3 && p.to === target.iso3);
  if (!pair) {
    throw new TranslateError(
      'UNSUPPORTED_PAIR',
      `${engine.id} cannot translate ${source.name} to ${target.name}.`,
      {
        from: source.iso3,
        to: target.iso3,
        engine: engine.id,
      },
    );
  }

  // sentences of every segment of every document
  const perDoc = docs.map((doc) =>
    doc.template.segments.map((segment) =>
      splitSentences(segment.text, source.iso1).map((piece) => ({ piece, job: makeJob(piece.text) })),
    ),
  );
  const jobsOf = perDoc.map((segments) => segments.flat().map((s) => s.job));
  const jobs = jobsOf.flat();
  const total = jobs.length;
  let done = 0;
  const progress = async (): Promise<void> => {
    await input.onProgress?.({ done, total });
  };

  const termsLoading = input.loadTerms?.();
  termsLoading?.catch(() => undefined); // awaited below; not unhandled while the lookup runs

  // translation memory
  const toTranslate = jobs.filter((job) => {
    if (!/\p{L}/u.test(job.local.replace(placeholderPattern(), ''))) {
      job.target = job.local;
      job.origin = 'untranslated';
      done++;
      return false;
    }
    return true;
  });
  // fuzzy matches (an editor's correction of a nearly identical sentence, carried over): their candidates
  // are read while the exact lookup runs, so the two round trips overlap
  const minScore = input.fuzzyMatch;
  if (minScore !== undefined && minScore < 1 && !(minScore > 0)) {
    throw new TranslateError('INVALID_INPUT', `fuzzyMatch must be a score between 0 and 1, got ${minScore}`, {
      fuzzyMatch: minScore,
    });
  }
  const fuzzyLoading =
    input.memory?.fuzzyCandidates && minScore !== undefined && minScore < 1 && toTranslate.length > 0
      ? input.memory.fuzzyCandidates(
          source.iso3,
          target.iso3,
          [...new Set(toTranslate.map((job) => job.key))],
          1 / minScore,
        )
      : null;
  fuzzyLoading?.catch(() => undefined); // awaited below
  let matches = new Map<string, MemoryMatch>();
  if (input.memory && toTranslate.length > 0) {
    matches = await input.memory.lookup(source.iso3, target.iso3, [
      ...new Set(toTranslate.map((job) => job.key)),
    ]);
  }
  const terms = termsLoading ? await termsLoading : input;
  const protector = new TermProtector(terms.glossary, terms.doNotTranslate);
  const pending: SentenceJob[] = [];
  for (const job of toTranslate) {
    const match = matches.get(job.key);
    const usable =
      match &&
      samePlaceholders(job.local, match.target) &&
      (match.origin === 'human' || (match.engine === engine.id && !protector.matches(job.local)));
    if (match && usable) {
      job.target = match.target;
      job.origin = match.origin === 'human' ? 'memory-human' : 'memory-machine';
      job.score = 1;
      done++;
    } else pending.push(job);
  }
  if (fuzzyLoading && minScore !== undefined && pending.length > 0) {
    const candidates = await fuzzyLoading;
    const found = new Map<string, ReturnType<typeof bestFuzzyMatch>>();
    for (const job of pending) {
      if (!found.has(job.key)) found.set(job.key, bestFuzzyMatch(job.key, candidates, minScore));
      const fuzzy = found.get(job.key);
      if (!fuzzy || !samePlaceholders(job.local, fuzzy.adapted)) continue;
      job.target = fuzzy.adapted;
      job.origin = 'memory-fuzzy';
      job.score = fuzzy.score;
      job.matchedSource = fuzzy.source;
      done++;
    }
    pending.splice(0, pending.length, ...pending.filter((job) => job.origin !== 'memory-fuzzy'));
  }
  await progress();

  // engine, in batches of unique sentences
  let route: readonly string[] = [source.iso3, ...pair.via, target.iso3];
  let engineId = engine.id;
  const unique = [...new Map(pending.map((job) => [job.local, job])).keys()];
  const translatedByLocal = new Map<string, string>();
  /** What each distinct sentence cost, for the stats of the documents that hold it. */
  const costs = new Map<string, { chars: number; glossary: number; keep: number; fallback: boolean }>();
  const batchSize = input.batchSize ?? 64;
  for (let b = 0; b < unique.length; b += batchSize) {
    const batch = unique.slice(b, b + batchSize);
    const protectedBatch = batch.map((local) => protector.protect(local));
    const texts = protectedBatch.map((p) => p.text);
    const result = await engine.translate(texts, source.iso3, input.to);
    route = result.route;
    engineId = result.engine;
    const outputs = [...result.texts];
    // markup lost or duplicated: translate the text between placeholders piece by piece
    const broken = outputs.map((out, k) => (samePlaceholders(texts[k], out) ? -1 : k)).filter((k) => k >= 0);
    for (const k of broken) {
      outputs[k] = await translatePieces(engine, texts[k], source.iso3, input.to);
    }
    batch.forEach((local, k) => {
      translatedByLocal.set(local, TermProtector.restore(outputs[k], protectedBatch[k].terms));
      costs.set(local, {
        chars: texts[k].length,
        glossary: protectedBatch[k].glossaryHits,
        keep: protectedBatch[k].keepHits,
        fallback: broken.includes(k),
      });
    });
    const finished = pending.filter((job) => job.target === null && translatedByLocal.has(job.local));
    for (const job of finished) {
      job.target = translatedByLocal.get(job.local)!;
      job.origin = 'engine';
      done++;
    }
    await progress();
  }

  if (input.memory && (input.storeInMemory ?? true) && pending.length > 0) {
    const entries = new Map<string, MemoryEntry>();
    for (const job of pending) {
      if (job.target !== null)
        entries.set(job.key, {
          source: job.key,
          target: memoryKey(job.target),
          origin: 'machine',
          engine: engineId,
        });
    }
    await input.memory.store(source.iso3, target.iso3, [...entries.values()]);
  }

  const durationMs = Date.now() - started;
  return docs.map((doc, d) => {
    // back to segment numbering and into the template
    const translations = perDoc[d].map((sentences) =>
      sentences
        .map(
          ({ piece, job }) =>
            replacePlaceholders(job.target ?? job.local, (n) => placeholder(job.slotMap[n - 1] ?? n)) +
            piece.separator,
        )
        .join(''),
    );
    const docJobs = jobsOf[d];
    const fromMemory = docJobs.filter(
      (j) => j.origin === 'memory-human' || j.origin === 'memory-machine' || j.origin === 'memory-fuzzy',
    );
    const engineLocals = [...new Set(docJobs.filter((j) => j.origin === 'engine').map((j) => j.local))];
    const sum = (pick: (c: { chars: number; glossary: number; keep: number; fallback: boolean }) => number) =>
      engineLocals.reduce((n, local) => n + pick(costs.get(local)!), 0);
    return {
      ...baseOf(doc),
      text: doc.template.render(translations),
      sentences: docJobs.map((job) => ({
        key: job.key,
        target: job.target ?? job.local,
        origin: job.origin,
        score: job.score,
        ...(job.matchedSource ? { matchedSource: job.matchedSource } : {}),
      })),
      stats: {
        segments: doc.template.segments.length,
        sentences: docJobs.length,
        memoryHits: fromMemory.length,
        humanMemoryHits: fromMemory.filter((j) => j.origin === 'memory-human').length,
        fuzzyMemoryHits: fromMemory.filter((j) => j.origin === 'memory-fuzzy').length,
        engineSentences: engineLocals.length,
        engineCharacters: sum((c) => c.chars),
        glossaryApplied: sum((c) => c.glossary),
        doNotTranslateApplied: sum((c) => c.keep),
        fallbackSentences: sum((c) => (c.fallback ? 1 : 0)),
        engine: engineId,
        route,
        pivot: route.length > 2 ? route.slice(1, -1) : null,
        durationMs,
      },
    };
  });
}

export function parseDocument(text: string, format: DocumentFormat): DocumentTemplate {
  switch (format) {
    case 'text':
      return parseText(text);
    case 'html':
      return parseHtml(text);
    case 'markdown':
      return parseMarkdown(text);
    default: {
      const unknown: never = format;
      throw new TranslateError(
        'INVALID_INPUT',
        `Unknown format ${JSON.stringify(unknown)}: use text, html or markdown.`,
        { format: unknown },
      );
    }
  }
}

/** A sentence with its placeholders renumbered from 1 in order of appearance. */
function makeJob(sentence: string): SentenceJob {
  const slotMap = placeholderIndexes(sentence);
  let k = 0;
  const local = sentence.replace(placeholderPattern(), () => placeholder(++k));
  return { local, key: memoryKey(local), slotMap, target: null, origin: 'engine', score: null };
}

/** Translates the text between placeholders separately and keeps the placeholders where they were. */
async function translatePieces(
  engine: TranslationEngine,
  text: string,
  from: string,
  to: string,
): Promise<string> {
  const pieces = text.split(/(\u27E6\s*\d+\s*\u27E7)/);
  const indexes = pieces
    .map((piece, k) => (k % 2 === 0 && /\p{L}/u.test(piece) ? k : -1))
    .filter((k) => k >= 0);
  if (indexes.length === 0) return text;
  const result = await engine.translate(
    indexes.map((k) => pieces[k].trim()),
    from,
    to,
  );
  indexes.forEach((k, j) => {
    const lead = /^\s*/u.exec(pieces[k])![0];
    const trail = /\s*$/u.exec(pieces[k])![0];
    // a piece's own output must not bring placeholders of its own
    pieces[k] = lead + result.texts[j].replace(placeholderPattern(), '').trim() + trail;
  });
  return pieces.join('');
}

function emptyStats(
  engine: string,
  route: string[],
  durationMs: number,
  segments: number,
): TranslateDocumentStats {
  return {
    segments,
    sentences: 0,
    memoryHits: 0,
    humanMemoryHits: 0,
    fuzzyMemoryHits: 0,
    engineSentences: 0,
    engineCharacters: 0,
    glossaryApplied: 0,
    doNotTranslateApplied: 0,
    fallbackSentences: 0,
    engine,
    route,
    pivot: null,
    durationMs,
  };
}
