import type { GuardrailOptions } from '../guardrails/check.js';
import type { Glossary } from '../guardrails/glossary.js';
import { OpenAiCompatibleProvider } from '../llm/provider.js';
import type { LlmConfig, LlmProvider } from '../llm/types.js';
import type { TopicClassifierModel } from '../nlp/classifier.js';
import type { SentenceScorerModel } from '../summarize/scorer.js';
import { LlmContentEngine } from './llm.js';
import { LocalContentEngine } from './local.js';
import type { ContentEngine, EngineInfo, EngineOutput } from './types.js';

export interface ContentEngineConfig {
  /** An LLM (config or provider). Absent or null: the local engine answers everything. */
  llm?: LlmConfig | LlmProvider | null;
  /** Trained sentence scorer for local summaries and headline sources. */
  scorer?: SentenceScorerModel;
  /** Trained topic classifier for local tags. */
  classifier?: TopicClassifierModel;
  glossary?: Glossary;
  /** Guardrail policy and banned terms applied to every generated text. */
  guardrails?: Omit<GuardrailOptions, 'glossary' | 'maxChars' | 'minChars'>;
  /** When the LLM fails (after its retries) or its output is rejected, answer with the local engine. Default true. */
  fallback?: boolean;
}

type Op = 'summarize' | 'headlines' | 'social' | 'keywords' | 'tags';

/** Runs the LLM engine and answers with the local engine when it fails; the output records both. */
export class FallbackContentEngine implements ContentEngine {
  readonly info: EngineInfo;
  constructor(
    readonly primary: ContentEngine,
    readonly secondary: ContentEngine,
  ) {
    this.info = primary.info;
  }

  private async run<A, R, T>(op: Op, article: A, request: R): Promise<EngineOutput<T>> {
    type Fn = (a: A, r: R) => Promise<EngineOutput<T>>;
    try {
      return await (this.primary[op] as unknown as Fn).call(this.primary, article, request);
    } catch (e) {
      if ((request as { signal?: AbortSignal } | undefined)?.signal?.aborted) throw e;
      const out = await (this.secondary[op] as unknown as Fn).call(this.secondary, article, request);
      return { ...out, fallback: { from: this.primary.info, reason: (e as Error).message } };
    }
  }

  summarize: ContentEngine['summarize'] = (a, r) => this.run('summarize', a, r);
  headlines: ContentEngine['headlines'] = (a, r) => this.run('headlines', a, r);
  social: ContentEngine['social'] = (a, r) => this.run('social', a, r);
  keywords: ContentEngine['keywords'] = (a, r) => this.run('keywords', a, r);
  tags: ContentEngine['tags'] = (a, r) => this.run('tags', a, r);
}

function isProvider(x: LlmConfig | LlmProvider): x is LlmProvider {
  return typeof (x as LlmProvider).chat === 'function';
}

/** The engine for a configuration: local only, or the LLM with the local engine as fallback. */
export function createContentEngine(config: ContentEngineConfig = {}): ContentEngine {
  const guardrails: GuardrailOptions = {
    ...config.guardrails,
    ...(config.glossary ? { glossary: config.glossary } : {}),
  };
  const local = new LocalContentEngine({
    guardrails,
    ...(config.scorer ? { scorer: config.scorer } : {}),
    ...(config.classifier ? { classifier: config.classifier } : {}),
  });
  if (!config.llm) return local;
  const provider = isProvider(config.llm) ? config.llm : new OpenAiCompatibleProvider(config.llm);
  const llm = new LlmContentEngine(provider, { guardrails });
  return config.fallback === false ? llm : new FallbackContentEngine(llm, local);
}
