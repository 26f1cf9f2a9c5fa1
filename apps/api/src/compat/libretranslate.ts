import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '@media-ai/core';
import { findLanguage, type DocumentFormat } from '@media-ai/translate';
import { translateForNewsroom } from '@media-ai/translate-platform';
import type { Services } from '../common/services.js';
import { contentDisposition } from '../common/content-disposition.js';
import { httpErrorOf, RETRY_AFTER_UNAVAILABLE_S } from '../common/errors.js';
import { Roles } from '../auth/roles.js';
import { translationEngines } from '../translate/engines.js';
import { code, TranslateService } from '../translate/translate.service.js';
import { MAX_BATCH_CHARS, MAX_BATCH_TEXTS, TranslationFormat } from '../translate/translate.types.js';
import { compatCaller } from './auth.js';
import { readForm, stringField, type ParsedForm } from './form.js';

/**
 * LibreTranslate's HTTP API (POST /translate, /detect, /translate_file, GET /languages, /download_file)
 * served by the platform's translation: the same engines, glossary and translation memory as GraphQL's
 * `translate`, the platform's API keys (sent as LibreTranslate's `api_key` field, or as a Bearer header),
 * rate limits and tenancy. Answers and errors are LibreTranslate's (`{"error": "..."}`).
 */

/** Files translate_file takes, by extension, and how each is read. */
const FILE_FORMATS: Record<string, { format: DocumentFormat; contentType: string }> = {
  '.txt': { format: 'text', contentType: 'text/plain; charset=utf-8' },
  '.html': { format: 'html', contentType: 'text/html; charset=utf-8' },
  '.htm': { format: 'html', contentType: 'text/html; charset=utf-8' },
  '.md': { format: 'markdown', contentType: 'text/markdown; charset=utf-8' },
};
/** Longest file translate_file takes, in characters (it is translated while the request waits). */
export const MAX_FILE_CHARS = MAX_BATCH_CHARS;
/** How long a translated file can be downloaded. */
const FILE_TTL_S = 3600;

const KEY_HOW = 'the api_key field (form, JSON or query string), or Authorization: Bearer <key>';

