import type { Db } from './client.js';
import type { Prisma } from './generated/prisma/client.js';

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
export function forNewsroom(db: Db, newsroomId: string): TenantDb {
  return scoped(db, newsroomId) as unknown as TenantDb;
}

function scoped(db: Db, newsroomId: string) {
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

/*
 * The tenant client's types: the extension above sets `newsroomId` on every create, so its create
 * inputs are the unchecked ones without `newsroomId` (a caller cannot name a newsroom, nor connect one).
 */
type Scoped = ReturnType<typeof scoped>;
type CreateOp = 'create' | 'createMany' | 'createManyAndReturn';
/**
 * The unchecked create input (the member of Prisma's XOR with a required `newsroomId`) less that
 * field; naming it is a type error (a generic argument gets no excess-property check, hence `never`).
 */
type WithoutNewsroom<D> = D extends readonly (infer E)[]
  ? WithoutNewsroom<E>[]
  : D extends { newsroomId: string }
    ? Omit<D, 'newsroomId'> & { newsroomId?: never }
    : never;
type TenantCreateArgs<M, F extends CreateOp> = Omit<Prisma.Args<M, F>, 'data'> & {
  data: WithoutNewsroom<Prisma.Args<M, F>['data']>;
};
type TenantUpsertArgs<M> = Omit<Prisma.Args<M, 'upsert'>, 'create'> & {
  create: WithoutNewsroom<Prisma.Args<M, 'upsert'>['create']>;
};
type TenantDelegate<M> = Omit<M, CreateOp | 'upsert'> & {
  create<A extends TenantCreateArgs<M, 'create'>>(
    args: A,
  ): Prisma.PrismaPromise<Prisma.Result<M, A, 'create'>>;
  createMany(args: TenantCreateArgs<M, 'createMany'>): Prisma.PrismaPromise<Prisma.BatchPayload>;
  createManyAndReturn<A extends TenantCreateArgs<M, 'createManyAndReturn'>>(
    args: A,
  ): Prisma.PrismaPromise<Prisma.Result<M, A, 'createManyAndReturn'>>;
  upsert<A extends TenantUpsertArgs<M>>(args: A): Prisma.PrismaPromise<Prisma.Result<M, A, 'upsert'>>;
};
type TenantModels = {
  [K in keyof Scoped]: K extends Uncapitalize<Prisma.ModelName> ? TenantDelegate<Scoped[K]> : Scoped[K];
};

/** A transaction's client: the same tenant-scoped models, without the client's lifecycle methods. */
export type TenantTx = Omit<TenantModels, '$transaction' | '$connect' | '$disconnect' | '$on' | '$extends'>;

/** The database as seen by one newsroom (see forNewsroom). */
export type TenantDb = Omit<TenantModels, '$transaction'> & {
  $transaction<R>(
    fn: (tx: TenantTx) => Promise<R>,
    options?: { maxWait?: number; timeout?: number; isolationLevel?: Prisma.TransactionIsolationLevel },
  ): Promise<R>;
  $transaction<P extends readonly Prisma.PrismaPromise<unknown>[]>(
    queries: [...P],
    options?: { isolationLevel?: Prisma.TransactionIsolationLevel },
  ): Promise<{ [K in keyof P]: Awaited<P[K]> }>;
};
