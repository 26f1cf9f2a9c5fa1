import {
  OpenAiCompatibleProvider,
  llmConfigFromEnv,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type LlmConfig,
  type LlmProvider,
  type LlmTotals,
} from '@media-ai/content-gen';
import type { LlmCallRecord } from './types.js';

/** The platform configuration keys of the LLM (the other LLM_* variables come from the environment). */
export interface LlmSettings {
  LLM_BASE_URL?: string | undefined;
  LLM_MODEL?: string | undefined;
  LLM_API_KEY?: string | undefined;
}

/**
 * The LLM configuration: LLM_BASE_URL, LLM_MODEL, LLM_API_KEY from the platform config, LLM_TIMEOUT_MS,
 * LLM_MAX_RETRIES, LLM_MAX_CONCURRENCY, LLM_PRICE_PROMPT_PER_1K, LLM_PRICE_COMPLETION_PER_1K from the
 * environment. Undefined when no LLM is configured.
 */
export function llmConfig(
  settings: LlmSettings,
  env: NodeJS.ProcessEnv = process.env,
): LlmConfig | undefined {
  return llmConfigFromEnv({
    ...env,
    LLM_BASE_URL: settings.LLM_BASE_URL,
    LLM_MODEL: settings.LLM_MODEL,
    LLM_API_KEY: settings.LLM_API_KEY,
  });
}

let shared: { key: string; provider: OpenAiCompatibleProvider } | undefined;

/**
 * One provider per process and configuration, so its concurrency limit (LLM_MAX_CONCURRENCY) holds across
 * every job this thread runs.
 */
export function sharedLlmProvider(config: LlmConfig): OpenAiCompatibleProvider {
  const key = JSON.stringify(config);
  if (shared?.key !== key) shared = { key, provider: new OpenAiCompatibleProvider(config) };
  return shared.provider;
}

interface RecordedCall {
  operation: string;
  messages: ChatMessage[];
  result?: ChatResult;
}

/**
 * Wraps the shared provider for one job: records each call's prompt and usage (for GeneratedItem.prompt and
 * table LlmUsage) and streams every call's tokens to `onToken` with the operation they belong to.
 */
export class RecordingLlm implements LlmProvider {
  readonly calls: RecordedCall[] = [];
  /** Set before each operation: the calls it makes are recorded under it. */
  operation = '';

  constructor(
    private readonly inner: LlmProvider,
    private readonly onToken?: (operation: string, token: string) => void,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  get model(): string {
    return this.inner.model;
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const call: RecordedCall = { operation: this.operation, messages: request.messages };
    this.calls.push(call);
    const sink = this.onToken;
    const onToken = sink
      ? (t: string) => {
          request.onToken?.(t);
          sink(call.operation, t);
        }
      : request.onToken;
    call.result = await this.inner.chat({ ...request, ...(onToken ? { onToken } : {}) });
    return call.result;
  }

  totals(): LlmTotals {
    return this.inner.totals();
  }

  /** Prompts of one operation's calls, as text. */
  promptOf(operation: string): string | null {
    const calls = this.calls.filter((c) => c.operation === operation);
    if (!calls.length) return null;
    return calls
      .map((c) => c.messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n'))
      .join('\n\n---\n\n');
  }

  /** Answered calls, for table LlmUsage. */
  records(): LlmCallRecord[] {
    return this.calls
      .filter((c): c is Required<RecordedCall> => c.result !== undefined)
      .map((c) => ({
        operation: c.operation,
        model: c.result.model,
        promptTokens: c.result.usage.promptTokens,
        completionTokens: c.result.usage.completionTokens,
        costUsd: c.result.cost,
      }));
  }
}
