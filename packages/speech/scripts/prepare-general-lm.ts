/**
 * Converts the general en-us language model to ARPA once, into the speech cache (SPEECH_CACHE_DIR, else
 * ~/.cache/media-ai/speech), so that the first newsroom model build does not pay for it. Run at deploy time:
 *   pnpm --filter @media-ai/speech lm:prepare
 */
import { ensureGeneralArpa } from '../src/index.js';

const started = performance.now();
const result = await ensureGeneralArpa();
console.log(
  `${result.path} (${result.method}${result.cached ? ', already cached' : ''}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
