import type { Db } from './client.js';

const scopedWhere = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
]);

type Args = Record<string, unknown> & { where?: Record<string, unknown>; data?: unknown; create?: unknown };

function withNewsroom(data: unknown, newsroomId: string): unknown {
  if (Array.isArray(data)) return data.map((d) => withNewsroom(d, newsroomId));
  if (data && typeof data === 'object') {
    const d = data as Record<string, unknown>;
    if (d.newsroomId !== undefined && d.newsroomId !== newsroomId) {
      throw new Error('Refusing to write a record into another newsroom');
    }
    return { ...d, newsroomId };
  }
  return data;
}

/**
 * A Prisma client bound to one newsroom: every read, update and delete gets `newsroomId` added to
 * its filter and every create gets it set, so no query through it can see or touch another tenant.
 * The Newsroom table itself is not reachable through it beyond the bound row.
 */
export function forNewsroom(db: Db, newsroomId: string) {
  return db.$extends({
    name: 'tenant',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query: typedQuery }) {
          const a = (args ?? {}) as Args;
          // The arguments are rewritten generically; their per-model types are enforced at the call site.
          const query = typedQuery as unknown as (next: Args) => Promise<unknown>;
          if (model === 'Newsroom') {
            if (
              operation === 'findUnique' ||
              operation === 'findFirst' ||
              operation === 'findUniqueOrThrow'
            ) {
              return query({ ...a, where: { ...(a.where ?? {}), id: newsroomId } });
            }
            if (operation === 'update') return query({ ...a, where: { ...(a.where ?? {}), id: newsroomId } });
            throw new Error(`Newsroom.${operation} is not allowed through a tenant-scoped client`);
          }
          if (scopedWhere.has(operation)) {
            const next: Args = { ...a, where: { ...(a.where ?? {}), newsroomId } };
            if (operation.startsWith('update') && a.data) next.data = withNewsroom(a.data, newsroomId);
            return query(next);
          }
          if (operation === 'create' || operation === 'createMany' || operation === 'createManyAndReturn') {
            return query({ ...a, data: withNewsroom(a.data, newsroomId) });
          }
          if (operation === 'upsert') {
            return query({
              ...a,
              where: { ...(a.where ?? {}), newsroomId },
              create: withNewsroom(a.create, newsroomId),
            });
          }
          throw new Error(`${model}.${operation} is not supported through a tenant-scoped client`);
        },
      },
    },
  });
}

export type TenantDb = ReturnType<typeof forNewsroom>;
