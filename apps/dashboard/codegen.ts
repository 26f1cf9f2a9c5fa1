import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for every `graphql(...)` in src, from the schema the API checks in (apps/api/schema.graphql,
// written by `pnpm schema`). A document that asks for something the schema lacks fails here, so the
// build and the typecheck fail with it.
const config: CodegenConfig = {
  schema: '../api/schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: false,
  errorsOnly: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, gqlTagName: 'graphql' },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        scalars: { DateTime: 'string', JSON: 'any', ID: 'string' },
      },
    },
  },
};
export default config;
