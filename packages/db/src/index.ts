export * from './generated/prisma/client.js';
export { createPrisma, type Db } from './client.js';
export { forNewsroom, type TenantDb } from './tenant.js';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
export { migrateDatabase } from './migrate.js';
