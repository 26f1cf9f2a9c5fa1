import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, schemaSdl } from '../src/schema.js';

describe('schema.graphql', () => {
  it('is the schema the resolvers build (run `pnpm schema` after changing the API)', async () => {
    const checkedIn = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
    const emitted = await schemaSdl();
    if (checkedIn !== emitted) {
      const a = checkedIn.split('\n');
      const b = emitted.split('\n');
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      throw new Error(
        `apps/api/schema.graphql differs from the schema the code builds, from line ${i + 1}:\n` +
          `  checked in: ${a[i] ?? '(end of file)'}\n  built:      ${b[i] ?? '(end of file)'}\n` +
          'Run `pnpm schema` and commit apps/api/schema.graphql (the dashboard types are generated from it).',
      );
    }
    expect(emitted).toContain('type Query {');
  });
});
