import fs from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSchema } from '../../api/src/schema.js';

/*
 * Every document the dashboard sends (generated into src/gql by `pnpm codegen` from its graphql() calls)
 * is valid against the schema the API's resolvers build — not only against the checked-in SDL — so an
 * operation or field that disappears from the API fails here, by name.
 */
const GENERATED = new URL('../src/gql/graphql.ts', import.meta.url);

describe("the dashboard's GraphQL documents", () => {
  it('are all valid against the API', async () => {
    if (!fs.existsSync(GENERATED))
      throw new Error('Generate the documents first: pnpm --filter @media-ai/dashboard codegen');
    const src = fs.readFileSync(GENERATED, 'utf8');
    const docs = [...src.matchAll(/export const (\w+)Document = new TypedDocumentString\(`([^`]*)`/g)];
    expect(docs.length).toBeGreaterThan(50);
    const schema = await createSchema({} as never);
    const problems = docs.flatMap(([, name, text]) =>
      validate(schema, parse(text)).map((e) => `${name}: ${e.message}`),
    );
    expect(problems).toEqual([]);
  });
});
