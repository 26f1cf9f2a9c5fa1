import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import guards from '../../../scripts/eslint/guarded-resolvers.mjs';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/** The repo's guarded-resolvers rule alone (no type information needed), as eslint.config.mjs runs it. */
function lint(code: string, filename = 'x.resolver.ts'): Linter.LintMessage[] {
  return new Linter({ configType: 'flat' }).verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser as Linter.Parser },
        plugins: { 'media-ai': guards },
        rules: { 'media-ai/guarded-resolvers': 'error' },
      },
    ],
    filename,
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('lint: every resolver method is @Authorized', () => {
  it('refuses a query, a mutation and a field resolver without @Authorized, naming each', () => {
    const messages = lint(`
      import { Authorized, FieldResolver as Field, Mutation, Query, Resolver } from 'type-graphql';
      @Resolver(() => Thing)
      export class ThingResolver {
        @Authorized(...Roles.any)
        @Query(() => Thing)
        thing() { return null; }
        @Query(() => [Thing])
        things() { return []; }
        @Mutation(() => Thing)
        deleteThing() { return null; }
        @Field(() => String)
        secret() { return ''; }
      }`);
    expect(messages.map((m) => [m.ruleId, m.line, m.message.split(' ')[0]])).toEqual([
      ['media-ai/guarded-resolvers', 9, 'things'],
      ['media-ai/guarded-resolvers', 11, 'deleteThing'],
      ['media-ai/guarded-resolvers', 13, 'secret'],
    ]);
    expect(messages[2].message).toContain('@FieldResolver without @Authorized');
  });

  it('accepts a guard on the resolver class, and ignores decorators of the same name from elsewhere', () => {
    expect(
      lint(`
        import { Authorized, Query, Resolver } from 'type-graphql';
        import { Query as Sql } from './sql.js';
        @Authorized()
        @Resolver()
        export class Guarded { @Query(() => String) hello() { return 'hi'; } }
        export class Store { @Sql('select 1') one() { return 1; } }`),
    ).toEqual([]);
  });

  it('passes on every file of the API', () => {
    const files = sources(SRC).filter((f) => readFileSync(f, 'utf8').includes("from 'type-graphql'"));
    expect(files.length).toBeGreaterThan(20);
    const problems = files.flatMap((f) =>
      lint(readFileSync(f, 'utf8'), f).map((m) => `${relative(SRC, f)}:${m.line} ${m.message}`),
    );
    expect(problems).toEqual([]);
  });
});
