import fs from 'node:fs';
import readline from 'node:readline';
import { parse } from 'csv-parse';

/** A content row as the importers produce it, before it reaches the database. */
export interface ContentRow {
  externalId: string;
  type?: 'ARTICLE' | 'VIDEO' | 'AUDIO' | 'IMAGE';
  title: string;
  body?: string;
  category?: string | null;
  tags?: string[];
  language?: string | null;
  url?: string | null;
  publishedAt?: Date | null;
  source?: string | null;
}

export interface EventRow {
  eventId: string;
  readerId: string;
  contentExternalId: string;
  eventType: string;
  weight?: number;
  occurredAt: Date;
}

export type ContentFormat = 'mind-news' | 'ml-items' | 'csv' | 'tsv' | 'jsonl';
export type EventFormat = 'mind-behaviors' | 'ml-ratings' | 'csv' | 'tsv' | 'jsonl';

export class ImportFormatError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'ImportFormatError';
  }
}

export function guessContentFormat(file: string): ContentFormat {
  if (/news\.tsv$/.test(file)) return 'mind-news';
  if (/u\.item$/.test(file)) return 'ml-items';
  if (file.endsWith('.jsonl') || file.endsWith('.ndjson')) return 'jsonl';
  if (file.endsWith('.tsv')) return 'tsv';
  return 'csv';
}

export function guessEventFormat(file: string): EventFormat {
  if (/behaviors\.tsv$/.test(file)) return 'mind-behaviors';
  if (/u\.data$/.test(file)) return 'ml-ratings';
  if (file.endsWith('.jsonl') || file.endsWith('.ndjson')) return 'jsonl';
  if (file.endsWith('.tsv')) return 'tsv';
  return 'csv';
}

async function* lines(file: string, encoding: BufferEncoding = 'utf8'): AsyncGenerator<[string, number]> {
  const rl = readline.createInterface({
    input: fs.createReadStream(file, { encoding }),
    crlfDelay: Infinity,
  });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line.trim()) yield [line, n];
  }
}

/**
 * Rows of a CSV (RFC 4180: quoted fields may hold separators, doubled quotes and newlines) or TSV file
 * keyed by the header row, with the line number where each row ends.
 */
async function* tabular(file: string, sep: string): AsyncGenerator<[Record<string, string>, number]> {
  const parser = fs.createReadStream(file).pipe(
    parse({
      delimiter: sep,
      columns: (header: string[]) => header.map((h) => h.trim()),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // TSV has no quoting: a quote is a character like any other.
      quote: sep === '\t' ? false : '"',
      info: true,
    }),
  );
  try {
    for await (const row of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      const record = row.record;
      for (const key of Object.keys(record)) record[key] ??= '';
      yield [record, row.info.lines];
    }
  } catch (error) {
    const e = error as { code?: string; lines?: number; message?: string };
    if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
      throw new ImportFormatError(file, e.lines ?? 0, e.message ?? 'not valid CSV');
    }
    throw error;
  }
}

async function* jsonl(file: string): AsyncGenerator<[Record<string, unknown>, number]> {
  for await (const [line, n] of lines(file)) {
    try {
      yield [JSON.parse(line) as Record<string, unknown>, n];
    } catch {
      throw new ImportFormatError(file, n, 'not valid JSON');
    }
  }
}

function date(file: string, n: number, v: unknown): Date {
  const d = typeof v === 'number' ? new Date(v > 1e12 ? v : v * 1000) : new Date(String(v));
  if (Number.isNaN(d.getTime())) throw new ImportFormatError(file, n, `"${String(v)}" is not a date`);
  return d;
}

