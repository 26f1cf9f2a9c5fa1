import type {
  Comparator,
  Condition,
  FormatterArg,
  FormatterCall,
  Literal,
  Loc,
  Operand,
  PathRef,
  Special,
  TemplateIssue,
  TemplateNode,
} from './ast.js';

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
const SPECIALS = new Set<string>(['@index', '@number', '@first', '@last', '@count']);
const SEGMENT = /^(?:[A-Za-z_][A-Za-z0-9_-]*|\d+)$/;

interface RawText {
  kind: 'text';
  value: string;
  loc: Loc;
}
interface RawTag {
  kind: 'tag';
  content: string;
  loc: Loc;
}
type Raw = RawText | RawTag;

function locAt(source: string, offset: number): Loc {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset; i++) {
    if (source[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col, offset };
}

function issue(message: string, loc: Loc, code: TemplateIssue['code'] = 'syntax'): TemplateIssue {
  return { code, severity: 'error', message, line: loc.line, column: loc.column };
}

function lex(source: string, issues: TemplateIssue[]): Raw[] {
  const out: Raw[] = [];
  let i = 0;
  let textStart = 0;
  let text = '';
  while (i < source.length) {
    if (source.startsWith('\\{{', i)) {
      text += '{{';
      i += 3;
      continue;
    }
    if (source.startsWith('{{', i)) {
      if (text) out.push({ kind: 'text', value: text, loc: locAt(source, textStart) });
      text = '';
      const close = source.indexOf('}}', i + 2);
      const loc = locAt(source, i);
      if (close < 0) {
        issues.push(issue("unclosed tag: '{{' without a matching '}}'", loc));
        return out;
      }
      const content = source.slice(i + 2, close);
      if (content.includes('{{')) issues.push(issue("'{{' inside a tag: a tag was not closed", loc));
      out.push({ kind: 'tag', content: content.trim(), loc });
      i = close + 2;
      textStart = i;
      continue;
    }
    if (source.startsWith('}}', i))
      issues.push(issue("stray '}}' without an opening '{{'", locAt(source, i)));
    if (!text) textStart = i;
    text += source[i];
    i++;
  }
  if (text) out.push({ kind: 'text', value: text, loc: locAt(source, textStart) });
  return out;
}

function isBlockTag(content: string): boolean {
  return /^[#/!]/.test(content) || content === 'else';
}

/** A block tag alone on its line removes the whole line (its indentation and newline). */
function stripStandalone(raw: Raw[]): void {
  // Decide on the original texts first: stripping one tag's line must not change the next tag's decision.
  const original = raw.map((r) => (r.kind === 'text' ? r.value : null));
  const standalone: number[] = [];
  for (let k = 0; k < raw.length; k++) {
    const t = raw[k];
    if (t.kind !== 'tag' || !isBlockTag(t.content)) continue;
    const prev = original[k - 1];
    const next = original[k + 1];
    const beforeOk =
      k === 0 ||
      (typeof prev === 'string' && (/\n[ \t]*$/.test(prev) || (k - 1 === 0 && /^[ \t]*$/.test(prev))));
    const afterOk =
      k === raw.length - 1 ||
      (typeof next === 'string' &&
        (/^[ \t]*\r?\n/.test(next) || (k + 1 === raw.length - 1 && /^[ \t]*$/.test(next))));
    if (beforeOk && afterOk) standalone.push(k);
  }
  for (const k of standalone) {
    const prev = raw[k - 1];
    const next = raw[k + 1];
    if (prev?.kind === 'text') prev.value = prev.value.replace(/[ \t]*$/, '');
    if (next?.kind === 'text') next.value = next.value.replace(/^[ \t]*\r?\n?/, '');
  }
}

export function parsePath(raw: string, loc: Loc, issues: TemplateIssue[]): PathRef | undefined {
  const s = raw.trim();
  if (SPECIALS.has(s)) return { raw: s, segments: [], special: s as Special };
  if (s === 'this' || s === '.') return { raw: 'this', segments: [] };
  const body = s.startsWith('this.') ? s.slice(5) : s;
  const segments = body.replace(/\[(\d+)\]/g, '.$1').split('.');
  for (const seg of segments) {
    if (!SEGMENT.test(seg)) {
      issues.push(issue(`invalid field path '${s}'`, loc));
      return undefined;
    }
    if (FORBIDDEN.has(seg)) {
      issues.push(issue(`field name '${seg}' is not allowed`, loc));
      return undefined;
    }
  }
  return { raw: s, segments };
}

/** Split on whitespace outside quotes. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  const re = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s]+/g;
  for (const m of s.matchAll(re)) out.push(m[0]);
  return out;
}

function parseLiteral(tok: string): Literal | undefined {
  if (/^-?\d+(?:\.\d+)?$/.test(tok)) return { kind: 'literal', value: Number(tok) };
  if (/^"(?:[^"\\]|\\.)*"$|^'(?:[^'\\]|\\.)*'$/.test(tok)) return { kind: 'literal', value: unquote(tok) };
  if (tok === 'true' || tok === 'false') return { kind: 'literal', value: tok === 'true' };
  if (tok === 'null') return { kind: 'literal', value: null };
  return undefined;
}

function unquote(tok: string): string {
  return tok.slice(1, -1).replace(/\\(.)/g, '$1');
}

function parseOperand(tok: string, loc: Loc, issues: TemplateIssue[]): Operand | undefined {
  const lit = parseLiteral(tok);
  if (lit) return lit;
  const path = parsePath(tok, loc, issues);
  return path ? { kind: 'path', path } : undefined;
}

function parseCondition(expr: string, loc: Loc, issues: TemplateIssue[]): Condition | undefined {
  const toks = splitArgs(expr);
  let negate = false;
  if (toks[0] === 'not') {
    negate = true;
    toks.shift();
  }
  if (toks.length === 1) {
    const left = parseOperand(toks[0], loc, issues);
    return left ? { negate, left } : undefined;
  }
  if (toks.length === 3 && ['==', '!=', '>', '<', '>=', '<='].includes(toks[1])) {
    const left = parseOperand(toks[0], loc, issues);
    const right = parseOperand(toks[2], loc, issues);
    return left && right ? { negate, left, op: toks[1] as Comparator, right } : undefined;
  }
  issues.push(
    issue(
      `invalid condition '${expr}': use 'field', 'not field' or 'a OP b' with OP one of == != > < >= <=`,
      loc,
    ),
  );
  return undefined;
}

/** "path | fmt:arg:'x' | fmt2" */
function parseOutput(content: string, loc: Loc, issues: TemplateIssue[]): TemplateNode | undefined {
  const parts = splitPipes(content);
  const path = parsePath(parts[0] ?? '', loc, issues);
  if (!path) return undefined;
  const formatters: FormatterCall[] = [];
  for (const p of parts.slice(1)) {
    const pieces = splitColons(p.trim());
    const name = pieces[0]?.trim() ?? '';
    if (!/^[a-zA-Z][\w]*$/.test(name)) {
      issues.push(issue(`invalid formatter '${p.trim()}'`, loc));
      return undefined;
    }
    const args: FormatterArg[] = [];
    for (const a of pieces.slice(1)) {
      const t = a.trim();
      const lit = parseLiteral(t);
      if (lit && (typeof lit.value === 'string' || typeof lit.value === 'number')) args.push(lit.value);
      else if (/^[A-Za-z_@][\w.\[\]-]*$/.test(t)) {
        // A bare name is a field: {{revenue | money:currency}}.
        const path = parsePath(t, loc, issues);
        if (!path) return undefined;
        args.push({ path });
      } else {
        issues.push(
          issue(
            `invalid argument '${t}' for formatter '${name}': quote text ("..."), or name a field`,
            loc,
            'bad_argument',
          ),
        );
        return undefined;
      }
    }
    formatters.push({ name, args, loc });
  }
  return { type: 'output', path, formatters, loc };
}

function splitOutside(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      cur += ch;
      if (ch === '\\' && i + 1 < s.length) cur += s[++i];
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
    } else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
const splitPipes = (s: string) => splitOutside(s, '|').map((x) => x.trim());
const splitColons = (s: string) => splitOutside(s, ':');

interface Frame {
  kind: 'if' | 'unless' | 'each' | 'root';
  node?: TemplateNode;
  target: TemplateNode[];
  inElse: boolean;
  loc: Loc;
}

/** Parse a template into its syntax tree; syntax problems are returned as issues (never thrown). */
export function parseTemplate(source: string): { nodes: TemplateNode[]; issues: TemplateIssue[] } {
  const issues: TemplateIssue[] = [];
  const raw = lex(source, issues);
  stripStandalone(raw);
  const root: TemplateNode[] = [];
  const stack: Frame[] = [
    { kind: 'root', target: root, inElse: false, loc: { line: 1, column: 1, offset: 0 } },
  ];
  const top = () => stack[stack.length - 1];
  for (const t of raw) {
    if (t.kind === 'text') {
      if (t.value) top().target.push({ type: 'text', value: t.value, loc: t.loc });
      continue;
    }
    const c = t.content;
    if (c === '') {
      issues.push(issue('empty tag {{}}', t.loc));
      continue;
    }
    if (c.startsWith('!')) continue;
    const block = /^#(if|unless|each)\b\s*(.*)$/s.exec(c);
    if (block) {
      const [, kind, expr] = block;
      if (!expr.trim()) {
        issues.push(issue(`{{#${kind}}} needs ${kind === 'each' ? 'a list field' : 'a condition'}`, t.loc));
        continue;
      }
      let node: TemplateNode | undefined;
      if (kind === 'each') {
        const path = parsePath(expr, t.loc, issues);
        if (path) node = { type: 'each', path, body: [], otherwise: [], loc: t.loc };
      } else {
        const condition = parseCondition(expr, t.loc, issues);
        if (condition)
          node = { type: 'if', unless: kind === 'unless', condition, then: [], otherwise: [], loc: t.loc };
      }
      // Keep parsing the block even when its header is invalid, so later errors are still found.
      const placeholder: TemplateNode = node ?? {
        type: 'if',
        unless: false,
        condition: { negate: false, left: { kind: 'literal', value: false } },
        then: [],
        otherwise: [],
        loc: t.loc,
      };
      if (node) top().target.push(node);
      stack.push({
        kind: kind as Frame['kind'],
        node: placeholder,
        target:
          placeholder.type === 'each' ? placeholder.body : (placeholder as { then: TemplateNode[] }).then,
        inElse: false,
        loc: t.loc,
      });
      continue;
    }
    if (c === 'else') {
      const f = top();
      if (f.kind === 'root')
        issues.push(issue('{{else}} outside of {{#if}}, {{#unless}} or {{#each}}', t.loc));
      else if (f.inElse)
        issues.push(issue(`second {{else}} in the {{#${f.kind}}} opened at line ${f.loc.line}`, t.loc));
      else {
        f.inElse = true;
        f.target = (f.node as { otherwise: TemplateNode[] }).otherwise;
      }
      continue;
    }
    const close = /^\/(if|unless|each)\s*$/.exec(c);
    if (close) {
      const f = top();
      if (f.kind === 'root')
        issues.push(issue(`{{/${close[1]}}} without an opening {{#${close[1]}}}`, t.loc));
      else if (f.kind !== close[1]) {
        issues.push(
          issue(
            `{{/${close[1]}}} closes the {{#${f.kind}}} opened at line ${f.loc.line}, column ${f.loc.column}`,
            t.loc,
          ),
        );
        stack.pop();
      } else stack.pop();
      continue;
    }
    if (/^[#/]/.test(c)) {
      issues.push(issue(`unknown block '{{${c}}}': blocks are #if, #unless, #each`, t.loc));
      continue;
    }
    const out = parseOutput(c, t.loc, issues);
    if (out) top().target.push(out);
  }
  for (const f of stack.slice(1).reverse())
    issues.push(issue(`{{#${f.kind}}} opened here is never closed (add {{/${f.kind}}})`, f.loc));
  return { nodes: root, issues };
}
