import { gql } from './client.js';

/**
 * What this server offers, read once by introspection. Pages ask `has('Mutation.x')` and show
 * "not available on this server" for areas that are not deployed; `sel` drops fields a type lacks,
 * so a page keeps working against an older or newer server.
 */

export interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
export interface InputValue {
  name: string;
  type: TypeRef;
  defaultValue: string | null;
}
export interface FieldInfo {
  name: string;
  args: InputValue[];
  type: TypeRef;
}
interface TypeInfo {
  kind: string;
  name: string;
  fields: FieldInfo[] | null;
  inputFields: InputValue[] | null;
  enumValues: { name: string }[] | null;
}

const REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
const INTROSPECT = `{ __schema { queryType { name } mutationType { name } subscriptionType { name }
  types { kind name fields { name args { name defaultValue type { ${REF} } } type { ${REF} } }
    inputFields { name defaultValue type { ${REF} } } enumValues { name } } } }`;

let types = new Map<string, TypeInfo>();
let roots: Record<'Query' | 'Mutation' | 'Subscription', string> = {
  Query: 'Query',
  Mutation: 'Mutation',
  Subscription: 'Subscription',
};

export async function loadSchema(): Promise<void> {
  const data = await gql<{
    __schema: {
      queryType: { name: string };
      mutationType: { name: string } | null;
      subscriptionType: { name: string } | null;
      types: TypeInfo[];
    };
  }>(INTROSPECT);
  types = new Map(data.__schema.types.map((t) => [t.name, t]));
  roots = {
    Query: data.__schema.queryType.name,
    Mutation: data.__schema.mutationType?.name ?? '-',
    Subscription: data.__schema.subscriptionType?.name ?? '-',
  };
}

export type Root = 'Query' | 'Mutation' | 'Subscription';

export function field(typeName: string, name: string): FieldInfo | undefined {
  const t = types.get((roots as Record<string, string>)[typeName] ?? typeName);
  return t?.fields?.find((f) => f.name === name);
}

/** has('Mutation.retryJob'), has('ContentItem.summary') */
export function has(path: string): boolean {
  const [type, name] = path.split('.');
  return !!field(type, name);
}

export const hasAll = (paths: string[]) => paths.every(has);
export const missing = (paths: string[]) => paths.filter((p) => !has(p));

/** The first operation of `root` named in `candidates` that this server has. */
export function pick(root: Root, candidates: string[]): FieldInfo | undefined {
  for (const c of candidates) {
    const f = field(root, c);
    if (f) return f;
  }
  return undefined;
}

export function named(ref: TypeRef): string {
  let r: TypeRef | null = ref;
  while (r && !r.name) r = r.ofType;
  return r?.name ?? '';
}
export function typeString(ref: TypeRef): string {
  if (ref.kind === 'NON_NULL') return `${typeString(ref.ofType!)}!`;
  if (ref.kind === 'LIST') return `[${typeString(ref.ofType!)}]`;
  return ref.name!;
}
export function enumValues(typeName: string): string[] {
  return types.get(typeName)?.enumValues?.map((v) => v.name) ?? [];
}
export function inputFields(typeName: string): InputValue[] {
  return types.get(typeName)?.inputFields ?? [];
}
export function isObjectType(typeName: string): boolean {
  const k = types.get(typeName)?.kind;
  return k === 'OBJECT' || k === 'INTERFACE';
}

/** A selection: field names, or {field: sub-selection}. */
export type Spec = (string | { [field: string]: Spec })[];

/** Builds a selection set for `typeName`, leaving out fields the server's type does not have. */
export function sel(typeName: string, spec: Spec): string {
  const out: string[] = [];
  for (const s of spec) {
    if (typeof s === 'string') {
      const f = field(typeName, s);
      if (f && !isObjectType(named(f.type))) out.push(s);
    } else {
      for (const [name, sub] of Object.entries(s)) {
        const f = field(typeName, name);
        if (!f) continue;
        const inner = sel(named(f.type), sub);
        if (inner) out.push(`${name} { ${inner} }`);
      }
    }
  }
  return out.join(' ');
}