export function libreTranslateRoutes(services: Services): Router {
  const router = Router();
  const { config, usage } = services;
  const engines = () => translationEngines(config);
  const fileKey = (token: string) => `${config.MEDIAAI_QUEUE_PREFIX}:libretranslate-file:${token}`;

  const caller = (
    req: Request,
    res: Response,
    form: ParsedForm | null,
    roles: readonly string[] = Roles.any,
  ) =>
    compatCaller(services, {
      authorization: req.headers.authorization,
      bodyKey: form ? (stringField(form.fields, 'api_key') ?? stringField(form.fields, 'apiKey')) : null,
      ip: req.ip ?? 'unknown',
      res,
      roles,
      howToSendKey: KEY_HOW,
    });
  const form = (req: Request, res: Response, maxFileBytes = 0) =>
    readForm(req, res, { maxBodyBytes: config.MEDIAAI_MAX_REQUEST_BYTES, maxFileBytes });
  const handle =
    (fn: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        await fn(req, res);
      } catch (e) {
        next(e);
      }
    };

  router.get(
    '/languages',
    handle(async (req, res) => {
      // Open, as in LibreTranslate; a key, when sent, is checked and counted.
      if (req.headers.authorization || req.query.api_key) await caller(req, res, await form(req, res));
      else await services.auth.rateLimitAnonymous(req.ip ?? 'unknown', res);
      const pairs = await engines().get().pairs();
      const targets = new Map<string, Set<string>>();
      for (const p of pairs) {
        const set = targets.get(code(p.from)) ?? new Set<string>();
        set.add(code(p.to));
        targets.set(code(p.from), set);
        if (!targets.has(code(p.to))) targets.set(code(p.to), new Set());
      }
      res.json(
        [...targets]
          .map(([c, t]) => ({ code: c, name: findLanguage(c)?.name ?? c, targets: [...t].sort() }))
          .sort((a, b) => a.code.localeCompare(b.code)),
      );
    }),
  );

  router.post(
    '/translate',
    handle(async (req, res) => {
      const f = await form(req, res);
      const who = await caller(req, res, f);
      const q = f.fields.q;
      const source = required(f, 'source');
      const target = required(f, 'target');
      const batch = Array.isArray(q);
      if (q === undefined || q === null || q === '' || (batch && q.length === 0))
        throw new DomainError('BAD_USER_INPUT', 'Invalid request: missing q parameter', { field: 'q' });
      const texts = (batch ? q : [q]).map((t, i) => {
        if (typeof t !== 'string')
          throw new DomainError(
            'BAD_USER_INPUT',
            `Invalid request: q${batch ? `[${i}]` : ''} must be a string`,
          );
        // Form bodies: line endings as LF only, as LibreTranslate counts them.
        return f.json ? t : t.split(/\r\n|\r/).join('\n');
      });
      if (texts.length > MAX_BATCH_TEXTS)
        throw new DomainError(
          'BAD_USER_INPUT',
          `Invalid request: request (${texts.length}) exceeds text limit (${MAX_BATCH_TEXTS})`,
        );
      const format = stringField(f.fields, 'format') ?? 'text';
      if (format !== 'text' && format !== 'html')
        throw new DomainError('BAD_USER_INPUT', `${format} format is not supported; use text or html`);
      const alternatives = Number(stringField(f.fields, 'alternatives') ?? 0);
      if (!Number.isInteger(alternatives) || alternatives < 0 || alternatives > 3)
        throw new DomainError(
          'BAD_USER_INPUT',
          'Invalid request: alternatives must be a whole number from 0 to 3',
        );
      const auto = source.trim().toLowerCase() === 'auto';
      // LibreTranslate answers an empty text with an empty text; the engines refuse one.
      const filled = texts.map((t, i) => [t, i] as const).filter(([t]) => t.trim() !== '');
      const service = new TranslateService(who.db, engines());
      const results = filled.length
        ? await service.translateMany({
            texts: filled.map(([t]) => t),
            from: auto ? 'auto' : source,
            to: target,
            format: format === 'html' ? TranslationFormat.HTML : TranslationFormat.TEXT,
          })
        : [];
      const translated: string[] = texts.map(() => '');
      const detected: ({ confidence: number; language: string } | null)[] = texts.map(() => null);
      filled.forEach(([, i], k) => {
        translated[i] = results[k].text;
        const d = results[k].detected;
        if (d) detected[i] = { confidence: Math.round(d.confidence * 1000) / 10, language: d.code };
      });
      usage.record(who, 'libretranslate.translate', 'characters', sum(texts));
      const body: Record<string, unknown> = { translatedText: batch ? translated : translated[0] };
      if (auto) {
        const fallback = { confidence: 0, language: code(findLanguage(target)?.iso3 ?? target) };
        body.detectedLanguage = batch ? detected.map((d) => d ?? fallback) : (detected[0] ?? fallback);
      }
      // The platform's engines give one translation per text: no alternatives to offer.
      if (alternatives > 0) body.alternatives = batch ? texts.map(() => []) : [];
      res.json(body);
    }),
  );

  router.post(
    '/detect',
    handle(async (req, res) => {
      const f = await form(req, res);
      const who = await caller(req, res, f);
      const q = stringField(f.fields, 'q');
      if (!q) throw new DomainError('BAD_USER_INPUT', 'Invalid request: missing q parameter', { field: 'q' });
      const detection = await new TranslateService(who.db, engines()).detect(q);
      usage.record(who, 'libretranslate.detect', 'characters', q.length);
      res.json(
        [detection, ...detection.alternatives].map((d) => ({
          confidence: Math.round(d.confidence * 1000) / 10,
          language: d.code,
        })),
      );
    }),
  );

  router.post(
    '/translate_file',
    handle(async (req, res) => {
      // A file of MAX_FILE_CHARS characters is at most 4 bytes a character in UTF-8.
      const f = await form(req, res, MAX_FILE_CHARS * 4);
      const who = await caller(req, res, f, Roles.any);
      const file = f.file;
      if (!file)
        throw new DomainError('BAD_USER_INPUT', 'Invalid request: missing file parameter', { field: 'file' });
      const source = required(f, 'source');
      const target = required(f, 'target');
      if (!file.filename || file.bytes.length === 0)
        throw new DomainError('BAD_USER_INPUT', 'Invalid request: empty file');
      const ext = path.extname(file.filename).toLowerCase();
      const kind = FILE_FORMATS[ext];
      if (!kind)
        throw new DomainError(
          'BAD_USER_INPUT',
          `Invalid request: file format not supported (${ext || 'no extension'}); send ${Object.keys(FILE_FORMATS).join(', ')}`,
        );
      const text = new TextDecoder('utf-8', { fatal: false }).decode(file.bytes);
      if (text.length > MAX_FILE_CHARS)
        throw new DomainError(
          'BAD_USER_INPUT',
          `Invalid request: request (${text.length}) exceeds text limit (${MAX_FILE_CHARS})`,
        );
      const auto = source.trim().toLowerCase() === 'auto';
      const result = await translateForNewsroom({
        db: who.db,
        registry: engines().get(),
        text,
        format: kind.format,
        from: auto ? 'auto' : source,
        to: target,
        maxChars: MAX_FILE_CHARS,
      });
      usage.record(who, 'libretranslate.translate_file', 'characters', text.length);
      const token = randomUUID();
      const name = path.basename(file.filename).replace(/[^\w.\- ]+/g, '_');
      const meta = JSON.stringify({
        newsroomId: who.client.newsroomId,
        filename: name,
        contentType: kind.contentType,
      });
      await services.redis
        .multi()
        .set(`${fileKey(token)}:meta`, meta, 'EX', FILE_TTL_S)
        .set(`${fileKey(token)}:body`, Buffer.from(result.text, 'utf8'), 'EX', FILE_TTL_S)
        .exec();
      const base = config.PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`;
      res.json({ translatedFileUrl: `${base}/download_file/${token}.${encodeURIComponent(name)}` });
    }),
  );

  router.get(
    '/download_file/:filename',
    handle(async (req, res) => {
      // As in LibreTranslate, the link itself is the permission: its random part cannot be guessed.
      await services.auth.rateLimitAnonymous(req.ip ?? 'unknown', res);
      const filename = String(req.params.filename);
      const token = filename.split('.')[0];
      if (!/^[0-9a-f-]{36}$/i.test(token)) throw new DomainError('BAD_USER_INPUT', 'Invalid filename');
      const [meta, body] = await Promise.all([
        services.redis.get(`${fileKey(token)}:meta`),
        services.redis.getBuffer(`${fileKey(token)}:body`),
      ]);
      if (!meta || !body)
        throw new DomainError(
          'NOT_FOUND',
          `The translated file has expired (files are kept ${FILE_TTL_S / 60} minutes) or never existed`,
        );
      const m = JSON.parse(meta) as { filename: string; contentType: string };
      res.setHeader('content-type', m.contentType);
      res.setHeader('content-disposition', contentDisposition(m.filename, 'attachment'));
      res.send(body);
    }),
  );

  // Errors of these routes in LibreTranslate's shape.
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!isLibreTranslatePath(req.path)) return next(err);
    const e = httpErrorOf(err, config.MEDIAAI_MAX_REQUEST_BYTES);
    if (e.unexpected)
      services.log.error(
        { path: req.path, err: { message: (err as Error)?.message, stack: (err as Error)?.stack } },
        'unhandled LibreTranslate error',
      );
    if (res.headersSent) return;
    let status = e.status;
    let message = e.message;
    if (e.code === 'UNAUTHENTICATED') {
      // LibreTranslate: 400 when a key is needed and none came, 403 for a wrong one.
      status = e.details.missingKey ? 400 : 403;
      if (!e.details.missingKey) message = `Invalid API key: ${message}`;
    } else if (e.code === 'RATE_LIMITED' || e.code === 'QUOTA_EXCEEDED') message = `Slowdown: ${message}`;
    else if (e.code === 'UNAVAILABLE') res.setHeader('retry-after', String(RETRY_AFTER_UNAVAILABLE_S));
    res.status(status).json({ error: message });
  });
  return router;
}

function isLibreTranslatePath(p: string): boolean {
  return (
    ['/translate', '/detect', '/languages', '/translate_file'].includes(p) || p.startsWith('/download_file/')
  );
}

function required(f: ParsedForm, name: string): string {
  const v = stringField(f.fields, name);
  if (!v)
    throw new DomainError('BAD_USER_INPUT', `Invalid request: missing ${name} parameter`, { field: name });
  return v;
}

function sum(texts: readonly string[]): number {
  return texts.reduce((n, t) => n + t.length, 0);
}
