import type DataLoader from 'dataloader';
import type { ApiClient, ContentItem, Db, MediaAsset, TenantDb, TenantSql } from '@media-ai/db';
import type { Services } from './services.js';

export interface AuthedClient {
  id: string;
  newsroomId: string;
  role: ApiClient['role'];
  name: string;
  rateLimitPerMinute: number;
}

export interface Loaders {
  content: DataLoader<string, ContentItem | null>;
  asset: DataLoader<string, MediaAsset | null>;
  client: DataLoader<string, ApiClient | null>;
}

/** Per request. `db` is bound to the caller's newsroom; `rootDb` is for the few cross-tenant lookups (auth). */
export interface Context {
  client: AuthedClient | null;
  db: TenantDb | null;
  /** Hand-written statements for the hot paths, bound to the caller's newsroom. */
  sql: TenantSql | null;
  rootDb: Db;
  services: Services;
  loaders: Loaders | null;
  /** Logged with unexpected errors and returned in their extensions. */
  requestId: string;
}

export interface AuthedContext extends Context {
  client: AuthedClient;
  db: TenantDb;
  sql: TenantSql;
  loaders: Loaders;
}

export function authed(ctx: Context): AuthedContext {
  if (!ctx.client || !ctx.db || !ctx.sql || !ctx.loaders)
    throw new Error('unauthenticated context reached a guarded resolver');
  return ctx as AuthedContext;
}
