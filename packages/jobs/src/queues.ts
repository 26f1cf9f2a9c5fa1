import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { ALL_QUEUE_NAMES, type AnyQueueName } from './define.js';

export function redisConnection(
  url: string,
  forWorker = false,
  opts: { autoPipelining?: boolean } = {},
): Redis {
  // Workers block on Redis; BullMQ needs maxRetriesPerRequest null there.
  return new Redis(url, {
    maxRetriesPerRequest: forWorker ? null : 3,
    enableReadyCheck: true,
    lazyConnect: false,
    // Commands issued in the same turn of the event loop leave in one socket write.
    enableAutoPipelining: opts.autoPipelining ?? false,
  });
}

/** One BullMQ Queue per queue (area queues and their `-gpu` twins), sharing a connection. */
export class QueueSet {
  private readonly queues = new Map<AnyQueueName, Queue>();

  constructor(
    readonly connection: ConnectionOptions,
    readonly prefix: string,
  ) {}

  get(name: AnyQueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.prefix });
      this.queues.set(name, q);
    }
    return q;
  }

  /** Every queue, gpu ones included: the dashboard and the metrics iterate this. */
  all(): Queue[] {
    return ALL_QUEUE_NAMES.map((n) => this.get(n));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
