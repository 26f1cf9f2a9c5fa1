import DataLoader from 'dataloader';
import type { TenantDb } from '@media-ai/db';
import type { Loaders } from './context.js';

function byId<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await load([...ids]);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/** One set per request, so batching never mixes newsrooms or leaks between requests. */
export function createLoaders(db: TenantDb): Loaders {
  return {
    content: byId((ids) => db.contentItem.findMany({ where: { id: { in: ids } } })),
    asset: byId((ids) => db.mediaAsset.findMany({ where: { id: { in: ids } } })),
    client: byId((ids) => db.apiClient.findMany({ where: { id: { in: ids } } })),
  };
}
