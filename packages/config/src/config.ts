import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface QueueConcurrency {
  queue: string;
  concurrency: number;
}

/** The repository root, from this file's location (packages/config/src). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const postgresUrl = z
  .string()
  .refine(
    (v) => /^postgres(ql)?:\/\//.test(v),
    'must be a postgresql:// URL, e.g. postgresql://user@127.0.0.1:5432/mediaai',
  );
const redisUrl = z
  .string()
  .refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// URL, e.g. redis://127.0.0.1:6379');
const int = (min: number, def: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a whole number ≥ ${min}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const bool = (def: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return def;
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off)$/i.test(v)) return false;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be true or false, got "${v}"` });
      return z.NEVER;
    });

const schema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  PORT: int(0, 4000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.string().url('must be a URL such as http://localhost:4000').optional(),
  MEDIAAI_DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
  MEDIAAI_MAX_UPLOAD_BYTES: int(1, 512 * 1024 * 1024),
  MEDIAAI_MAX_REQUEST_BYTES: int(1024, 16 * 1024 * 1024),
  MEDIAAI_QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i, 'letters, digits, _ and - only')
    .default('mediaai'),
  MEDIAAI_JOB_LOCK_MS: int(1000, 30_000),
  MEDIAAI_SHUTDOWN_GRACE_MS: int(0, 25_000),
  /**
   * Time limits per job type over the built-in ones, e.g. `recommender.train=8h,vision.analyze=10m`
   * (units ms, s, m, h). The worker refuses to start on an unknown job type.
   */
  MEDIAAI_JOB_TIMEOUTS: z
    .string()
    .regex(
      /^\s*$|^\s*[\w.-]+\s*=\s*\d+(ms|s|m|h)\s*(,\s*[\w.-]+\s*=\s*\d+(ms|s|m|h)\s*)*$/,
      'a comma-separated list of job-type=duration, such as recommender.train=8h,vision.analyze=10m (units ms, s, m, h)',
    )
    .default(''),
  /** How often one worker compares job rows with the queue and repairs what an outage left (0: never). */
  MEDIAAI_RECONCILE_MS: int(0, 30_000),
  /** How long a worker's job status write waits for an unreachable database before leaving it to the reconciler. */
  MEDIAAI_DB_RETRY_MS: int(0, 120_000),
  MEDIAAI_RATE_LIMIT_PER_MINUTE: int(1, 600),
  /** Requests a minute from one IP address without an API key (introspection, unauthenticated calls). */
  MEDIAAI_ANON_RATE_LIMIT_PER_MINUTE: int(1, 120),
  /** Who may introspect the schema: "authenticated" keys (default), everyone ("on") or nobody ("off"). */
  MEDIAAI_INTROSPECTION: z.enum(['authenticated', 'on', 'off']).default('authenticated'),
  /** A bearer token that may read /metrics besides admin keys (for a Prometheus scraper). */
  MEDIAAI_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * How long a request to the OpenAI-compatible audio endpoints waits for its job (transcription, speech)
   * before answering 503 with Retry-After; the same request sent again waits for the same job.
   */
  MEDIAAI_COMPAT_WAIT_S: int(0, 300),
  /** How long an API key is trusted from the in-process cache; revocations reach every process at once. */
  MEDIAAI_KEY_CACHE_MS: int(0, 60_000),
  /** Outbound requests (webhooks, providers) may use plain http as well as https. */
  MEDIAAI_OUTBOUND_ALLOW_HTTP: z.enum(['true', 'false', '1', '0']).default('false'),
  /** host or host:port entries that outbound requests may reach although they are private (e.g. a webhook receiver on the LAN). */
  MEDIAAI_OUTBOUND_ALLOWLIST: z.string().default(''),
  MEDIAAI_MAX_QUERY_DEPTH: int(2, 12),
  MEDIAAI_MAX_QUERY_COST: int(10, 20_000),
  MEDIAAI_MAX_ALIASES: int(1, 20),
  WORKER_QUEUES: z.string().default('*'),
  /**
   * Build the speech vocabulary by itself once the newsroom has this many English (or unlabelled) content
   * items, and again at twice, four times … as many; 0 turns it off. The registry's gate decides whether
   * a build serves.
   */
  SPEECH_AUTO_VOCABULARY_ARTICLES: int(0, 200),
  /**
   * Lowest score (0..1, word-level similarity) at which an editor's correction of a nearly identical
   * sentence is reused by translation; 1 turns fuzzy matching off.
   */
  TRANSLATE_FUZZY_MATCH: z.coerce
    .number({ message: 'must be a number between 0.5 and 1, e.g. 0.8' })
    .min(0.5, 'must be at least 0.5: lower scores match sentences that say something else')
    .max(1, 'must be at most 1 (1 turns fuzzy matching off)')
    .default(0.8),
  WORKER_METRICS_PORT: int(0, 0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TFJS_BACKEND: z.enum(['auto', 'wasm', 'webgpu', 'cpu']).default('wasm'),
  /** Longest video analysed or clipped, seconds (longer ones fail with TOO_LONG). */
  VIDEO_MAX_DURATION_SEC: int(1, 3 * 3600),
  /** Object tags when a job does not choose: fast (one pass) or accurate (test-time augmentation). */
  VISION_OBJECT_QUALITY: z.enum(['fast', 'accurate']).default('fast'),
  /**
   * How long a gpu-class job waits for a busy GPU worker before a CPU worker takes it; "never" (or 0, -1)
   * keeps it waiting. With no GPU worker connected, gpu-class jobs go to the cpu queues at once.
   */
  MEDIAAI_GPU_FALLBACK_MS: z
    .string()
    .regex(/^(never|-?\d+)$/i, 'must be milliseconds (e.g. 120000) or "never"')
    .default('120000'),
  /** Where media bytes live: "local" (a folder under MEDIAAI_DATA_DIR, one machine) or "s3" (any S3-compatible store). */
  STORAGE: z.enum(['local', 's3'], { message: 'must be "local" or "s3"' }).default('local'),
  /** The S3 endpoint; leave unset for AWS itself. MinIO, Ceph, R2 and the like: their URL. */
  S3_ENDPOINT: z.string().url('must be the URL of the S3 endpoint, e.g. http://minio:9000').optional(),
  S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be an S3 bucket name (3-63 lowercase letters, digits, . and -)',
    )
    .optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Path-style URLs (endpoint/bucket/key), which MinIO and most self-hosted stores need. */
  S3_FORCE_PATH_STYLE: bool(false),
  /** A key prefix inside the bucket, so several deployments can share one bucket. */
  S3_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_\/.-]*$/, 'letters, digits, _ - . and / only')
    .default(''),
  /** Files larger than this are sent in parts of this size (multipart upload; S3's minimum is 5 MiB). */
  S3_PART_BYTES: int(5 * 1024 * 1024, 8 * 1024 * 1024),
  /** Downloads answer with a redirect to a presigned URL, so clients fetch from the store directly. */
  S3_PRESIGN_DOWNLOADS: bool(false),
  S3_PRESIGN_TTL_S: int(1, 900),
  LLM_BASE_URL: z
    .string()
    .url('must be the base URL of an OpenAI-compatible API, e.g. http://gpu:8000/v1')
    .optional(),
  LLM_MODEL: z.string().optional(),
  LLM_API_KEY: z.string().optional(),
  /** An OpenAI-compatible image server (POST /v1/images/generations); generateImage needs it and IMAGES_MODEL. */
  IMAGES_BASE_URL: z
    .string()
    .url('must be the base URL of an OpenAI-compatible image API, e.g. http://gpu:8000/v1')
    .optional(),
  IMAGES_MODEL: z.string().optional(),
  IMAGES_API_KEY: z.string().optional(),
});

