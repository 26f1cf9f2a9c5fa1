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
  MEDIAAI_RATE_LIMIT_PER_MINUTE: int(1, 600),
  MEDIAAI_MAX_QUERY_DEPTH: int(2, 12),
  MEDIAAI_MAX_QUERY_COST: int(10, 20_000),
  MEDIAAI_MAX_ALIASES: int(1, 20),
  WORKER_QUEUES: z.string().default('*'),
  WORKER_METRICS_PORT: int(0, 0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TFJS_BACKEND: z.enum(['auto', 'wasm', 'webgpu', 'cpu']).default('wasm'),
  /**
   * How long a gpu-class job waits for a busy GPU worker before a CPU worker takes it; "never" (or 0, -1)
   * keeps it waiting. With no GPU worker connected, gpu-class jobs go to the cpu queues at once.
   */
  MEDIAAI_GPU_FALLBACK_MS: z
    .string()
    .regex(/^(never|-?\d+)$/i, 'must be milliseconds (e.g. 120000) or "never"')
    .default('120000'),
  LLM_BASE_URL: z
    .string()
    .url('must be the base URL of an OpenAI-compatible API, e.g. http://gpu:8000/v1')
    .optional(),
  LLM_MODEL: z.string().optional(),
  LLM_API_KEY: z.string().optional(),
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set" (e.g. DATABASE_URL= selects the embedded database).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const { WORKER_QUEUES, ...rest } = parsed.data;
  return {
    ...rest,
    WORKER_QUEUES: parseWorkerQueues(WORKER_QUEUES),
    embeddedDatabase: !rest.DATABASE_URL,
  };
}