export async function* readContent(
  file: string,
  format = guessContentFormat(file),
): AsyncGenerator<ContentRow> {
  if (format === 'mind-news') {
    for await (const [line, n] of lines(file)) {
      const [id, category, subcategory, title, abstract, url] = line.split('\t');
      if (!id || !title)
        throw new ImportFormatError(
          file,
          n,
          'expected MIND news columns: id, category, subcategory, title, abstract, url',
        );
      yield {
        externalId: id,
        title,
        body: abstract ?? '',
        category,
        tags: subcategory ? [subcategory] : [],
        language: 'en',
        url: url || null,
        source: 'MIND',
      };
    }
    return;
  }
  if (format === 'ml-items') {
    for await (const [line, n] of lines(file, 'latin1')) {
      const cells = line.split('|');
      if (cells.length < 5) throw new ImportFormatError(file, n, 'expected MovieLens u.item columns');
      const released = cells[2] ? new Date(cells[2]) : null;
      const GENRES = [
        'unknown',
        'Action',
        'Adventure',
        'Animation',
        "Children's",
        'Comedy',
        'Crime',
        'Documentary',
        'Drama',
        'Fantasy',
        'Film-Noir',
        'Horror',
        'Musical',
        'Mystery',
        'Romance',
        'Sci-Fi',
        'Thriller',
        'War',
        'Western',
      ];
      const genres = cells
        .slice(5)
        .map((f, i) => (f === '1' ? GENRES[i] : null))
        .filter((g): g is string => !!g);
      yield {
        externalId: `ml:${cells[0]}`,
        type: 'VIDEO',
        title: cells[1],
        category: genres[0] ?? null,
        tags: genres,
        publishedAt: released && !Number.isNaN(released.getTime()) ? released : null,
        url: cells[4] || null,
        source: 'MovieLens',
      };
    }
    return;
  }
  const rows = format === 'jsonl' ? jsonl(file) : tabular(file, format === 'tsv' ? '\t' : ',');
  for await (const [r, n] of rows as AsyncGenerator<[Record<string, unknown>, number]>) {
    const externalId = String(r.externalId ?? r.id ?? '');
    const title = String(r.title ?? '');
    if (!externalId || !title)
      throw new ImportFormatError(file, n, 'each row needs externalId (or id) and title');
    const tags = Array.isArray(r.tags)
      ? r.tags.map(String)
      : typeof r.tags === 'string' && r.tags
        ? r.tags.split(/[;|]/).map((t) => t.trim())
        : [];
    yield {
      externalId,
      title,
      body: r.body ? String(r.body) : '',
      category: r.category ? String(r.category) : null,
      tags,
      language: r.language ? String(r.language) : null,
      url: r.url ? String(r.url) : null,
      publishedAt: r.publishedAt ? date(file, n, r.publishedAt) : null,
      source: r.source ? String(r.source) : null,
      type: r.type ? (String(r.type).toUpperCase() as ContentRow['type']) : undefined,
    };
  }
}

/** MIND's "11/12/2019 2:14:46 PM" (US, UTC). */
function mindTime(s: string): Date {
  const m = /^(\d+)\/(\d+)\/(\d+) (\d+):(\d+):(\d+) (AM|PM)$/.exec(s.trim());
  if (!m) return new Date(NaN);
  let h = Number(m[4]) % 12;
  if (m[7] === 'PM') h += 12;
  return new Date(Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), h, Number(m[5]), Number(m[6])));
}

export async function* readEvents(file: string, format = guessEventFormat(file)): AsyncGenerator<EventRow> {
  if (format === 'mind-behaviors') {
    for await (const [line, n] of lines(file)) {
      const [impression, user, time, history, impressions] = line.split('\t');
      const at = mindTime(time ?? '');
      if (!user || Number.isNaN(at.getTime()))
        throw new ImportFormatError(
          file,
          n,
          'expected MIND behaviors columns: impression, user, time, history, impressions',
        );
      // History: articles the reader clicked before this impression (time unknown: one second per step back).
      const hist = (history ?? '').split(' ').filter(Boolean);
      for (let i = 0; i < hist.length; i++) {
        yield {
          eventId: `mind:h:${user}:${hist[i]}`,
          readerId: user,
          contentExternalId: hist[i],
          eventType: 'read',
          occurredAt: new Date(at.getTime() - (hist.length - i) * 1000),
        };
      }
      for (const imp of (impressions ?? '').split(' ').filter(Boolean)) {
        const [id, label] = imp.split('-');
        yield {
          eventId: `mind:i:${impression}:${id}`,
          readerId: user,
          contentExternalId: id,
          eventType: label === '1' ? 'click' : 'impression',
          occurredAt: at,
        };
      }
    }
    return;
  }
  if (format === 'ml-ratings') {
    for await (const [line, n] of lines(file)) {
      const [user, item, rating, ts] = line.split('\t');
      if (!user || !item || !rating || !ts)
        throw new ImportFormatError(
          file,
          n,
          'expected MovieLens u.data columns: user, item, rating, timestamp',
        );
      yield {
        eventId: `ml:${user}:${item}`,
        readerId: `ml:${user}`,
        contentExternalId: `ml:${item}`,
        eventType: 'rating',
        weight: Number(rating),
        occurredAt: new Date(Number(ts) * 1000),
      };
    }
    return;
  }
  const rows = format === 'jsonl' ? jsonl(file) : tabular(file, format === 'tsv' ? '\t' : ',');
  for await (const [r, n] of rows as AsyncGenerator<[Record<string, unknown>, number]>) {
    const eventId = String(r.eventId ?? '');
    const readerId = String(r.readerId ?? '');
    const contentExternalId = String(r.contentExternalId ?? r.contentId ?? '');
    if (!eventId || !readerId || !contentExternalId)
      throw new ImportFormatError(file, n, 'each row needs eventId, readerId and contentExternalId');
    yield {
      eventId,
      readerId,
      contentExternalId,
      eventType: String(r.eventType ?? 'view'),
      weight: r.weight !== undefined && r.weight !== '' ? Number(r.weight) : undefined,
      occurredAt: date(file, n, r.occurredAt ?? r.timestamp),
    };
  }
}
