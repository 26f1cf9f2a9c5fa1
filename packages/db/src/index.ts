export * from './generated/prisma/client.js';
export { createPrisma, type Db } from './client.js';
export { forNewsroom, type TenantDb, type TenantTx } from './tenant.js';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
export { MIGRATIONS_DIR, migrateDatabase, type MigrationResult } from './migrate.js';
export {
  ModelRegistry,
  modelRegistry,
  type ActivateOptions,
  type ModelRef,
  type RegisterOptions,
  gateDecision,
  DEFAULT_GATE_POLICY,
  type GateDecision,
  type GatePolicy,
  type ValidationEvidence,
  type VersionFields,
  type VersionRow,
} from './registry.js';
export { derivativeContentPath, storeMediaAsset, type NewAsset } from './assets.js';
export { createSqlPool, TenantSql, type SqlPool } from './sql.js';
