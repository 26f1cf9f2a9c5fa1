import { defineConfig } from 'vite';

// The API serves the built files at /dashboard (apps/api/src/dashboard/static.ts).
// `pnpm dev` proxies the API of a running platform (default http://127.0.0.1:4000).
const api = process.env.MEDIAAI_API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  base: '/dashboard/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/v1': api,
      '/admin': api,
    },
  },
});
