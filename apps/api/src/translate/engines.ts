import type { Config } from '@media-ai/config';
import { TranslationEngines, translationEnv } from '@media-ai/translate-platform';

let engines: TranslationEngines | null = null;

/**
 * The API process's translation engines for short synchronous work: built on first use from the environment
 * (MEDIAAI_TRANSLATE_CONFIG or the simple variables, see docs/translate.md), Apertium pipelines kept warm.
 */
export function translationEngines(config: Config): TranslationEngines {
  engines ??= new TranslationEngines(() => translationEnv(config));
  return engines;
}

/** Stops the engines (Apertium processes, sockets); called when the API shuts down. */
export async function closeTranslationEngines(): Promise<void> {
  const current = engines;
  engines = null;
  await current?.close();
}
