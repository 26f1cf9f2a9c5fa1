import sharp from 'sharp';
import { HttpClient, isHttpError, openAiBase, type CheckUrl } from '@media-ai/http';
import { GraphicsError } from './errors.js';

/** An OpenAI-compatible image server (OpenAI, Azure OpenAI, LocalAI, a diffusers server behind LiteLLM …). */
export interface ImagesConfig {
  baseURL: string;
  model: string;
  apiKey?: string;
  /** Per attempt (default 120 s: generation is slow). */
  timeoutMs?: number;
  maxRetries?: number;
  maxConcurrency?: number;
  /** Sent as response_format when set; unset, the server's default (gpt-image-1 rejects the field). */
  responseFormat?: 'b64_json' | 'url';
  /** Cost of one image, for the usage ledger. */
  pricePerImage?: number;
  checkUrl?: CheckUrl;
  fetch?: typeof fetch;
}

/**
 * From IMAGES_BASE_URL, IMAGES_MODEL, IMAGES_API_KEY, IMAGES_TIMEOUT_MS, IMAGES_MAX_RETRIES,
 * IMAGES_MAX_CONCURRENCY, IMAGES_RESPONSE_FORMAT, IMAGES_PRICE_PER_IMAGE; undefined when no server is set.
 */
export function imagesConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): ImagesConfig | undefined {
  const baseURL = env.IMAGES_BASE_URL?.trim();
  const model = env.IMAGES_MODEL?.trim();
  if (!baseURL || !model) return undefined;
  const num = (k: string) =>
    env[k] !== undefined && env[k] !== '' && Number.isFinite(Number(env[k])) ? Number(env[k]) : undefined;
  const format = env.IMAGES_RESPONSE_FORMAT?.trim();
  const config: ImagesConfig = { baseURL, model };
  if (env.IMAGES_API_KEY) config.apiKey = env.IMAGES_API_KEY;
  if (num('IMAGES_TIMEOUT_MS') !== undefined) config.timeoutMs = num('IMAGES_TIMEOUT_MS')!;
  if (num('IMAGES_MAX_RETRIES') !== undefined) config.maxRetries = num('IMAGES_MAX_RETRIES')!;
  if (num('IMAGES_MAX_CONCURRENCY') !== undefined) config.maxConcurrency = num('IMAGES_MAX_CONCURRENCY')!;
  if (num('IMAGES_PRICE_PER_IMAGE') !== undefined) config.pricePerImage = num('IMAGES_PRICE_PER_IMAGE')!;
  if (format === 'b64_json' || format === 'url') config.responseFormat = format;
  return config;
}

export interface ImageRequest {
  prompt: string;
  /** "1024x1024", "1536x1024" … as the server accepts. */
  size?: string;
  n?: number;
  quality?: string;
  style?: string;
  signal?: AbortSignal;
}

export interface GeneratedImage {
  bytes: Buffer;
  mimeType: string;
  format: string;
  width: number;
  height: number;
  revisedPrompt: string | null;
  /** How the server sent it. */
  from: 'b64_json' | 'url';
}

export interface ImageResult {
  images: GeneratedImage[];
  model: string;
  /** Token usage when the server reports it (gpt-image-1 does), else null. */
  usage: { inputTokens: number; outputTokens: number } | null;
  cost: number;
  latencyMs: number;
}

interface ImagesJson {
  created?: number;
  data?: Array<{ b64_json?: string; url?: string; revised_prompt?: string }>;
  usage?: {
    input_tokens?: number;
    output_tokens?: number;
    prompt_tokens?: number;
    completion_tokens?: number;
  };
  model?: string;
}

export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;
const FORMATS: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/** `POST {base}/images/generations` with the endpoint's shared limiter, retries and timeouts. */
export class OpenAiImagesProvider {
  readonly name = 'openai-compatible-images';
  readonly model: string;
  private readonly http: HttpClient;

  constructor(private readonly config: ImagesConfig) {
    if (!config.model)
      throw new GraphicsError('NOT_CONFIGURED', 'IMAGES_MODEL is required with IMAGES_BASE_URL');
    this.model = config.model;
    this.http = new HttpClient({
      baseUrl: openAiBase(config.baseURL),
      timeoutMs: config.timeoutMs ?? 120_000,
      maxRetries: config.maxRetries ?? 2,
      maxConcurrency: config.maxConcurrency ?? 2,
      what: 'image server',
      ...(config.apiKey ? { apiKey: config.apiKey } : {}),
      ...(config.checkUrl ? { checkUrl: config.checkUrl } : {}),
      ...(config.fetch ? { fetch: config.fetch } : {}),
    });
  }

