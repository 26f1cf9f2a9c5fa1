/** FIFO counting semaphore: at most `limit` holders at once. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private limit: number) {
    if (!(limit >= 1)) throw new Error('Semaphore limit must be at least 1');
  }

  /** Lowers the limit (holders above it finish; no new one starts until under it). */
  lower(limit: number): void {
    if (limit >= 1 && limit < this.limit) this.limit = limit;
  }

  get size(): number {
    return this.limit;
  }

  get inUse(): number {
    return this.active;
  }

  async acquire(): Promise<() => void> {
    if (this.active < this.limit) {
      this.active++;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
