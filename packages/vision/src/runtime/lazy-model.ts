import { VisionError } from '../errors.js';
import type { ModelIdentity } from '../types.js';

export interface LoadedModelInfo extends ModelIdentity {
  loadMs: number;
  loadedAt: string;
}

const loaded = new Map<string, LoadedModelInfo>();

/**
 * A model loaded at most once per process, on first use. A failed load is
 * not cached, so the next call tries again (MODEL_UNAVAILABLE is retryable).
 */
export class LazyModel<T> {
  #pending: Promise<T> | undefined;
  #info: LoadedModelInfo | undefined;

  constructor(
    readonly identity: ModelIdentity,
    private readonly loader: () => Promise<T>,
  ) {}

  get(): Promise<T> {
    this.#pending ??= this.#load();
    return this.#pending;
  }

  /** Load time and moment, once loaded. */
  get info(): LoadedModelInfo | undefined {
    return this.#info;
  }

  async #load(): Promise<T> {
    const started = performance.now();
    try {
      const model = await this.loader();
      this.#info = {
        ...this.identity,
        loadMs: Math.round(performance.now() - started),
        loadedAt: new Date().toISOString(),
      };
      loaded.set(`${this.identity.name}@${this.identity.version}`, this.#info);
      return model;
    } catch (error) {
      this.#pending = undefined;
      throw new VisionError(
        'MODEL_UNAVAILABLE',
        `Model ${this.identity.name}@${this.identity.version} failed to load: ${error instanceof Error ? error.message : String(error)}`,
        { model: this.identity },
        error,
      );
    }
  }

  /** Forgets the instance (after disposing it) so that the next get() loads again. */
  reset(): void {
    this.#pending = undefined;
    if (this.#info) loaded.delete(`${this.identity.name}@${this.identity.version}`);
    this.#info = undefined;
  }
}

/** Every model this process has loaded, with its load time. */
export function loadedModels(): LoadedModelInfo[] {
  return [...loaded.values()];
}
