import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { WebSocketServer } from 'ws';
import { GraphQLError, Kind, type DocumentNode, type SelectionNode } from 'graphql';
import { Redis } from 'ioredis';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Logger } from 'pino';
import type { Config } from '@media-ai/config';
import {
  DomainError,
  isDomainError,
  outboundPolicyFromEnv,
  setOutboundPolicy,
  type ErrorCode,
} from '@media-ai/core';
import { createPrisma, createSqlPool, forNewsroom, TenantSql, type Db } from '@media-ai/db';
import { JobService, QueueSet, redisConnection } from '@media-ai/jobs';
import { storageFromConfig } from '@media-ai/storage';
import { listen } from './launcher/listen.js';
import type { Context, Loaders } from './common/context.js';
import { createLoaders } from './common/loaders.js';
import { serveSubscriptions } from './common/subscriptions-ws.js';
import type { Services } from './common/services.js';
import {
  HTTP_STATUS,
  httpErrorOf,
  makeFormatError,
  toGraphQLError,
  RETRY_AFTER_UNAVAILABLE_S,
} from './common/errors.js';
import { contentDisposition } from './common/content-disposition.js';
import { Authenticator } from './auth/authenticate.js';
import { RecommenderServing } from './recommender/serving-state.js';
import { createSchema } from './schema.js';
import { createJobPubSub, startProgressBridge } from './jobs/progress-bridge.js';
import { checkHealth } from './health/health.js';
import { ApiMetrics } from './health/metrics.js';
import { receiveUpload } from './assets/upload.js';
import { makeThumbnails } from './assets/thumbnails.js';
import { areaRoutes } from './routes.js';
import { closeTranslationEngines } from './translate/engines.js';
import { UsageMeter } from './compat/usage.js';

/** Codes that mean the request itself was wrong (answered 400 when no other status was chosen). */
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export interface ApiServer {
  url: string;
  services: Services;
  close(): Promise<void>;
}

