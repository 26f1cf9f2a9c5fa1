import fs from 'node:fs/promises';
import { checkPayload, isJobName, MAX_BULK, type EnqueueItem, type JobService } from '@media-ai/jobs';

/** One line of a bulk file: {"type": "...", "payload": {...}, "idempotencyKey"?, "contentId"?, "assetId"?, "webhookUrl"?} */
const FIELDS = ['type', 'payload', 'idempotencyKey', 'contentId', 'assetId', 'webhookUrl'] as const;

/**
 * Reads a JSON Lines file of jobs and checks every line (JSON, job type, payload schema) before
 * anything is queued; the error names the line and the field.
 */
export async function readJobLines(file: string): Promise<EnqueueItem[]> {
  const text = await fs.readFile(file, 'utf8');
  const items: EnqueueItem[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (!line) continue;
    const where = `${file}:${n + 1}`;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`${where}: not valid JSON`);
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj))
      throw new Error(`${where}: each line must be a JSON object`);
    const unknown = Object.keys(obj).filter((k) => !(FIELDS as readonly string[]).includes(k));
    if (unknown.length)
      throw new Error(`${where}: unknown field "${unknown[0]}"; a line may have ${FIELDS.join(', ')}`);
    const type = obj.type;
    if (typeof type !== 'string' || !isJobName(type)) {
      throw new Error(`${where}: type "${String(type)}" is not a job type; see: pnpm mediaai jobs types`);
    }
    try {
      checkPayload(type, obj.payload);
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
    for (const k of ['idempotencyKey', 'contentId', 'assetId', 'webhookUrl'] as const) {
      if (obj[k] !== undefined && typeof obj[k] !== 'string')
        throw new Error(`${where}: ${k} must be a string`);
    }
    items.push({
      type,
      payload: obj.payload ?? {},
      idempotencyKey: obj.idempotencyKey as string | undefined,
      contentId: obj.contentId as string | undefined,
      assetId: obj.assetId as string | undefined,
      webhookUrl: obj.webhookUrl as string | undefined,
    });
  }
  return items;
}

/** Queues the items in batches (each checked and queued as a whole), reporting progress after each. */
export async function enqueueInBatches(
  jobs: JobService,
  newsroomId: string,
  items: EnqueueItem[],
  batchSize: number,
  onProgress: (done: number) => void,
): Promise<{ queued: number; ids: string[] }> {
  const size = Math.max(1, Math.min(MAX_BULK, batchSize));
  const ids: string[] = [];
  for (let i = 0; i < items.length; i += size) {
    const rows = await jobs.enqueueMany(newsroomId, items.slice(i, i + size));
    for (const r of rows) ids.push(r.id);
    onProgress(Math.min(items.length, i + size));
  }
  return { queued: ids.length, ids };
}
