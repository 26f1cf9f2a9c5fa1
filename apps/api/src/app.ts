import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError } from 'graphql';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Logger } from 'pino';
import type { Config } from '@media-ai/config';
import { DomainError, isDomainError, type ErrorCode } from '@media-ai/core';
import { createPrisma, forNewsroom, type Db } from '@media-ai/db';
import { JobService, QueueSet, redisConnection } from '@media-ai/jobs';
import { storageFromConfig } from '@media-ai/storage';
import { listen } from './launcher/listen.js';
import type { Context } from './common/context.js';
import { createLoaders } from './common/loaders.js';
import type { Services } from './common/services.js';
import { makeFormatError, toGraphQLError } from './common/errors.js';
import { Authenticator } from './auth/authenticate.js';
import { RecommenderServing } from './recommender/serving-state.js';
import { createSchema } from './schema.js';
import { createJobPubSub, startProgressBridge } from './jobs/progress-bridge.js';
import { checkHealth } from './health/health.js';
import { ApiMetrics } from './health/metrics.js';
import { receiveUpload } from './assets/upload.js';
import { areaRoutes } from './routes.js';
import { closeTranslationEngines } from './translate/engines.js';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  UNAVAILABLE: 503,
};

export interface ApiServer {
  url: string;
  services: Services;
  close(): Promise<void>;
}

export async function startApi(config: Config, log: Logger, opts: { db?: Db } = {}): Promise<ApiServer> {
  if (!config.DATABASE_URL)
    throw new Error('The API needs DATABASE_URL (the launcher sets it in embedded mode)');
  const db = opts.db ?? createPrisma(config.DATABASE_URL);
  const redis = redisConnection(config.REDIS_URL);
  const queues = new QueueSet(redisConnection(config.REDIS_URL), config.MEDIAAI_QUEUE_PREFIX);
  const pubsub = createJobPubSub();
  const auth = new Authenticator(db, redis, config.MEDIAAI_QUEUE_PREFIX);
  const services: Services = {
    auth,
    config,
    db,
    redis,
    queues,
    jobs: new JobService(db, queues, redis, { gpuFallbackMs: config.MEDIAAI_GPU_FALLBACK_MS }),
    storage: storageFromConfig(config),
    pubsub,
    recommender: new RecommenderServing(redis, config.MEDIAAI_QUEUE_PREFIX),
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
  app.set('trust proxy', true);
  const httpServer = http.createServer(app);

  const buildContext = async (authorization: string | undefined): Promise<Context> => {
    const client = await auth.authenticate(authorization);
    if (client) await auth.rateLimit(client);
    const tdb = client ? forNewsroom(db, client.newsroomId) : null;
    return { client, db: tdb, rootDb: db, services, loaders: tdb ? createLoaders(tdb) : null };
  };

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer(
    {
      schema,
      context: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = (params.authorization ?? params.Authorization) as string | undefined;
        try {
          return await buildContext(header);
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
  );

  const armor = new ApolloArmor({
    maxDepth: { n: config.MEDIAAI_MAX_QUERY_DEPTH },
    costLimit: { maxCost: config.MEDIAAI_MAX_QUERY_COST },
    maxAliases: { n: config.MEDIAAI_MAX_ALIASES },
    maxDirectives: { n: 50 },
    maxTokens: { n: 5000 },
  });
  const protection = armor.protect();
  const apollo = new ApolloServer<Context>({
    schema,
    validationRules: protection.validationRules,
    allowBatchedHttpRequests: false,
    // graphql-armor is typed against Apollo's CommonJS build; the plugins are the same at runtime.
    plugins: [
      ...(protection.plugins as unknown as ApolloServerPlugin<Context>[]),
      ApolloServerPluginDrainHttpServer({ httpServer }),
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
            async didEncounterErrors(rc) {
              for (const e of rc.errors)
                metrics.graphqlErrors.inc({ code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
            },
          };
        },
      },
    ],
    formatError: makeFormatError(log),
    introspection: true,
  });
  await apollo.start();

  app.use(metrics.middleware());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const h = await checkHealth(db, redis);
    res.status(h.database && h.redis ? 200 : 503).json(h);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // Express routes share the GraphQL auth: the same keys, roles and rate limit.
  const requireKey =
    (roles: readonly string[]) => async (req: Request, res: Response, next: NextFunction) => {
      try {
        const client = await auth.authenticate(req.headers.authorization);
        if (!client) {
          res.setHeader('WWW-Authenticate', 'Basic realm="media-ai", charset="UTF-8"');
          throw new DomainError('UNAUTHENTICATED', 'Send an API key: Authorization: Bearer <key>');
        }
        if (!roles.includes(client.role))
          throw new DomainError('FORBIDDEN', `This needs the ${roles.join(' or ')} role`);
        await auth.rateLimit(client);
        res.locals.client = client;
        next();
      } catch (e) {
        next(e);
      }
    };

  app.post('/v1/assets', requireKey(['ADMIN', 'EDITOR']), async (req, res, next) => {
    try {
      const client = res.locals.client as { id: string; newsroomId: string };
      const { asset, duplicate } = await receiveUpload(req, {
        db,
        storage: services.storage,
        newsroomId: client.newsroomId,
        uploadedById: client.id,
        maxBytes: config.MEDIAAI_MAX_UPLOAD_BYTES,
      });
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
      const asset = await forNewsroom(db, client.newsroomId).mediaAsset.findFirst({
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
      res.setHeader('content-disposition', `inline; filename="${asset.filename.replace(/"/g, '')}"`);
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

  app.use(
    '/graphql',
    express.json({ limit: config.MEDIAAI_MAX_REQUEST_BYTES }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          return await buildContext(req.headers.authorization);
        } catch (e) {
          const g = toGraphQLError(e);
          const status = HTTP_STATUS[g.extensions.code as ErrorCode] ?? 400;
          throw new GraphQLError(g.message, { extensions: { ...g.extensions, http: { status } } });
        }
      },
    }),
  );

  // Errors outside GraphQL (uploads, body parsing) answer JSON with the same codes.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    let code: ErrorCode = 'INTERNAL_SERVER_ERROR';
    let message = 'Internal server error';
    const e = err as { type?: string; status?: number; message?: string };
    if (isDomainError(err)) {
      code = err.code;
      message = err.message;
    } else if (e.type === 'entity.too.large') {
      code = 'PAYLOAD_TOO_LARGE';
      message = `The request body is larger than ${config.MEDIAAI_MAX_REQUEST_BYTES} bytes`;
    } else if (e.type === 'entity.parse.failed') {
      code = 'BAD_USER_INPUT';
      message = 'The request body is not valid JSON';
    } else log.error({ err: (err as Error)?.message, stack: (err as Error)?.stack }, 'unhandled HTTP error');
    if (res.headersSent) return;
    res.status(HTTP_STATUS[code] ?? 500).json({ errors: [{ message, extensions: { code } }] });
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
      await closeTranslationEngines();
      await bridge.close();
      await services.recommender.close();
      await queues.close();
      redis.disconnect();
      if (!opts.db) await db.$disconnect();
    },
  };
}
