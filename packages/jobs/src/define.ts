import type { ZodType, ZodTypeDef } from 'zod';

export const QUEUE_NAMES = [
  'platform',
  'recommender',
  'content',
  'speech',
  'vision',
  'translate',
  'video',
  'graphics',
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** The BullMQ queue of an area's gpu-class jobs: served by workers that found a GPU adapter. */
export type GpuQueueName = `${QueueName}-gpu`;
/** Every BullMQ queue: the area queues (cpu class) and their `-gpu` twins. */
export type AnyQueueName = QueueName | GpuQueueName;

export const GPU_QUEUE_NAMES = QUEUE_NAMES.map((q) => `${q}-gpu` as GpuQueueName);
export const ALL_QUEUE_NAMES: readonly AnyQueueName[] = [...QUEUE_NAMES, ...GPU_QUEUE_NAMES];

export function gpuQueueOf(queue: QueueName): GpuQueueName {
  return `${queue}-gpu`;
}

/** The area queue behind a queue name (`recommender-gpu` → `recommender`). */
export function areaQueueOf(queue: AnyQueueName): QueueName {
  return (queue.endsWith('-gpu') ? queue.slice(0, -4) : queue) as QueueName;
}

export function isGpuQueue(queue: string): queue is GpuQueueName {
  return (GPU_QUEUE_NAMES as readonly string[]).includes(queue);
}

export function isQueueName(queue: string): queue is AnyQueueName {
  return (ALL_QUEUE_NAMES as readonly string[]).includes(queue);
}

/** Where a job of this definition is queued: gpu-class jobs go to `<queue>-gpu`, the rest to `<queue>`. */
export function queueFor(def: { queue: QueueName; resource: ResourceClass }): AnyQueueName {
  return def.resource === 'gpu' ? gpuQueueOf(def.queue) : def.queue;
}

/** cpu jobs run anywhere; gpu jobs prefer workers that found a GPU adapter. */
export type ResourceClass = 'cpu' | 'gpu';

export interface JobOptions {
  /** Total tries, first included. */
  attempts: number;
  /** First retry delay; doubles with each retry. */
  backoffMs: number;
  /** A run that takes longer is stopped (its sandbox thread is terminated) and counts as a failed try. */
  timeoutMs: number;
}

export interface JobDefinition<Payload, Result> {
  name: string;
  queue: QueueName;
  resource: ResourceClass;
  /** Run in a worker thread, so a crash or hang in a model cannot take the worker down. */
  sandboxed: boolean;
  options: JobOptions;
  description: string;
  /**
   * The payload's runtime schema: checked at enqueue (a GraphQL BAD_USER_INPUT names the field) and again
   * before the handler runs. Fields it does not name pass through unchanged.
   */
  payload: ZodType<Payload, ZodTypeDef, unknown>;
  /** Phantom field carrying the payload and result types; never set at runtime. */
  readonly types?: { payload: Payload; result: Result };
}

/** Declares a job: `defineJob<Payload, Result>()({ name, queue, ... })`. */
export function defineJob<Payload, Result>() {
  return <const N extends string>(
    def: Omit<JobDefinition<Payload, Result>, 'name' | 'types'> & { name: N },
  ): JobDefinition<Payload, Result> & { name: N } => def;
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * Time limits per job type from `MEDIAAI_JOB_TIMEOUTS` (`recommender.train=8h,vision.analyze=10m`).
 * Throws naming the entry to fix: an unknown job type, a malformed duration or a zero limit.
 */
export function parseJobTimeouts(spec: string, known: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of spec
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const m = /^([\w.-]+)\s*=\s*(\d+)(ms|s|m|h)$/.exec(entry);
    if (!m) {
      throw new Error(
        `MEDIAAI_JOB_TIMEOUTS: "${entry}" is not job-type=duration (such as recommender.train=8h; units ms, s, m, h)`,
      );
    }
    const [, name, amount, unit] = m;
    if (!known.has(name!)) {
      throw new Error(`MEDIAAI_JOB_TIMEOUTS: unknown job type "${name}"; the jobTypes query lists them`);
    }
    const ms = Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
    if (ms < 1000) throw new Error(`MEDIAAI_JOB_TIMEOUTS: "${entry}" is under one second`);
    out.set(name!, ms);
  }
  return out;
}
