import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiImagesProvider, imagesConfigFromEnv, isGraphicsError } from '../src/index.js';

/*
 * A small image server speaking OpenAI's /v1/images/generations wire format: b64_json and url answers,
 * a content-policy refusal, a failing then recovering server, a bad key.
 */
interface Seen {
  path: string;
  auth: string | undefined;
  body: Record<string, unknown> | null;
}

let server: http.Server;
let base: string;
const seen: Seen[] = [];
let png: Buffer;
let flaky = 0;

beforeAll(async () => {
  png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
      seen.push({ path: req.url ?? '', auth: req.headers.authorization, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.url === '/files/generated.png') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
        return res.end(png);
      }
      if (req.url !== '/v1/images/generations' || req.method !== 'POST')
        return json(404, { error: { message: 'not found' } });
      if (req.headers.authorization !== 'Bearer sk-test')
        return json(401, {
          error: {
            message: 'Incorrect API key provided',
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        });
      const prompt = String(body?.prompt ?? '');
      if (prompt.includes('forbidden'))
        return json(400, {
          error: {
            message: 'Your request was rejected as a result of our safety system.',
            type: 'image_generation_user_error',
            code: 'content_policy_violation',
          },
        });
      if (prompt.includes('flaky') && flaky++ === 0) return json(503, { error: { message: 'overloaded' } });
      if (prompt.includes('not an image'))
        return json(200, { created: 1, data: [{ b64_json: Buffer.from('hello').toString('base64') }] });
      if (body?.response_format === 'url')
        return json(200, {
          created: 1,
          data: [{ url: `${base}/files/generated.png`, revised_prompt: `${prompt}, photorealistic` }],
        });
      return json(200, {
        created: 1,
        data: Array.from({ length: Number(body?.n ?? 1) }, () => ({ b64_json: png.toString('base64') })),
        usage: {
          total_tokens: 4200,
          input_tokens: 50,
          output_tokens: 4150,
          input_tokens_details: { text_tokens: 50, image_tokens: 0 },
        },
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const provider = (extra: Record<string, string> = {}) =>
  new OpenAiImagesProvider(
    imagesConfigFromEnv({
      IMAGES_BASE_URL: base,
      IMAGES_MODEL: 'gpt-image-1',
      IMAGES_API_KEY: 'sk-test',
      IMAGES_PRICE_PER_IMAGE: '0.04',
      IMAGES_MAX_RETRIES: '1',
      ...extra,
    })!,
  );

describe('OpenAI-compatible image provider', () => {
  it('is configured only with a base URL and a model', () => {
    expect(imagesConfigFromEnv({})).toBeUndefined();
    expect(imagesConfigFromEnv({ IMAGES_BASE_URL: base })).toBeUndefined();
    expect(
      imagesConfigFromEnv({ IMAGES_BASE_URL: base, IMAGES_MODEL: 'm', IMAGES_RESPONSE_FORMAT: 'url' }),
    ).toEqual({ baseURL: base, model: 'm', responseFormat: 'url' });
  });

  it('decodes b64_json images, reads token usage and prices each image', async () => {
    const result = await provider().generate({ prompt: 'a lighthouse at dusk', size: '1024x1024', n: 2 });
    expect(result.images).toHaveLength(2);
    expect(result.images[0]).toMatchObject({
      mimeType: 'image/png',
      width: 64,
      height: 48,
      from: 'b64_json',
      revisedPrompt: null,
    });
    expect(result.usage).toEqual({ inputTokens: 50, outputTokens: 4150 });
    expect(result.cost).toBeCloseTo(0.08);
    const sent = seen.findLast((s) => s.path === '/v1/images/generations')!;
    expect(sent.body).toEqual({
      model: 'gpt-image-1',
      prompt: 'a lighthouse at dusk',
      n: 2,
      size: '1024x1024',
    });
    expect(sent.auth).toBe('Bearer sk-test');
  });

  it('downloads url images without sending the API key there', async () => {
    const result = await provider({ IMAGES_RESPONSE_FORMAT: 'url' }).generate({ prompt: 'a harbour' });
    expect(result.images[0]).toMatchObject({
      from: 'url',
      width: 64,
      revisedPrompt: 'a harbour, photorealistic',
    });
    expect(result.images[0]!.bytes.equals(png)).toBe(true);
    expect(result.usage).toBeNull();
    expect(seen.findLast((s) => s.path === '/v1/images/generations')!.body!.response_format).toBe('url');
    expect(seen.findLast((s) => s.path === '/files/generated.png')!.auth).toBeUndefined();
  });

  it('maps the server errors: refusal, bad key, overload (retried), not an image', async () => {
    const refused = await provider()
      .generate({ prompt: 'something forbidden' })
      .catch((e: unknown) => e);
    expect(isGraphicsError(refused, 'PROVIDER_REFUSED')).toBe(true);
    expect((refused as Error).message).toMatch(/refused the prompt: Your request was rejected/);
    expect((refused as { retryable: boolean }).retryable).toBe(false);

    const badKey = await provider({ IMAGES_API_KEY: 'wrong' })
      .generate({ prompt: 'x' })
      .catch((e: unknown) => e);
    expect(isGraphicsError(badKey, 'PROVIDER_FAILED')).toBe(true);
    expect((badKey as Error).message).toMatch(/answered 401: Incorrect API key/);
    expect((badKey as { retryable: boolean }).retryable).toBe(false);

    const before = seen.length;
    const recovered = await provider().generate({ prompt: 'flaky server' });
    expect(recovered.images).toHaveLength(1);
    expect(seen.length - before).toBe(2);

    const garbage = await provider()
      .generate({ prompt: 'not an image' })
      .catch((e: unknown) => e);
    expect(isGraphicsError(garbage, 'PROVIDER_FAILED')).toBe(true);
    expect((garbage as Error).message).toMatch(/not a PNG, JPEG or WebP image/);
  });
});
