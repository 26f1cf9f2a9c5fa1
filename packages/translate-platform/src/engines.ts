import { EngineRegistry } from '@media-ai/translate';
import { translationConfigFromEnv, type ResolvedTranslationConfig, type TranslationEnv } from './config.js';

/**
 * The process's translation engines: one EngineRegistry, built on first use from the environment and kept
 * (Apertium pipelines stay warm between requests) until `close`.
 */
export class TranslationEngines {
  private registry: EngineRegistry | null = null;
  private resolved: ResolvedTranslationConfig | null = null;

  constructor(private readonly env: () => TranslationEnv) {}

  /** Throws TranslationConfigError when the configuration is wrong. */
  get(): EngineRegistry {
    if (!this.registry) {
      this.resolved = translationConfigFromEnv(this.env());
      this.registry = new EngineRegistry(this.resolved.config);
    }
    return this.registry;
  }

  /** The configuration in use (after `get`), for logs and the API. */
  describe(): ResolvedTranslationConfig {
    this.get();
    return this.resolved!;
  }

  /** Stops the engines' processes and sockets; a later `get` starts over. */
  async close(): Promise<void> {
    const registry = this.registry;
    this.registry = null;
    this.resolved = null;
    await registry?.close();
  }
}
