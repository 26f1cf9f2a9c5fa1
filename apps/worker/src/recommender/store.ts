import { forNewsroom, modelRegistry, type Prisma } from '@media-ai/db';
import type { CatalogItem, EventWeights, Interaction } from '@media-ai/recommender';
import { getDb } from '../lib/deps.js';

/*
 * Data access of the recommender jobs: config, interactions, catalogue and the model registry.
 * Model versions of this area are (area 'recommender', name 'recommender').
 */

export const AREA = 'recommender';
export const MODEL_NAME = 'recommender';

export type Tenant = ReturnType<typeof forNewsroom>;

export function tenant(newsroomId: string): Tenant {
  return forNewsroom(getDb(), newsroomId);
}

export interface LoadedConfig {
  eventWeights: EventWeights;
  halfLifeDays: number;
  categoryCap: number;
  algorithm: string;
  params: Record<string, unknown>;
}

/** The newsroom's RecommenderConfig, created with the defaults on first use. */
export async function loadConfig(
  db: Tenant,
  newsroomId: string,
  defaults: EventWeights,
): Promise<LoadedConfig> {
  const row = await db.recommenderConfig.upsert({
    where: { newsroomId },
    create: { newsroomId, eventWeights: defaults as Prisma.InputJsonValue },
    update: {},
  });
  const weights = row.eventWeights as EventWeights;
  return {
    eventWeights: Object.keys(weights).length ? weights : defaults,
    halfLifeDays: row.halfLifeDays,
    categoryCap: row.categoryCap,
    algorithm: row.algorithm,
    params: (row.params ?? {}) as Record<string, unknown>,
  };
}

/** Every interaction of the newsroom (deleted readers' are gone with them), oldest first. */
export async function loadInteractions(db: Tenant): Promise<Interaction[]> {
  const out: Interaction[] = [];
  const pageSize = 50_000;
  let cursor: string | undefined;
  for (;;) {
    const rows = await db.interaction.findMany({
      select: { id: true, readerId: true, contentId: true, eventType: true, weight: true, occurredAt: true },
      orderBy: { id: 'asc' },
      take: pageSize,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    for (const r of rows) {
      out.push({
        readerId: r.readerId,
        itemId: r.contentId,
        eventType: r.eventType,
        ...(r.weight !== null ? { weight: r.weight } : {}),
        timestamp: r.occurredAt.getTime(),
      });
    }
    if (rows.length < pageSize) break;
    cursor = rows[rows.length - 1]!.id;
  }
  return out;
}

/** Content features for the models that use them (two-tower) and for editorial post-processing. */
export async function loadCatalog(db: Tenant, ids?: string[]): Promise<CatalogItem[]> {
  const rows = await db.contentItem.findMany({
    where: ids ? { id: { in: ids } } : { status: 'PUBLISHED' },
    select: {
      id: true,
      title: true,
      body: true,
      tags: true,
      category: true,
      publishedAt: true,
      type: true,
      language: true,
    },
  });
  return rows.map((r) => ({
    itemId: r.id,
    title: r.title,
    text: r.body.slice(0, 400),
    tags: r.tags,
    ...(r.category ? { category: r.category } : {}),
    ...(r.publishedAt ? { publishedAt: r.publishedAt.getTime() } : {}),
    contentType: r.type,
    ...(r.language ? { language: r.language } : {}),
  }));
}

export async function activeVersion(db: Tenant) {
  return db.modelVersion.findFirst({ where: { area: AREA, name: MODEL_NAME, status: 'ACTIVE' } });
}

const RECOMMENDER = { area: AREA, name: MODEL_NAME };

/** A TRAINING row for this job (reused on a retry), numbered after the newsroom's latest version. */
export function createTrainingVersion(
  db: Tenant,
  newsroomId: string,
  jobId: string,
  algorithm: string,
  params: Record<string, unknown>,
): Promise<{ id: string; version: number }> {
  return modelRegistry(db, newsroomId).startTraining(RECOMMENDER, jobId, {
    algorithm,
    params: params as Prisma.InputJsonValue,
  });
}

/** Atomically retires the ACTIVE version and activates this one (the registry's lock). */
export async function activate(db: Tenant, newsroomId: string, id: string): Promise<void> {
  await modelRegistry(db, newsroomId).activate(AREA, id);
}