  async generate(request: ImageRequest): Promise<ImageResult> {
    const started = Date.now();
    const body: Record<string, unknown> = { model: this.model, prompt: request.prompt, n: request.n ?? 1 };
    if (request.size) body.size = request.size;
    if (request.quality) body.quality = request.quality;
    if (request.style) body.style = request.style;
    if (this.config.responseFormat) body.response_format = this.config.responseFormat;
    let json: ImagesJson;
    try {
      json = await this.http.json<ImagesJson>('images/generations', {
        json: body,
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (error) {
      throw this.wrap(error);
    }
    if (!Array.isArray(json.data) || json.data.length === 0) {
      throw new GraphicsError(
        'PROVIDER_FAILED',
        'The image server answered without images (no "data" list)',
        {},
        { retryable: false },
      );
    }
    const images: GeneratedImage[] = [];
    for (const [i, item] of json.data.entries()) {
      let bytes: Buffer;
      let from: GeneratedImage['from'];
      if (typeof item.b64_json === 'string') {
        bytes = Buffer.from(item.b64_json, 'base64');
        from = 'b64_json';
      } else if (typeof item.url === 'string') {
        bytes = await this.download(item.url, request.signal);
        from = 'url';
      } else {
        throw new GraphicsError(
          'PROVIDER_FAILED',
          `The image server's data[${i}] has neither b64_json nor url`,
          {},
          { retryable: false },
        );
      }
      images.push({ ...(await checkImage(bytes, i)), revisedPrompt: item.revised_prompt ?? null, from });
    }
    const u = json.usage;
    const input = u?.input_tokens ?? u?.prompt_tokens;
    const output = u?.output_tokens ?? u?.completion_tokens;
    return {
      images,
      model: json.model ?? this.model,
      usage:
        typeof input === 'number' && typeof output === 'number'
          ? { inputTokens: input, outputTokens: output }
          : null,
      cost: (this.config.pricePerImage ?? 0) * images.length,
      latencyMs: Date.now() - started,
    };
  }

  /** An image the server links to: fetched without the API key (the link is usually a signed URL elsewhere). */
  private async download(url: string, signal?: AbortSignal): Promise<Buffer> {
    let target: URL;
    try {
      target = new URL(url, openAiBase(this.config.baseURL));
    } catch {
      throw new GraphicsError(
        'PROVIDER_FAILED',
        `The image server sent an unusable url "${url.slice(0, 100)}"`,
        {},
        { retryable: false },
      );
    }
    const client = new HttpClient({
      baseUrl: target.origin,
      timeoutMs: this.config.timeoutMs ?? 120_000,
      maxRetries: this.config.maxRetries ?? 2,
      what: 'image download',
      ...(this.config.checkUrl ? { checkUrl: this.config.checkUrl } : {}),
      ...(this.config.fetch ? { fetch: this.config.fetch } : {}),
    });
    try {
      const res = await client.request(`${target.pathname.slice(1)}${target.search}`, {
        accept: 'image/*',
        ...(signal ? { signal } : {}),
      });
      const length = Number(res.headers.get('content-length') ?? 0);
      if (length > MAX_IMAGE_BYTES) {
        await res.body?.cancel();
        throw new GraphicsError(
          'PROVIDER_FAILED',
          `The generated image is ${length} bytes; at most ${MAX_IMAGE_BYTES} are accepted`,
          {},
          { retryable: false },
        );
      }
      const bytes = Buffer.from(await res.arrayBuffer());
      if (bytes.length > MAX_IMAGE_BYTES)
        throw new GraphicsError(
          'PROVIDER_FAILED',
          `The generated image is over ${MAX_IMAGE_BYTES} bytes`,
          {},
          { retryable: false },
        );
      return bytes;
    } catch (error) {
      throw this.wrap(error);
    }
  }

  private wrap(error: unknown): unknown {
    if (error instanceof GraphicsError) return error;
    if (!isHttpError(error)) return error;
    if (error.kind === 'aborted') return new GraphicsError('CANCELLED', 'The image request was cancelled');
    const detail = error.detail ? `: ${error.detail}` : '';
    if (
      error.kind === 'http' &&
      error.status === 400 &&
      /safety|policy|moderation|content/i.test(error.detail ?? '')
    ) {
      return new GraphicsError('PROVIDER_REFUSED', `The image server refused the prompt${detail}`, {
        status: error.status,
      });
    }
    if (
      error.kind === 'http' &&
      error.status !== undefined &&
      error.status < 500 &&
      error.status !== 408 &&
      error.status !== 429
    ) {
      return new GraphicsError(
        'PROVIDER_FAILED',
        `The image server answered ${error.status}${detail}`,
        { status: error.status },
        { retryable: false },
      );
    }
    return new GraphicsError(
      'PROVIDER_FAILED',
      `${error.message}${error.attempts > 1 ? ` (after ${error.attempts} attempts)` : ''}`,
      { status: error.status },
      { retryable: true, cause: error },
    );
  }
}

async function checkImage(
  bytes: Buffer,
  index: number,
): Promise<Omit<GeneratedImage, 'revisedPrompt' | 'from'>> {
  try {
    const meta = await sharp(bytes).metadata();
    const mimeType = FORMATS[meta.format ?? ''];
    if (!mimeType || !meta.width || !meta.height) throw new Error(`format ${meta.format ?? 'unknown'}`);
    return { bytes, mimeType, format: meta.format!, width: meta.width, height: meta.height };
  } catch (error) {
    throw new GraphicsError(
      'PROVIDER_FAILED',
      `The image server's image ${index} is not a PNG, JPEG or WebP image (${(error as Error).message})`,
      {},
      { retryable: false },
    );
  }
}