/**
 * Builds and names the variables of a call to an operation whose exact arguments may differ between
 * servers: `values` maps possible argument names ("contentId|id") to values; arguments the operation
 * lacks are left out; a required argument with no value makes it throw (the caller shows why).
 */
export function call(
  root: Root,
  op: FieldInfo,
  values: Record<string, unknown>,
  selection: string,
): { query: string; variables: Record<string, unknown> } {
  const byName = new Map<string, unknown>();
  for (const [names, v] of Object.entries(values))
    for (const n of names.split('|')) if (!byName.has(n)) byName.set(n, v);
  const decl: string[] = [];
  const args: string[] = [];
  const variables: Record<string, unknown> = {};
  for (const a of op.args) {
    const v = byName.get(a.name);
    if (v === undefined) {
      if (a.type.kind === 'NON_NULL' && a.defaultValue === null) {
        throw new Error(
          `This server's ${op.name} needs "${a.name}", which the dashboard does not know how to fill`,
        );
      }
      continue;
    }
    decl.push(`$${a.name}: ${typeString(a.type)}`);
    args.push(`${a.name}: $${a.name}`);
    variables[a.name] = v;
  }
  const keyword = root === 'Query' ? 'query' : root === 'Mutation' ? 'mutation' : 'subscription';
  const body = `${op.name}${args.length ? `(${args.join(', ')})` : ''}${selection ? ` { ${selection} }` : ''}`;
  return { query: `${keyword}${decl.length ? `(${decl.join(', ')})` : ''} { ${body} }`, variables };
}

/**
 * Values for an operation's arguments from what the page knows (`known`, by name): an argument of
 * that name takes it; an input-object argument (filter, input) is filled from its fields of those
 * names. Pass the result to `call`.
 */
export function autoArgs(op: FieldInfo, known: Record<string, unknown>): Record<string, unknown> {
  const byName = new Map<string, unknown>();
  for (const [names, v] of Object.entries(known))
    for (const n of names.split('|')) if (v !== undefined && !byName.has(n)) byName.set(n, v);
  const out: Record<string, unknown> = {};
  for (const a of op.args) {
    if (byName.has(a.name)) {
      out[a.name] = byName.get(a.name);
      continue;
    }
    const t = types.get(named(a.type));
    if (t?.kind === 'INPUT_OBJECT') {
      const obj: Record<string, unknown> = {};
      for (const f of t.inputFields ?? []) if (byName.has(f.name)) obj[f.name] = byName.get(f.name);
      if (Object.keys(obj).length) out[a.name] = obj;
    }
  }
  return out;
}

/** The type an operation returns, and whether it is a Relay connection (edges { node }). */
export function returnShape(op: FieldInfo): {
  type: string;
  connection: boolean;
  node: string;
  list: boolean;
} {
  const type = named(op.type);
  const edges = field(type, 'edges');
  const node = edges ? named(field(named(edges.type), 'node')?.type ?? edges.type) : type;
  let r: TypeRef | null = op.type;
  let list = false;
  while (r) {
    if (r.kind === 'LIST') list = true;
    r = r.ofType;
  }
  return { type, connection: !!edges, node, list };
}

/** Runs an operation found with `pick`, with arguments filled by autoArgs and the node selection `spec`. */
export async function run<T = unknown>(
  root: Root,
  op: FieldInfo,
  known: Record<string, unknown>,
  spec: Spec,
): Promise<T> {
  const shape = returnShape(op);
  const nodeSel = isObjectType(shape.node) ? sel(shape.node, spec) || '__typename' : '';
  const selection = shape.connection ? `edges { node { ${nodeSel} } }` : nodeSel;
  const { query, variables } = call(root, op, autoArgs(op, known), selection);
  const data = await gql<Record<string, unknown>>(query, variables);
  const v = data[op.name] as { edges?: { node: unknown }[] } | unknown;
  if (shape.connection) return (v as { edges: { node: unknown }[] }).edges.map((e) => e.node) as unknown as T;
  return v as T;
}
