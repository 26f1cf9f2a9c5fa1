// Type-aware lint of the TypeScript sources: `pnpm lint` (part of `pnpm check`).
import tseslint from 'typescript-eslint';
import guards from './scripts/eslint/guarded-resolvers.mjs';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'packages/db/src/generated/**',
      'apps/dashboard/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  {
    files: ['apps/*/src/**/*.ts', 'packages/*/src/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  // Boundaries. Engines know nothing of the platform: no database, no jobs, no queues.
  {
    files: ['packages/{recommender,content-gen,speech,vision,translate,text,http,tensor}/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@media-ai/db',
                '@media-ai/jobs',
                '@media-ai/*-platform',
                '@prisma/*',
                'bullmq',
                'ioredis',
              ],
              message:
                'Engine packages take plain data; the platform (packages/<area>-platform, apps) does storage and jobs.',
            },
          ],
        },
      ],
    },
  },
  // Every GraphQL query, mutation, subscription and field resolver is @Authorized (apps/api/test/guarded-resolvers.test.ts).
  {
    files: ['apps/api/src/**/*.ts'],
    plugins: { 'media-ai': guards },
    rules: { 'media-ai/guarded-resolvers': 'error' },
  },
  // Area code sees one newsroom: the tenant client from the request or handler context, never the root client.
  {
    files: [
      'apps/api/src/{assets,content,generation,glossary,interactions,models,recommender,speech,translate,vision}/**/*.ts',
      'apps/worker/src/{content,recommender,speech,translate,vision}/**/*.ts',
      'packages/*-platform/src/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@media-ai/db',
              importNames: ['Db', 'createPrisma', 'forNewsroom'],
              message:
                'Use the tenant client (TenantDb): ctx.db in resolvers and job handlers, services.tenantDb(newsroomId) in routes.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='rootDb']",
          message: 'The root client is for auth and admin only; use the tenant client ctx.db.',
        },
        {
          selector: "CallExpression[callee.name='getDb']",
          message: "Job handlers use ctx.db (the newsroom's tenant client).",
        },
      ],
    },
  },
);
