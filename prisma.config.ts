// Prisma CLI configuration: migrations run on Prisma's WebAssembly schema engine through
// the pg driver adapter, so no native engine binary is ever downloaded.
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

// Prisma issue 27403: the schema engine cannot read Postgres `name` (oid 19) and `"char"` (oid 18)
// catalog columns through the pg adapter. Present them as text (oid 25). CLI only.
const resultProto = (
  pg as unknown as { Result: { prototype: { addFields(fields: { dataTypeID: number }[]): void } } }
).Result.prototype;
const addFields = resultProto.addFields;
resultProto.addFields = function patched(fields) {
  for (const field of fields) if (field.dataTypeID === 19 || field.dataTypeID === 18) field.dataTypeID = 25;
  return addFields.call(this, fields);
};

const connectionString = process.env.DATABASE_URL ?? '';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new PrismaPg({ connectionString }),
});
