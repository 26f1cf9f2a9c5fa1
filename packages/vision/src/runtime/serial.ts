/** Runs calls one at a time: the model libraries keep per-call state and are not re-entrant. */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * One queue for everything that runs on the process's single tfjs engine:
 * wasm inference is single-threaded anyway, and interleaving two models'
 * async steps on one engine is not something the libraries are built for.
 */
export const tfQueue = new SerialQueue();
