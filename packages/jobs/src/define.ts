export const QUEUE_NAMES = ['platform', 'recommender', 'content', 'speech', 'vision', 'translate'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

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
  /** Phantom field carrying the payload and result types; never set at runtime. */
  readonly types?: { payload: Payload; result: Result };
}

/** Declares a job: `defineJob<Payload, Result>()({ name, queue, ... })`. */
export function defineJob<Payload, Result>() {
  return <const N extends string>(
    def: Omit<JobDefinition<Payload, Result>, 'name' | 'types'> & { name: N },
  ): JobDefinition<Payload, Result> & { name: N } => def;
}
