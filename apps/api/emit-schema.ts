// Writes schema.graphql, the GraphQL schema as SDL (`pnpm schema`). A test fails when it differs from
// what the resolvers build, so run this after changing a resolver or a GraphQL type.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA_FILE, schemaSdl } from './src/schema.js';

const sdl = await schemaSdl();
const file = fileURLToPath(SCHEMA_FILE);
const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
fs.writeFileSync(file, sdl);
console.log(
  `${file.replace(process.cwd() + '/', '')}: ${before === sdl ? 'unchanged' : 'written'} (${sdl.length} bytes)`,
);
