import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

// The API serves the built files at /dashboard (apps/api/src/dashboard/static.ts).
// `pnpm dev` proxies the API of a running platform (default http://127.0.0.1:4000).
const api = process.env.MEDIAAI_API_URL ?? 'http://127.0.0.1:4000';

/**
 * `graphql(`query Name …`)` becomes the generated document's text (with its fragments, whitespace
 * collapsed) as a string literal, so each page's chunk carries only its own documents instead of the map
 * of every document in src/gql/gql.ts (what the codegen's Babel plugin does, for this build). `send()`
 * only calls toString() on a document.
 */
function typedDocuments(): Plugin {
  const CALL = /\bgraphql\(\s*`([^`]*)`\s*\)/g;
  const generated = fileURLToPath(new URL('src/gql/graphql.ts', import.meta.url));
  let docs = new Map<string, string>();
  return {
    name: 'mediaai-typed-documents',
    enforce: 'pre',
    buildStart() {
      this.addWatchFile(generated);
      docs = new Map();
      const src = fs.readFileSync(generated, 'utf8');
      for (const m of src.matchAll(/export const (\w+) = new TypedDocumentString\(`([^`]*)`/g))
        docs.set(m[1], m[2].replace(/\s+/g, ' ').trim());
    },
    transform(code, id) {
      if (!/\/src\/.*\.tsx?$/.test(id) || id.includes('/src/gql/') || !code.includes('graphql(`')) return;
      const out = code.replace(CALL, (_, body: string) => {
        const m = /\b(query|mutation|subscription|fragment)\s+(\w+)/.exec(body);
        if (!m) throw new Error(`${id}: a graphql() document without a name`);
        const name = m[1] === 'fragment' ? `${m[2]}FragmentDoc` : `${m[2]}Document`;
        const text = docs.get(name);
        if (text === undefined) throw new Error(`${id}: ${name} is not generated: run pnpm codegen`);
        return m[1] === 'fragment' ? 'undefined' : JSON.stringify(text);
      });
      return { code: out, map: null };
    },
  };
}

export default defineConfig({
  base: '/dashboard/',
  plugins: [typedDocuments()],
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
