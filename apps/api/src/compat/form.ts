import express, { type Request, type Response } from 'express';
import busboy from 'busboy';
import { DomainError } from '@media-ai/core';

export interface FormFile {
  filename: string;
  mimeType: string;
  bytes: Buffer;
}

export interface ParsedForm {
  /** Every field by name: JSON values as sent, form fields as strings (a repeated name as a list). */
  fields: Record<string, unknown>;
  file: FormFile | null;
  json: boolean;
}

/**
 * Reads a request as form-driven HTTP APIs accept it: a JSON object, application/x-www-form-urlencoded,
 * or multipart/form-data (fields and at most one file, held in memory up to `maxFileBytes`), plus the
 * query string underneath (body fields win).
 */
export async function readForm(
  req: Request,
  res: Response,
  opts: { maxBodyBytes: number; maxFileBytes?: number; fileField?: string },
): Promise<ParsedForm> {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.query)) fields[k] = v;
  if (type.startsWith('multipart/form-data')) {
    const { fields: parts, file } = await readMultipart(req, opts.maxFileBytes ?? 0, opts.fileField);
    for (const [k, v] of Object.entries(parts)) fields[k] = v.length === 1 ? v[0] : v;
    return { fields, file, json: false };
  }
  const parser = type.includes('json')
    ? express.json({ limit: opts.maxBodyBytes, strict: false, type: () => true })
    : type.startsWith('application/x-www-form-urlencoded')
      ? express.urlencoded({ limit: opts.maxBodyBytes, extended: false })
      : null;
  if (parser) {
    await new Promise<void>((resolve, reject) =>
      parser(req, res, (err?: unknown) => (err ? reject(err as Error) : resolve())),
    );
    const body: unknown = req.body;
    if (type.includes('json') && (typeof body !== 'object' || body === null || Array.isArray(body)))
      throw new DomainError('BAD_USER_INPUT', 'Invalid JSON format: the body must be a JSON object');
    if (body && typeof body === 'object') Object.assign(fields, body);
  }
  return { fields, file: null, json: type.includes('json') };
}

function readMultipart(
  req: Request,
  maxFileBytes: number,
  fileField = 'file',
): Promise<{ fields: Record<string, string[]>; file: FormFile | null }> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { files: 1, fileSize: maxFileBytes + 1, fields: 200, fieldSize: 1024 * 1024 },
      });
    } catch (e) {
      reject(new DomainError('BAD_USER_INPUT', `Malformed multipart form: ${(e as Error).message}`));
      return;
    }
    const fields: Record<string, string[]> = {};
    let file: FormFile | null = null;
    let failed: Error | null = null;
    bb.on('field', (name, value) => {
      (fields[name] ??= []).push(value);
    });
    bb.on('file', (name, stream, info) => {
      if (name !== fileField || maxFileBytes <= 0) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= maxFileBytes) chunks.push(c);
      });
      stream.on('limit', () => {
        failed = new DomainError(
          'PAYLOAD_TOO_LARGE',
          `The file is larger than the limit of ${maxFileBytes.toLocaleString('en')} bytes`,
        );
      });
      stream.on('end', () => {
        file = { filename: info.filename ?? '', mimeType: info.mimeType, bytes: Buffer.concat(chunks) };
      });
    });
    bb.on('error', (e: Error) =>
      reject(new DomainError('BAD_USER_INPUT', `Malformed multipart form: ${e.message}`)),
    );
    bb.on('close', () => (failed ? reject(failed) : resolve({ fields, file })));
    req.pipe(bb);
  });
}

/** A field that must be one string (a list or an object is refused, naming the field). */
export function stringField(fields: Record<string, unknown>, name: string): string | undefined {
  const v = fields[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new DomainError('BAD_USER_INPUT', `Invalid request: ${name} must be a string`, { field: name });
}
