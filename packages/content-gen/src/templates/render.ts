import {
  TemplateError,
  type Condition,
  type Loc,
  type Operand,
  type PathRef,
  type TemplateIssue,
  type TemplateNode,
} from './ast.js';
import { defaultFormat, FORMATTERS, FormatterError } from './formatters.js';
import { parseTemplate } from './parse.js';

/** Where a number in the draft came from. */
export interface NumberProvenance {
  /** The number as it appears in the draft ("12.4"). */
  text: string;
  value: number;
  /** Input path ("earnings.revenue", "scorers[1].minute"); list positions ({{@number}}) give the item path. */
  path: string;
  start: number;
  end: number;
}

export interface RenderResult {
  text: string;
  provenance: NumberProvenance[];
  /** Numbers in the draft that no input produced (written in the template text). */
  untraced: { text: string; start: number; end: number }[];
}

export interface RenderOptions {
  /** Missing fields throw (default true); otherwise they render empty. */
  strict?: boolean;
  locale?: string;
  maxIterations?: number;
  maxLength?: number;
}

export interface CompiledTemplate {
  source: string;
  nodes: TemplateNode[];
}

/** Parse once, render many times. Throws TemplateError on syntax errors. */
export function compileTemplate(source: string): CompiledTemplate {
  const { nodes, issues } = parseTemplate(source);
  if (issues.length) throw new TemplateError(issues);
  return { source, nodes };
}

interface Scope {
  value: unknown;
  path: string;
  index?: number;
  count?: number;
}

interface Segment {
  text: string;
  path?: string;
  numberWords?: boolean;
}

const NUMBER_IN_OUTPUT = /(?<![\p{L}\p{N}])\d+(?:,\d{3})*(?:\.\d+)?/gu;
const NUMBER_WORD = /\b(?:zero|one|two|three|four|five|six|seven|eight|nine)\b/g;
const WORD_VALUES: Record<string, number> = {
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
};

function joinPath(base: string, seg: string): string {
  if (/^\d+$/.test(seg)) return `${base}[${seg}]`;
  return base ? `${base}.${seg}` : seg;
}

function own(obj: unknown, key: string): boolean {
  return obj !== null && typeof obj === 'object' && Object.prototype.hasOwnProperty.call(obj, key);
}

