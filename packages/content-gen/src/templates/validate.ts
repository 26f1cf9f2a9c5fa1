import type { Condition, FormatterCall, Loc, Operand, PathRef, TemplateIssue, TemplateNode } from './ast.js';
import { FORMATTERS, type ValueKind } from './formatters.js';
import { parseTemplate } from './parse.js';
import { scalarOf, type FieldSchema } from './schema.js';

export interface ValidationResult {
  ok: boolean;
  /** Errors and warnings, in template order. */
  issues: TemplateIssue[];
}

interface Scope {
  schema: FieldSchema;
  inEach: boolean;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i][j] = Math.min(
        dp[i - 1][j] + 1,
        dp[i][j - 1] + 1,
        dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return dp[a.length][b.length];
}

function suggestion(name: string, keys: string[]): string {
  const best = keys
    .map((k) => [k, editDistance(name.toLowerCase(), k.toLowerCase())] as const)
    .sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean '${best[0]}'?)` : '';
}

/** Check a template: syntax, fields against the schema, formatters and their arguments, untraceable numbers. */
export function validateTemplate(source: string, options: { schema?: FieldSchema } = {}): ValidationResult {
  const { nodes, issues } = parseTemplate(source);
  const add = (
    code: TemplateIssue['code'],
    message: string,
    loc: Loc,
    path?: string,
    severity: TemplateIssue['severity'] = 'error',
  ) =>
    issues.push({ code, severity, message, line: loc.line, column: loc.column, ...(path ? { path } : {}) });

  const resolve = (ref: PathRef, scopes: Scope[], loc: Loc): FieldSchema | undefined => {
    if (ref.special) {
      if (!scopes.some((s) => s.inEach))
        add('unknown_field', `${ref.raw} can only be used inside {{#each}}`, loc, ref.raw);
      return ref.special === '@first' || ref.special === '@last' ? 'boolean' : 'number';
    }
    if (!options.schema) return 'any';
    if (ref.segments.length === 0) return scopes[scopes.length - 1].schema;
    // Innermost scope that has the first segment.
    let base: FieldSchema | undefined;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const s = scopes[i].schema;
      if (s === 'any' || s === 'any?') return 'any';
      if (
        typeof s === 'object' &&
        !Array.isArray(s) &&
        Object.prototype.hasOwnProperty.call(s, ref.segments[0])
      ) {
        base = s;
        break;
      }
    }
    if (!base) {
      const keys = scopes.flatMap((s) =>
        typeof s.schema === 'object' && !Array.isArray(s.schema) ? Object.keys(s.schema) : [],
      );
      add('unknown_field', `unknown field '${ref.raw}'${suggestion(ref.segments[0], keys)}`, loc, ref.raw);
      return undefined;
    }
    let cur: FieldSchema = base;
    for (const seg of ref.segments) {
      if (Array.isArray(cur)) {
        if (!/^\d+$/.test(seg)) {
          add(
            'unknown_field',
            `'${ref.raw}': '${seg}' is read from a list; use {{#each}} or an index`,
            loc,
            ref.raw,
          );
          return undefined;
        }
        cur = cur[0] ?? 'any';
        continue;
      }
      if (typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, seg)) {
        cur = cur[seg];
        continue;
      }
      if (cur === 'any' || cur === 'any?') return 'any';
      const keys = typeof cur === 'object' ? Object.keys(cur) : [];
      add('unknown_field', `unknown field '${ref.raw}'${suggestion(seg, keys)}`, loc, ref.raw);
      return undefined;
    }
    return cur;
  };

  const kindOf = (s: FieldSchema | undefined): ValueKind => {
    if (s === undefined) return 'any';
    if (Array.isArray(s)) return 'list';
    if (typeof s === 'object') return 'any';
    const t = scalarOf(s);
    return t === 'number' ? 'number' : t === 'date' ? 'date' : t === 'string' ? 'string' : 'any';
  };

  const checkFormatters = (
    calls: FormatterCall[],
    field: FieldSchema | undefined,
    ref: PathRef,
    loc: Loc,
    scopes: Scope[],
  ) => {
    let kind: ValueKind = kindOf(field);
    if (typeof field === 'object' && !Array.isArray(field) && calls.length === 0) {
      add('type_mismatch', `'${ref.raw}' is an object: print one of its fields`, loc, ref.raw);
    }
    for (const call of calls) {
      const spec = FORMATTERS[call.name];
      if (!spec) {
        add(
          'unknown_formatter',
          `unknown formatter '${call.name}'${suggestion(call.name, Object.keys(FORMATTERS))}`,
          call.loc,
          ref.raw,
        );
        kind = 'any';
        continue;
      }
      if (call.args.length < spec.minArgs || call.args.length > spec.maxArgs) {
        const range = spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs}-${spec.maxArgs}`;
        add(
          'bad_argument',
          `formatter '${call.name}' takes ${range} argument(s), got ${call.args.length}`,
          call.loc,
          ref.raw,
        );
      }
      call.args.forEach((a, i) => {
        const want = spec.args?.[i];
        if (typeof a === 'object') {
          const argSchema = resolve(a.path, scopes, call.loc);
          const k = kindOf(argSchema);
          if (argSchema !== undefined && want && k !== 'any' && k !== want) {
            add(
              'type_mismatch',
              `formatter '${call.name}' argument ${i + 1} must be a ${want}, but '${a.path.raw}' is a ${k}`,
              call.loc,
              a.path.raw,
            );
          }
          return;
        }
        if (want === 'number' && typeof a !== 'number')
          add(
            'bad_argument',
            `formatter '${call.name}' argument ${i + 1} must be a number, got '${a}'`,
            call.loc,
            ref.raw,
          );
      });
      const input = spec.input;
      const compatible =
        input === 'any' ||
        kind === 'any' ||
        input === kind ||
        (input === 'string' && (kind === 'number' || kind === 'date')) ||
        (input === 'date' && kind === 'string');
      if (!compatible)
        add(
          'type_mismatch',
          `formatter '${call.name}' needs a ${input} but '${ref.raw}' is a ${kind}`,
          call.loc,
          ref.raw,
        );
      kind =
        call.name === 'round' || call.name === 'abs' ? 'number' : call.name === 'default' ? kind : 'string';
    }
  };

  const checkOperand = (op: Operand | undefined, scopes: Scope[], loc: Loc) => {
    if (op?.kind === 'path') resolve(op.path, scopes, loc);
  };
  const checkCondition = (c: Condition, scopes: Scope[], loc: Loc) => {
    checkOperand(c.left, scopes, loc);
    checkOperand(c.right, scopes, loc);
  };

  const walk = (list: TemplateNode[], scopes: Scope[]) => {
    for (const n of list) {
      switch (n.type) {
        case 'text': {
          for (const m of n.value.matchAll(/\d+(?:[.,]\d+)*/g)) {
            add(
              'untraceable_number',
              `number '${m[0]}' is written in the template, not taken from the data: it cannot be traced to an input`,
              n.loc,
              undefined,
              'warning',
            );
          }
          break;
        }
        case 'output':
          checkFormatters(n.formatters, resolve(n.path, scopes, n.loc), n.path, n.loc, scopes);
          break;
        case 'if':
          checkCondition(n.condition, scopes, n.loc);
          walk(n.then, scopes);
          walk(n.otherwise, scopes);
          break;
        case 'each': {
          const s = resolve(n.path, scopes, n.loc);
          if (s !== undefined && !Array.isArray(s) && s !== 'any' && s !== 'any?') {
            add(
              'not_a_list',
              `{{#each ${n.path.raw}}} needs a list, but '${n.path.raw}' is not one`,
              n.loc,
              n.path.raw,
            );
          }
          const item: FieldSchema = Array.isArray(s) ? (s[0] ?? 'any') : 'any';
          walk(n.body, [...scopes, { schema: item, inEach: true }]);
          walk(n.otherwise, scopes);
          break;
        }
      }
    }
  };
  walk(nodes, [{ schema: options.schema ?? 'any', inEach: false }]);
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: !issues.some((i) => i.severity === 'error'), issues };
}
