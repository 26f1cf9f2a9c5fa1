import { normalizeLang, type Lang, stopwords } from '@media-ai/text';
import { extractEntities } from '../nlp/entities.js';
import { extractNumbers, numberSupported } from '../text/numbers.js';
import { wordTokens } from '../text/tokenize.js';
import { applyGlossary, termRegex, type BannedTerm, type Glossary, type SpellingFix } from './glossary.js';

export type GuardrailPolicy = 'flag' | 'reject';

export interface GuardrailOptions {
  /** 'flag' reports problems and keeps the text; 'reject' marks it unusable. Default 'flag'. */
  policy?: GuardrailPolicy;
  glossary?: Glossary;
  /** Extra banned terms (added to the glossary's). */
  bannedTerms?: (string | BannedTerm)[];
  maxChars?: number;
  minChars?: number;
  /** Check numbers against the source (default true). */
  checkNumbers?: boolean;
  /** Check names of people, places, organisations against the source (default true). */
  checkEntities?: boolean;
  /** Replace variants by preferred spellings (default true); when false they are flagged. */
  applySpellings?: boolean;
  lang?: Lang | string;
}

export type GuardrailIssueKind =
  'unsupported_number' | 'unsupported_entity' | 'banned_term' | 'too_long' | 'too_short' | 'spelling';

export interface GuardrailIssue {
  kind: GuardrailIssueKind;
  /** 'error' fails the check; 'info' is a correction already applied. */
  severity: 'error' | 'info';
  message: string;
  /** The offending text, when there is one. */
  text?: string;
  start?: number;
  end?: number;
  suggestion?: string;
}

export interface GuardrailReport {
  passed: boolean;
  action: 'pass' | 'flag' | 'reject';
  policy: GuardrailPolicy;
  /** The text after preferred spellings were applied. */
  text: string;
  original: string;
  issues: GuardrailIssue[];
  unsupportedNumbers: string[];
  unsupportedEntities: string[];
  bannedTerms: string[];
  spellingFixes: SpellingFix[];
}

function normToken(s: string): string {
  return s
    .toLowerCase()
    .replace(/[’']s$/u, '')
    .replace(/\./g, '');
}

/** Check generated text against its source and the newsroom's rules. */
export function checkGeneratedText(
  text: string,
  source: string,
  options: GuardrailOptions = {},
): GuardrailReport {
  const policy = options.policy ?? 'flag';
  const lang = normalizeLang(options.lang);
  const issues: GuardrailIssue[] = [];

  const applySpellings = options.applySpellings ?? true;
  const { text: corrected, fixes } = applyGlossary(text, options.glossary);
  const out = applySpellings ? corrected : text;
  for (const f of fixes) {
    issues.push({
      kind: 'spelling',
      severity: applySpellings ? 'info' : 'error',
      message: applySpellings
        ? `replaced "${f.from}" with the preferred "${f.to}"`
        : `use the preferred spelling "${f.to}" instead of "${f.from}"`,
      text: f.from,
      start: f.start,
      end: f.end,
      suggestion: f.to,
    });
  }

  // Hashtags and links are not claims: blank them (same length, offsets kept) before the fact checks.
  const claims = out.replace(/https?:\/\/\S+|#[\p{L}\p{N}_]+/gu, (m) => ' '.repeat(m.length));

  const unsupportedNumbers: string[] = [];
  if (options.checkNumbers ?? true) {
    const sourceNumbers = extractNumbers(source, lang);
    for (const n of extractNumbers(claims, lang)) {
      if (n.ambiguous) continue;
      if (numberSupported(n, sourceNumbers)) continue;
      unsupportedNumbers.push(n.raw);
      issues.push({
        kind: 'unsupported_number',
        severity: 'error',
        message: `number "${n.raw}" does not appear in the source`,
        text: n.raw,
        start: n.start,
        end: n.end,
      });
    }
  }

  const unsupportedEntities: string[] = [];
  if (options.checkEntities ?? true) {
    // The source with preferred spellings applied too: "Kyiv" in the output is supported by "Kiev" in the source.
    const sourceTokens = new Set(
      wordTokens(`${source}\n${applyGlossary(source, options.glossary).text}`).map((t) => normToken(t.text)),
    );
    const stop = stopwords(lang);
    for (const e of extractEntities(claims, { lang })) {
      const tokens = wordTokens(e.text)
        .map((t) => normToken(t.text))
        .filter((t) => t && !stop.has(t));
      const missing = tokens.filter((t) => !sourceTokens.has(t));
      if (missing.length === 0) continue;
      unsupportedEntities.push(e.text);
      const m = e.mentions[0];
      issues.push({
        kind: 'unsupported_entity',
        severity: 'error',
        message: `${e.type === 'misc' ? 'name' : e.type} "${e.text}" is not in the source`,
        text: e.text,
        ...(m ? { start: m.start, end: m.end } : {}),
      });
    }
  }

  const banned = [
    ...(options.glossary?.banned ?? []),
    ...(options.bannedTerms ?? []).map((b) => (typeof b === 'string' ? { term: b } : b)),
  ];
  const bannedFound: string[] = [];
  for (const b of banned) {
    for (const m of out.matchAll(termRegex(b.term))) {
      bannedFound.push(m[0]);
      issues.push({
        kind: 'banned_term',
        severity: 'error',
        message: `banned term "${m[0]}"${b.reason ? `: ${b.reason}` : ''}`,
        text: m[0],
        start: m.index ?? 0,
        end: (m.index ?? 0) + m[0].length,
        ...(b.replacement ? { suggestion: b.replacement } : {}),
      });
    }
  }

  if (options.maxChars !== undefined && out.length > options.maxChars) {
    issues.push({
      kind: 'too_long',
      severity: 'error',
      message: `${out.length} characters, limit ${options.maxChars}`,
    });
  }
  if (options.minChars !== undefined && out.length < options.minChars) {
    issues.push({
      kind: 'too_short',
      severity: 'error',
      message: `${out.length} characters, minimum ${options.minChars}`,
    });
  }

  const passed = !issues.some((i) => i.severity === 'error');
  return {
    passed,
    action: passed ? 'pass' : policy,
    policy,
    text: out,
    original: text,
    issues,
    unsupportedNumbers,
    unsupportedEntities,
    bannedTerms: bannedFound,
    spellingFixes: fixes,
  };
}
