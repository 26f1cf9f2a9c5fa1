export interface Loc {
  line: number;
  column: number;
  offset: number;
}

export type Special = '@index' | '@number' | '@first' | '@last' | '@count';

export interface PathRef {
  raw: string;
  /** "this" is an empty segment list; "a.b.0" → ["a", "b", "0"]. */
  segments: string[];
  special?: Special;
}

export type Literal = { kind: 'literal'; value: string | number | boolean | null };
export type Operand = { kind: 'path'; path: PathRef } | Literal;

export type Comparator = '==' | '!=' | '>' | '<' | '>=' | '<=';

export interface Condition {
  negate: boolean;
  left: Operand;
  op?: Comparator;
  right?: Operand;
}

/** A formatter argument: a literal, or a field whose value is passed. */
export type FormatterArg = string | number | { path: PathRef };

export interface FormatterCall {
  name: string;
  args: FormatterArg[];
  loc: Loc;
}

export interface TextNode {
  type: 'text';
  value: string;
  loc: Loc;
}

export interface OutputNode {
  type: 'output';
  path: PathRef;
  formatters: FormatterCall[];
  loc: Loc;
}

export interface IfNode {
  type: 'if';
  /** true for {{#unless}}. */
  unless: boolean;
  condition: Condition;
  then: TemplateNode[];
  otherwise: TemplateNode[];
  loc: Loc;
}

export interface EachNode {
  type: 'each';
  path: PathRef;
  body: TemplateNode[];
  otherwise: TemplateNode[];
  loc: Loc;
}

export type TemplateNode = TextNode | OutputNode | IfNode | EachNode;

export type TemplateIssueCode =
  | 'syntax'
  | 'unknown_field'
  | 'unknown_formatter'
  | 'bad_argument'
  | 'type_mismatch'
  | 'not_a_list'
  | 'missing_field'
  | 'untraceable_number'
  | 'limit';

export interface TemplateIssue {
  code: TemplateIssueCode;
  severity: 'error' | 'warning';
  message: string;
  line: number;
  column: number;
  /** Field path concerned, when there is one. */
  path?: string;
}

export class TemplateError extends Error {
  readonly issues: TemplateIssue[];
  readonly code: TemplateIssueCode;
  constructor(issues: TemplateIssue[]) {
    const first = issues[0];
    super(issues.map((i) => `${i.message} (line ${i.line}, column ${i.column})`).join('; '));
    this.name = 'TemplateError';
    this.issues = issues;
    this.code = first?.code ?? 'syntax';
  }
}