/** Render a template with data: the draft text plus the provenance of every number in it. */
export function renderTemplate(
  template: string | CompiledTemplate,
  data: unknown,
  options: RenderOptions = {},
): RenderResult {
  const compiled = typeof template === 'string' ? compileTemplate(template) : template;
  const strict = options.strict ?? true;
  const locale = options.locale ?? 'en-US';
  const maxIterations = options.maxIterations ?? 10_000;
  const maxLength = options.maxLength ?? 100_000;
  let iterations = 0;
  let length = 0;
  const segments: Segment[] = [];

  const fail = (code: TemplateIssue['code'], message: string, loc: Loc, path?: string): never => {
    throw new TemplateError([
      { code, severity: 'error', message, line: loc.line, column: loc.column, ...(path ? { path } : {}) },
    ]);
  };

  const lookup = (
    ref: PathRef,
    scopes: Scope[],
    loc: Loc,
  ): { value: unknown; path: string; found: boolean } => {
    const inner = scopes[scopes.length - 1];
    if (ref.special) {
      const each = [...scopes].reverse().find((s) => s.index !== undefined);
      if (!each) return fail('unknown_field', `${ref.raw} used outside {{#each}}`, loc, ref.raw);
      const i = each.index!;
      const n = each.count!;
      const value = { '@index': i, '@number': i + 1, '@first': i === 0, '@last': i === n - 1, '@count': n }[
        ref.special
      ];
      return { value, path: each.path, found: true };
    }
    if (ref.segments.length === 0) return { value: inner.value, path: inner.path, found: true };
    let scope: Scope | undefined;
    for (let i = scopes.length - 1; i >= 0; i--) {
      if (own(scopes[i].value, ref.segments[0])) {
        scope = scopes[i];
        break;
      }
    }
    if (!scope) return { value: undefined, path: joinPath(inner.path, ref.raw), found: false };
    let value: unknown = scope.value;
    let path = scope.path;
    for (const seg of ref.segments) {
      if (!own(value, seg)) return { value: undefined, path: joinPath(path, seg), found: false };
      value = (value as Record<string, unknown>)[seg];
      path = joinPath(path, seg);
    }
    return { value, path, found: value !== undefined && value !== null };
  };

  const operand = (op: Operand, scopes: Scope[], loc: Loc): unknown =>
    op.kind === 'literal' ? op.value : lookup(op.path, scopes, loc).value;

  const truthy = (v: unknown) =>
    !(
      v === undefined ||
      v === null ||
      v === false ||
      v === 0 ||
      v === '' ||
      (Array.isArray(v) && v.length === 0)
    );

  const test = (c: Condition, scopes: Scope[], loc: Loc): boolean => {
    const left = operand(c.left, scopes, loc);
    let result: boolean;
    if (!c.op || c.right === undefined) result = truthy(left);
    else {
      const right = operand(c.right, scopes, loc);
      const [a, b] =
        typeof left === 'number' || typeof right === 'number'
          ? [Number(left), Number(right)]
          : [String(left), String(right)];
      switch (c.op) {
        case '==':
          result = a === b;
          break;
        case '!=':
          result = a !== b;
          break;
        case '>':
          result = a > b;
          break;
        case '<':
          result = a < b;
          break;
        case '>=':
          result = a >= b;
          break;
        case '<=':
          result = a <= b;
          break;
      }
    }
    return c.negate ? !result : result;
  };

  const emit = (seg: Segment, loc: Loc) => {
    length += seg.text.length;
    if (length > maxLength) fail('limit', `draft longer than ${maxLength} characters`, loc);
    segments.push(seg);
  };

  const run = (nodes: TemplateNode[], scopes: Scope[]) => {
    for (const n of nodes) {
      switch (n.type) {
        case 'text':
          emit({ text: n.value }, n.loc);
          break;
        case 'output': {
          const { value, path, found } = lookup(n.path, scopes, n.loc);
          const hasDefault = n.formatters.some((f) => f.name === 'default');
          if (!found && !hasDefault) {
            if (strict) fail('missing_field', `missing field '${n.path.raw}' (${path})`, n.loc, path);
            break;
          }
          let v: unknown = value;
          try {
            for (const f of n.formatters) {
              const spec = FORMATTERS[f.name];
              if (!spec) fail('unknown_formatter', `unknown formatter '${f.name}'`, f.loc, path);
              const args = f.args.map((a) =>
                typeof a === 'object' ? lookup(a.path, scopes, f.loc).value : a,
              );
              v = spec.apply(v, args as (string | number | undefined)[], { locale });
            }
            const text = typeof v === 'string' ? v : defaultFormat(v, locale);
            emit(
              {
                text,
                path: found ? path : undefined,
                numberWords: n.formatters.some((f) => f.name === 'words'),
              },
              n.loc,
            );
          } catch (e) {
            if (e instanceof FormatterError) fail('type_mismatch', `${e.message} at '${path}'`, n.loc, path);
            throw e;
          }
          break;
        }
        case 'if':
          run(test(n.condition, scopes, n.loc) !== n.unless ? n.then : n.otherwise, scopes);
          break;
        case 'each': {
          const { value, path, found } = lookup(n.path, scopes, n.loc);
          if (!found) {
            if (strict) fail('missing_field', `missing list '${n.path.raw}' (${path})`, n.loc, path);
            run(n.otherwise, scopes);
            break;
          }
          if (!Array.isArray(value)) fail('not_a_list', `'${n.path.raw}' is not a list`, n.loc, path);
          const list = value as unknown[];
          if (list.length === 0) run(n.otherwise, scopes);
          list.forEach((item, index) => {
            if (++iterations > maxIterations)
              fail('limit', `more than ${maxIterations} loop iterations`, n.loc, path);
            run(n.body, [...scopes, { value: item, path: `${path}[${index}]`, index, count: list.length }]);
          });
          break;
        }
      }
    }
  };
  run(compiled.nodes, [{ value: data, path: '' }]);

  // Raw text and number spans, then whitespace normalisation with an offset map.
  let raw = '';
  const spans: { start: number; end: number; text: string; value: number; path: string }[] = [];
  for (const seg of segments) {
    if (seg.path !== undefined) {
      for (const m of seg.text.matchAll(NUMBER_IN_OUTPUT)) {
        const start = raw.length + (m.index ?? 0);
        spans.push({
          start,
          end: start + m[0].length,
          text: m[0],
          value: Number(m[0].replace(/,/g, '')),
          path: seg.path,
        });
      }
      if (seg.numberWords) {
        for (const m of seg.text.matchAll(NUMBER_WORD)) {
          const start = raw.length + (m.index ?? 0);
          spans.push({
            start,
            end: start + m[0].length,
            text: m[0],
            value: WORD_VALUES[m[0]],
            path: seg.path,
          });
        }
      }
    }
    raw += seg.text;
  }
  const { text, map } = normalizeWhitespace(raw);
  const provenance = spans
    .map((s) => ({ ...s, start: map[s.start], end: map[s.end - 1] + 1 }))
    .filter((s) => s.start >= 0 && text.slice(s.start, s.end) === s.text)
    .sort((a, b) => a.start - b.start);
  const untraced: RenderResult['untraced'] = [];
  for (const m of text.matchAll(NUMBER_IN_OUTPUT)) {
    const start = m.index ?? 0;
    if (!provenance.some((p) => p.start <= start && start < p.end))
      untraced.push({ text: m[0], start, end: start + m[0].length });
  }
  return { text, provenance, untraced };
}

