import type { Prisma, TenantDb } from '@media-ai/db';
import type { LlmUsageBucketGQL, LlmUsageReportGQL } from './generation.types.js';

type Group = {
  _count: { _all: number };
  _sum: { promptTokens: number | null; completionTokens: number | null; costUsd: number | null };
};

function bucket(key: string, g: Group): LlmUsageBucketGQL {
  return {
    key,
    calls: g._count._all,
    promptTokens: g._sum.promptTokens ?? 0,
    completionTokens: g._sum.completionTokens ?? 0,
    costUsd: g._sum.costUsd ?? 0,
  };
}

const byCost = (a: LlmUsageBucketGQL, b: LlmUsageBucketGQL) =>
  b.costUsd - a.costUsd || b.promptTokens + b.completionTokens - (a.promptTokens + a.completionTokens);

/** Token and cost totals of the newsroom's LLM calls (table LlmUsage), by operation, model and job. */
export async function llmUsageReport(
  db: TenantDb,
  since: Date | null,
  jobId: string | null,
): Promise<LlmUsageReportGQL> {
  const where: Prisma.LlmUsageWhereInput = {
    ...(since ? { createdAt: { gte: since } } : {}),
    ...(jobId ? { jobId } : {}),
  };
  const agg = {
    _count: { _all: true },
    _sum: { promptTokens: true, completionTokens: true, costUsd: true },
  } as const;
  const [total, ops, models, jobs] = await Promise.all([
    db.llmUsage.aggregate({ where, ...agg }),
    db.llmUsage.groupBy({ by: ['operation'], where, ...agg }),
    db.llmUsage.groupBy({ by: ['model'], where, ...agg }),
    db.llmUsage.groupBy({ by: ['jobId'], where, ...agg }),
  ]);
  const t = bucket('total', total as Group);
  return {
    since,
    calls: t.calls,
    promptTokens: t.promptTokens,
    completionTokens: t.completionTokens,
    totalTokens: t.promptTokens + t.completionTokens,
    costUsd: t.costUsd,
    byOperation: (ops as (Group & { operation: string })[]).map((g) => bucket(g.operation, g)).sort(byCost),
    byModel: (models as (Group & { model: string })[]).map((g) => bucket(g.model, g)).sort(byCost),
    byJob: (jobs as (Group & { jobId: string | null })[])
      .map((g) => bucket(g.jobId ?? 'none', g))
      .sort(byCost)
      .slice(0, 50),
  };
}