export async function startApi(config: Config, log: Logger, opts: { db?: Db } = {}): Promise<ApiServer> {
  if (!config.DATABASE_URL)
    throw new Error('The API needs DATABASE_URL (the launcher sets it in embedded mode)');
  const db = opts.db ?? createPrisma(config.DATABASE_URL);
  setOutboundPolicy(
    outboundPolicyFromEnv({
      PORT: String(config.PORT),
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      MEDIAAI_OUTBOUND_ALLOW_HTTP: config.MEDIAAI_OUTBOUND_ALLOW_HTTP,
      MEDIAAI_OUTBOUND_ALLOWLIST: config.MEDIAAI_OUTBOUND_ALLOWLIST,
    }),
  );
  const redis = redisConnection(config.REDIS_URL);
  redis.on('error', (e: Error) => log.debug({ err: e.message }, 'redis'));
  // Authentication and rate limits fail fast when Redis is away (the request answers 503), rather than queue.
  const authRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
  authRedis.on('error', () => undefined);
  const queues = new QueueSet(redisConnection(config.REDIS_URL), config.MEDIAAI_QUEUE_PREFIX);
  const pubsub = createJobPubSub();
  const auth = new Authenticator(db, authRedis, config.MEDIAAI_QUEUE_PREFIX, {
    cacheMs: config.MEDIAAI_KEY_CACHE_MS,
    anonymousPerMinute: config.MEDIAAI_ANON_RATE_LIMIT_PER_MINUTE,
  });
  await auth.start();
  const storage = storageFromConfig(config);
  // One tenant-scoped client per newsroom, made once: building a Prisma extension costs more than a query.
  const tenantDb = perNewsroom((newsroomId) => forNewsroom(db, newsroomId));
  const sqlPool = createSqlPool(config.DATABASE_URL, {
    max: 4,
    onError: (err) => log.warn({ err: err.message }, 'database connection lost'),
  });
  const tenantSql = perNewsroom((newsroomId) => new TenantSql(sqlPool, newsroomId));
  const services: Services = {
    auth,
    config,
    db,
    tenantDb,
    tenantSql,
    redis,
    queues,
    jobs: new JobService(db, queues, redis, { gpuFallbackMs: config.MEDIAAI_GPU_FALLBACK_MS, sql: sqlPool }),
    storage,
    pubsub,
    recommender: new RecommenderServing(redis, config.MEDIAAI_QUEUE_PREFIX, storage),
    usage: new UsageMeter(db, log),
    log,
  };
  await services.recommender.start();
  const metrics = new ApiMetrics(queues);
  const bridge = await startProgressBridge({
    redisUrl: config.REDIS_URL,
    prefix: config.MEDIAAI_QUEUE_PREFIX,
    pubsub,
    log,
  });

  const schema = await createSchema(pubsub);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', true);
  const httpServer = http.createServer(app);

  const buildContext = async (
    authorization: string | undefined,
    ip: string,
    res?: { setHeader(name: string, value: string): unknown },
  ): Promise<Context> => {
    let client;
    try {
      client = await auth.authenticate(authorization);
    } catch (e) {
      // Wrong keys count against the address's anonymous allowance (guessing keys is throttled).
      if (isDomainError(e) && e.code === 'UNAUTHENTICATED') await auth.rateLimitAnonymous(ip, res);
      throw e;
    }
    if (client) await auth.rateLimit(client, res);
    else await auth.rateLimitAnonymous(ip, res);
    const tdb = client ? tenantDb(client.newsroomId) : null;
    let loaders: Loaders | null = null;
    return {
      client,
      db: tdb,
      sql: client ? tenantSql(client.newsroomId) : null,
      rootDb: db,
      services,
      requestId: randomUUID(),
      get loaders() {
        return tdb ? (loaders ??= createLoaders(tdb)) : null;
      },
    };
  };

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = serveSubscriptions(
    {
      schema,
      context: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = (params.authorization ?? params.Authorization) as string | undefined;
        try {
          return await buildContext(header, ctx.extra.request.socket.remoteAddress ?? 'unknown');
        } catch (e) {
          throw toGraphQLError(e);
        }
      },
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = (params.authorization ?? params.Authorization) as string | undefined;
        try {
          return !!(await auth.authenticate(header));
        } catch {
          return false;
        }
      },
    },
    wsServer,
    log,
  );

  const armor = new ApolloArmor({
    maxDepth: { n: config.MEDIAAI_MAX_QUERY_DEPTH, ignoreIntrospection: false },
    costLimit: { maxCost: config.MEDIAAI_MAX_QUERY_COST },
    maxAliases: { n: config.MEDIAAI_MAX_ALIASES },
    maxDirectives: { n: 50 },
    // The token limit is graphql-js's own parse option (below): armor's Apollo plugin parses in a hook
    // whose errors Apollo answers with 500, also for plain syntax errors.
    maxTokens: { enabled: false },
  });
  const protection = armor.protect();
  const apollo = new ApolloServer<Context>({
    schema,
    validationRules: protection.validationRules,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: 5000 },
    includeStacktraceInErrorResponses: false,
    // The process's own SIGTERM handler closes everything; Apollo's would re-raise the signal first.
    stopOnTerminationSignals: false,
    introspection: config.MEDIAAI_INTROSPECTION !== 'off',
    // graphql-armor is typed against Apollo's CommonJS build; the plugins are the same at runtime.
    plugins: [
      ...(protection.plugins as unknown as ApolloServerPlugin<Context>[]),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Answers are per key and say `cache-control: no-store`; Apollo's cache-hint plugin would otherwise
      // wrap every field's resolver to collect hints nobody reads.
      ApolloServerPluginCacheControlDisabled(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
        async requestDidStart() {
          return {
            async didResolveOperation({ contextValue, document }) {
              if (
                config.MEDIAAI_INTROSPECTION === 'authenticated' &&
                !contextValue.client &&
                asksIntrospection(document)
              ) {
                throw new GraphQLError('Introspection needs an API key: Authorization: Bearer <key>', {
                  extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
                });
              }
            },
            async didEncounterErrors({ errors, contextValue }) {
              for (const e of errors) {
                const g = toGraphQLError(e);
                const code = String(e.extensions?.code ?? g.extensions.code);
                metrics.graphqlErrors.inc({ code });
                if (g.extensions.code === 'INTERNAL_SERVER_ERROR' && !e.extensions?.code) {
                  const orig = e.originalError ?? e;
                  log.error(
                    { requestId: contextValue.requestId, err: { message: orig.message, stack: orig.stack } },
                    'unexpected error',
                  );
                }
              }
            },
            async willSendResponse({ response, contextValue }) {
              if (response.body.kind !== 'single') return;
              const errors = response.body.singleResult.errors;
              if (!errors?.length) return;
              const codes = new Set(errors.map((e) => e.extensions?.code));
              for (const e of errors) {
                if (e.extensions?.code === 'INTERNAL_SERVER_ERROR' || e.extensions?.code === 'UNAVAILABLE')
                  (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
              }
              // Refused documents are the client's fault: graphql-armor's token limit and some parse
              // failures arrive without an HTTP status, which Apollo would answer with 500.
              if (response.http.status === undefined || response.http.status >= 500) {
                if ([...codes].every((c) => typeof c === 'string' && CLIENT_ERROR_CODES.has(c)))
                  response.http.status = 400;
              }
              // A temporary failure answers as one, so that clients retry.
              if (codes.has('UNAVAILABLE')) {
                response.http.status = 503;
                response.http.headers.set('retry-after', String(RETRY_AFTER_UNAVAILABLE_S));
              }
            },
          };
        },
      },
    ],
    formatError: makeFormatError(log),
  });
  await apollo.start();

  app.use((req, res, next) => {
    res.setHeader('x-request-id', randomUUID());
    next();
  });
  app.use(metrics.middleware());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const h = await checkHealth(db, redis);
    res.status(h.database && h.redis ? 200 : 503).json(h);
  });

  // Express routes share the GraphQL auth: the same keys, roles and rate limit.
  const requireKey =
    (roles: readonly string[]) => async (req: Request, res: Response, next: NextFunction) => {
      try {
        const client = await auth.authenticate(req.headers.authorization).catch(async (e: unknown) => {
          if (isDomainError(e) && e.code === 'UNAUTHENTICATED')
            await auth.rateLimitAnonymous(req.ip ?? 'unknown', res);
          throw e;
        });
        if (!client) {
          await auth.rateLimitAnonymous(req.ip ?? 'unknown', res);
          res.setHeader('WWW-Authenticate', 'Basic realm="media-ai", charset="UTF-8"');
          throw new DomainError('UNAUTHENTICATED', 'Send an API key: Authorization: Bearer <key>');
        }
        if (!roles.includes(client.role))
          throw new DomainError('FORBIDDEN', `This needs the ${roles.join(' or ')} role`);
        await auth.rateLimit(client, res);
        res.locals.client = client;
        next();
      } catch (e) {
        next(e);
      }
    };

  // Metrics: an admin key, or the scraper's token (MEDIAAI_METRICS_TOKEN).
  const metricsToken = config.MEDIAAI_METRICS_TOKEN;
  app.get(
    '/metrics',
    (req, res, next) => {
      if (metricsToken && Authenticator.keyFrom(req.headers.authorization) === metricsToken)
        return next('route');
      return requireKey(['ADMIN'])(req, res, next);
    },
    async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.use(
    '/graphql',
    // Answers over 1 KB go out compressed (br or gzip, as the client accepts): the schema lookup
    // and review pages are mostly repeated field names.
    compression({ threshold: 1024 }),
    express.json({ limit: config.MEDIAAI_MAX_REQUEST_BYTES }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        try {
          const ctx = await buildContext(req.headers.authorization, req.ip ?? 'unknown', res);
          ctx.requestId = String(res.getHeader('x-request-id') ?? ctx.requestId);
          return ctx;
        } catch (e) {
          const g = toGraphQLError(e);
          const code = g.extensions.code as ErrorCode;
          const status = HTTP_STATUS[code] ?? 500;
          if (code === 'UNAVAILABLE') res.setHeader('retry-after', String(RETRY_AFTER_UNAVAILABLE_S));
          if (code === 'INTERNAL_SERVER_ERROR') {
            const orig = e as Error;
            log.error(
              {
                requestId: res.getHeader('x-request-id'),
                err: { message: orig?.message, stack: orig?.stack },
              },
              'unexpected error',
            );
          }
          throw new GraphQLError(g.message, {
            extensions: {
              ...g.extensions,
              ...(status >= 500 ? { requestId: res.getHeader('x-request-id') } : {}),
              http: { status },
            },
          });
        }
      },
    }),
  );

  app.post('/v1/assets', requireKey(['ADMIN', 'EDITOR']), async (req, res, next) => {
    try {
      const client = res.locals.client as { id: string; newsroomId: string };
      const { asset, duplicate } = await receiveUpload(req, {
        db: tenantDb(client.newsroomId),
        storage: services.storage,
        newsroomId: client.newsroomId,
        uploadedById: client.id,
        maxBytes: config.MEDIAAI_MAX_UPLOAD_BYTES,
      });
      // Grids then find an image's thumbnails made; a failure here leaves them to the first request.
      if (!duplicate && asset.kind === 'image')
        await makeThumbnails(services.storage, tenantDb(client.newsroomId), client.newsroomId, asset).catch(
          (e: unknown) => log.warn({ err: (e as Error).message, assetId: asset.id }, 'thumbnails not made'),
        );
      res.status(duplicate ? 200 : 201).json({
        id: asset.id,
        filename: asset.filename,
        mimeType: asset.mimeType,
        kind: asset.kind,
        sizeBytes: asset.sizeBytes.toString(),
        checksum: asset.checksum,
        duplicate,
      });
    } catch (e) {
      next(e);
    }
  });
  app.get('/v1/assets/:id/content', requireKey(['ADMIN', 'EDITOR', 'APP']), async (req, res, next) => {
    try {
      const client = res.locals.client as { newsroomId: string };
      const asset = await tenantDb(client.newsroomId).mediaAsset.findFirst({
        where: { id: String(req.params.id) },
      });
      if (!asset) throw new DomainError('NOT_FOUND', `Asset ${req.params.id} was not found`);
      // Object storage with presigned downloads: the client fetches the bytes from the store directly.
      const direct = await services.storage.downloadUrl(asset.storageKey, {
        contentType: asset.mimeType,
        filename: asset.filename,
        inline: true,
      });
      if (direct) return res.redirect(302, direct);
      res.setHeader('content-type', asset.mimeType);
      res.setHeader('content-length', asset.sizeBytes.toString());
      res.setHeader('content-disposition', contentDisposition(asset.filename));
      services.storage.read(asset.storageKey).on('error', next).pipe(res);
    } catch (e) {
      next(e);
    }
  });

  for (const routes of areaRoutes) app.use(routes(services));

  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({ queues: queues.all().map((q) => new BullMQAdapter(q)), serverAdapter: board });
  app.use('/admin/queues', requireKey(['ADMIN']), board.getRouter());

  // Errors outside GraphQL (uploads, body parsing, downloads) answer JSON with the same codes.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = String(res.getHeader('x-request-id') ?? randomUUID());
    const { code, message, status, unexpected } = httpErrorOf(err, config.MEDIAAI_MAX_REQUEST_BYTES);
    if (unexpected)
      log.error(
        {
          requestId,
          path: req.path,
          err: { message: (err as Error)?.message, stack: (err as Error)?.stack },
        },
        'unhandled HTTP error',
      );
    if (res.headersSent) return;
    if (code === 'UNAVAILABLE') res.setHeader('retry-after', String(RETRY_AFTER_UNAVAILABLE_S));
    res.status(status).json({
      errors: [{ message, extensions: { code, ...(status >= 500 ? { requestId } : {}) } }],
    });
  });

  await listen(httpServer, config.PORT, config.HOST);
  const { port } = httpServer.address() as AddressInfo;
  const url = config.PUBLIC_URL ?? `http://${config.HOST}:${port}`;
  log.info({ url: `${url}/graphql` }, 'API listening');

  return {
    url,
    services,
    async close() {
      await apollo.stop();
      await services.usage.close();
      await closeTranslationEngines();
      await bridge.close();
      await auth.close();
      await services.recommender.close();
      await queues.close();
      redis.disconnect();
      authRedis.disconnect();
      await sqlPool.end();
      if (!opts.db) await db.$disconnect();
    },
  };
}

/** A handle per newsroom, made on first use and kept (at most 1,000 newsrooms at once). */
function perNewsroom<T>(make: (newsroomId: string) => T): (newsroomId: string) => T {
  const made = new Map<string, T>();
  return (newsroomId) => {
    let t = made.get(newsroomId);
    if (t === undefined) {
      if (made.size >= 1000) made.clear();
      t = make(newsroomId);
      made.set(newsroomId, t);
    }
    return t;
  };
}

/** Whether an operation asks for the schema (__schema or __type anywhere in it, fragments included). */
function asksIntrospection(document: DocumentNode): boolean {
  const visit = (selections: readonly SelectionNode[] | undefined): boolean =>
    (selections ?? []).some((s) =>
      s.kind === Kind.FIELD
        ? s.name.value === '__schema' || s.name.value === '__type' || visit(s.selectionSet?.selections)
        : s.kind === Kind.INLINE_FRAGMENT
          ? visit(s.selectionSet.selections)
          : false,
    );
  return document.definitions.some(
    (d) =>
      (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) &&
      visit(d.selectionSet.selections),
  );
}
