import type { Worker } from 'bullmq';

/**
 * A job that has run waits for its end to be written to its row (a batched commit) before BullMQ
 * marks it done. That wait is not work: while it lasts the job lends its slot, so the queue worker
 * takes the next job instead of idling. At most `concurrency` jobs are ever fetched, started or
 * running; jobs writing their end come on top, each for one commit.
 */
export class WriteSlots {
  private lent = 0;
  private worker: Worker | undefined;

  constructor(private readonly concurrency: number) {}

  attach(worker: Worker): void {
    this.worker = worker;
  }

  async during<T>(write: () => Promise<T>): Promise<T> {
    const w = this.worker;
    if (!w) return write();
    w.concurrency = this.concurrency + ++this.lent;
    try {
      return await write();
    } finally {
      w.concurrency = this.concurrency + --this.lent;
    }
  }
}