export type Config = Omit<z.infer<typeof schema>, 'WORKER_QUEUES'> & {
  WORKER_QUEUES: QueueConcurrency[] | '*';
  /** True when no DATABASE_URL was given and the platform runs on embedded PGlite. */
  embeddedDatabase: boolean;
};

/** Parses "speech:2,vision:1,recommender" (concurrency defaults to 1) or "*". */
export function parseWorkerQueues(spec: string): QueueConcurrency[] | '*' {
  if (spec.trim() === '*' || spec.trim() === '') return '*';
  return spec.split(',').map((part) => {
    const [queue, conc] = part.trim().split(':');
    const concurrency = conc === undefined ? 1 : Number(conc);
    if (!queue || !/^[a-z][a-z0-9-]*$/.test(queue) || !Number.isInteger(concurrency) || concurrency < 1) {
      throw new ConfigError([
        `WORKER_QUEUES: "${part}" is not QUEUE or QUEUE:CONCURRENCY (e.g. "speech:2,vision:1" or "*")`,
      ]);
    }
    return { queue, concurrency };
  });
}

/** Per-area tfjs backend variables that TFJS_BACKEND replaced (read with a warning). */
const LEGACY_TF_BACKEND = ['VISION_TF_BACKEND', 'CONTENT_GEN_TF_BACKEND'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set" (e.g. DATABASE_URL= selects the embedded database).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const legacy = LEGACY_TF_BACKEND.filter((name) => present[name] !== undefined);
  if (legacy.length > 0) {
    // One variable chooses the tfjs backend for every area; the old per-area ones still count.
    present['TFJS_BACKEND'] ??= present[legacy[0]!];
    process.emitWarning(
      `${legacy.join(' and ')} ${legacy.length > 1 ? 'are' : 'is'} deprecated: set TFJS_BACKEND=${present['TFJS_BACKEND']} instead (it chooses the tfjs backend of every area)`,
      'DeprecationWarning',
    );
  }
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const { WORKER_QUEUES, ...rest } = parsed.data;
  if (rest.STORAGE === 's3') {
    const missing = (['S3_BUCKET'] as const).filter((k) => !rest[k]);
    if (missing.length) {
      throw new ConfigError(
        missing.map((k) => `${k}: required when STORAGE=s3 (the bucket that holds media)`),
      );
    }
    if (!!rest.S3_ACCESS_KEY_ID !== !!rest.S3_SECRET_ACCESS_KEY) {
      throw new ConfigError([
        'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both (or neither, to use the AWS default credential chain)',
      ]);
    }
  }
  if (!!rest.IMAGES_BASE_URL !== !!rest.IMAGES_MODEL) {
    throw new ConfigError([
      'IMAGES_BASE_URL and IMAGES_MODEL: set both to use an image server (or neither to go without generated images)',
    ]);
  }
  return {
    ...rest,
    WORKER_QUEUES: parseWorkerQueues(WORKER_QUEUES),
    embeddedDatabase: !rest.DATABASE_URL,
  };
}