/**
 * Prose clean-up: collapse runs of spaces, drop spaces before punctuation and at line ends, at most one blank
 * line, trim. Returns the new text and, for each raw index, its index in the new text (-1 when removed).
 */
function normalizeWhitespace(raw: string): { text: string; map: number[] } {
  // Iterate by code point, keeping UTF-16 offsets.
  let offset = 0;
  const chars = [...raw].map((ch) => {
    const c = { ch, i: offset };
    offset += ch.length;
    return c;
  });
  const keep: typeof chars = [];
  for (let k = 0; k < chars.length; k++) {
    const { ch } = chars[k];
    const prev = keep[keep.length - 1]?.ch;
    if (ch === ' ' || ch === '\t') {
      if (prev === undefined || prev === ' ' || prev === '\n') continue;
      const next = chars[k + 1]?.ch;
      if (
        next === undefined ||
        next === '\n' ||
        next === ' ' ||
        next === '\t' ||
        (next !== undefined && /[,.;:!?)%]/.test(next))
      )
        continue;
      keep.push({ ch: ' ', i: chars[k].i });
      continue;
    }
    if (ch === '\n') {
      while (keep.length && keep[keep.length - 1].ch === ' ') keep.pop();
      const n = keep.length;
      if (n === 0 || (keep[n - 1].ch === '\n' && keep[n - 2]?.ch === '\n')) continue;
      keep.push(chars[k]);
      continue;
    }
    keep.push(chars[k]);
  }
  while (keep.length && /\s/.test(keep[keep.length - 1].ch)) keep.pop();
  const map = new Array<number>(raw.length + 1).fill(-1);
  let text = '';
  for (const c of keep) {
    for (let j = 0; j < c.ch.length; j++) map[c.i + j] = text.length + j;
    text += c.ch;
  }
  return { text, map };
}
