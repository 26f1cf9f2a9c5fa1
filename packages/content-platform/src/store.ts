import type { GeneratedItem, TenantDb } from '@media-ai/db';
import type { LlmCallRecord, LlmUsageTotals, NewGeneratedItem } from './types.js';

/** Stores generated items (the review queue) in their order; returns the rows. */
export async function storeGeneratedItems(
  db: TenantDb,
  items: readonly NewGeneratedItem[],
  link: { contentId?: string | null; jobId?: string | null },
): Promise<GeneratedItem[]> {
  if (!items.length) return [];
  // One createdAt per batch would make their order arbitrary; a millisecond apart keeps it.
  const base = Date.now();
  const rows = await db.generatedItem.createManyAndReturn({
    data: items.map((item, i) => ({
      ...item,
      contentId: link.contentId ?? null,
      jobId: link.jobId ?? null,
      createdAt: new Date(base + i),
    })),
  });
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** One LlmUsage row per answered LLM call. */
export async function storeLlmUsage(
  db: TenantDb,
  calls: readonly LlmCallRecord[],
  jobId: string | null,
): Promise<void> {
  if (!calls.length) return;
  await db.llmUsage.createMany({
    data: calls.map((c) => ({ ...c, jobId })),
  });
}

export function usageTotals(calls: readonly LlmCallRecord[]): LlmUsageTotals {
  return calls.reduce<LlmUsageTotals>(
    (t, c) => ({
      calls: t.calls + 1,
      promptTokens: t.promptTokens + c.promptTokens,
      completionTokens: t.completionTokens + c.completionTokens,
      costUsd: t.costUsd + c.costUsd,
    }),
    { calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 },
  );
}
