import { randomUUID } from 'node:crypto';
import type { Prisma, TenantDb } from '@media-ai/db';
import {
  buildFaceIndex,
  clusterFaces,
  matchFace,
  MAX_FACES_PER_CLUSTERING,
  type AnalyzedFace,
  type Box,
  type FaceIndex,
  type PeopleRegistry,
} from '@media-ai/vision';
import { EDITOR_ASSIGNMENTS, isEditorAssignment, type ModelRef } from './constants.js';
import { decodeDescriptor, encodeDescriptor, upsertAnalysis } from './rows.js';

/*
 * The newsroom's people registry lives in the database: Person rows, the faces an editor assigned
 * to them (enrolled from photos or confirmed), and every FaceCorrection. Faces are only compared
 * with faces of the same model (Face.model is "name@version"): descriptors of two models do not
 * share a space. Automatic matches never become exemplars, so one wrong match cannot spread.
 */

export async function loadRegistry(db: TenantDb, faceModel: string): Promise<PeopleRegistry> {
  const [people, exemplars, corrections] = await Promise.all([
    db.person.findMany({ select: { id: true, name: true } }),
    db.face.findMany({
      where: { model: faceModel, personId: { not: null }, assignment: { in: [...EDITOR_ASSIGNMENTS] } },
      select: { id: true, personId: true, descriptor: true },
    }),
    db.faceCorrection.findMany({
      where: { face: { model: faceModel } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { faceId: true, personId: true, verdict: true, face: { select: { descriptor: true } } },
    }),
  ]);
  const byPerson = new Map<string, PeopleRegistry['people'][number]>(
    people.map((p) => [p.id, { personId: p.id, name: p.name, exemplars: [] }]),
  );
  for (const face of exemplars) {
    byPerson
      .get(face.personId!)
      ?.exemplars.push({ faceId: face.id, descriptor: decodeDescriptor(face.descriptor) });
  }
  return {
    people: [...byPerson.values()],
    corrections: corrections
      .filter((c) => byPerson.has(c.personId) && (c.verdict === 'confirmed' || c.verdict === 'rejected'))
      .map((c) => ({
        personId: c.personId,
        verdict: c.verdict as 'confirmed' | 'rejected',
        faceId: c.faceId,
        descriptor: decodeDescriptor(c.face.descriptor),
      })),
  };
}

/** The matching index of the newsroom's people, and their names. */
export interface FaceRegistry {
  index: FaceIndex;
  names: Map<string, string>;
}

export async function loadFaceIndex(db: TenantDb, faceModel: string): Promise<FaceRegistry> {
  const registry = await loadRegistry(db, faceModel);
  return {
    index: buildFaceIndex(registry),
    names: new Map(registry.people.map((p) => [p.personId, p.name])),
  };
}

function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

export interface StoredFace {
  faceId: string;
  box: Box;
  personId: string | null;
  personName: string | null;
  assignment: string | null;
  distance: number | null;
}

/**
 * Stores the faces found in an asset and names them. A face seen before (same model, boxes
 * overlapping by half) keeps its row and id, so the corrections made on it still apply; a face an
 * editor assigned keeps its person; every other face is matched against the registry, never to a
 * person it was rejected for. Faces no longer found are dropped unless an editor touched them.
 */
export async function storeFaces(
  db: TenantDb,
  assetId: string,
  faceModel: string,
  detected: AnalyzedFace[],
  registry: FaceRegistry,
): Promise<StoredFace[]> {
  const existing = await db.face.findMany({
    where: { assetId },
    include: { _count: { select: { corrections: true } } },
  });
  const sameModel = existing.filter((f) => f.model === faceModel);
  const pairs: Array<{ d: number; e: number; overlap: number }> = [];
  detected.forEach((face, d) =>
    sameModel.forEach((row, e) => {
      const overlap = iou(face.box, row.box as unknown as Box);
      if (overlap >= 0.5) pairs.push({ d, e, overlap });
    }),
  );
  pairs.sort((x, y) => y.overlap - x.overlap);
  const pairOf = new Map<number, (typeof sameModel)[number]>();
  const used = new Set<number>();
  for (const p of pairs) {
    if (pairOf.has(p.d) || used.has(p.e)) continue;
    pairOf.set(p.d, sameModel[p.e]!);
    used.add(p.e);
  }

  const stored: StoredFace[] = [];
  const writes: Prisma.PrismaPromise<unknown>[] = [];
  detected.forEach((face, d) => {
    const previous = pairOf.get(d);
    const faceId = previous?.id ?? randomUUID();
    let personId: string | null = null;
    let assignment: string | null = null;
    let distance: number | null = null;
    if (previous && previous.personId && isEditorAssignment(previous.assignment)) {
      personId = previous.personId;
      assignment = previous.assignment;
      distance = previous.matchDistance;
    } else {
      const match = matchFace(registry.index, face.descriptor, { faceId });
      if (match) {
        personId = match.personId;
        assignment = 'match';
        distance = match.distance;
      }
    }
    const data = {
      box: face.box as unknown as Prisma.InputJsonValue,
      descriptor: encodeDescriptor(face.descriptor),
      landmarks: face.landmarks as unknown as Prisma.InputJsonValue,
      age: face.age,
      gender: face.gender,
      expression: face.expression,
      detectionScore: face.score,
      personId,
      assignment,
      matchDistance: distance,
      // Known faces leave the unknown pool; unknown ones keep their cluster until the next clustering.
      clusterId: personId ? null : (previous?.clusterId ?? null),
      model: faceModel,
    };
    writes.push(
      previous
        ? db.face.update({ where: { id: faceId }, data })
        : db.face.create({ data: { ...data, id: faceId, assetId } }),
    );
    stored.push({
      faceId,
      box: face.box,
      personId,
      personName: personId ? (registry.names.get(personId) ?? null) : null,
      assignment,
      distance,
    });
  });
  const stale = existing.filter(
    (row) =>
      !used.has(sameModel.indexOf(row)) &&
      row._count.corrections === 0 &&
      !isEditorAssignment(row.assignment),
  );
  if (stale.length > 0) writes.push(db.face.deleteMany({ where: { id: { in: stale.map((f) => f.id) } } }));
  await db.$transaction(writes);
  return stored;
}

/** What a refresh of the unknown faces did. */
export interface FacesRefresh {
  matched: number;
  clusters: number;
  clusteredFaces: number;
  unclusteredFaces: number;
}

/**
 * Matches the unknown faces again (after people were enrolled or named) when `rematch` is set, then
 * clusters those still unknown so that an editor can name each group once. Cluster ids are the
 * smallest face id of the group, stable while a group only grows.
 */
export async function refreshUnknownFaces(
  db: TenantDb,
  faceModel: string,
  options: { rematch: boolean; index?: FaceIndex },
): Promise<FacesRefresh> {
  const unknown = await db.face.findMany({
    where: { model: faceModel, personId: null, notAFace: false },
    select: { id: true, descriptor: true, clusterId: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: MAX_FACES_PER_CLUSTERING,
  });
  const faces = unknown.map((f) => ({
    faceId: f.id,
    clusterId: f.clusterId,
    descriptor: decodeDescriptor(f.descriptor),
  }));
  const writes: Prisma.PrismaPromise<unknown>[] = [];
  let matched = 0;
  let remaining = faces;
  if (options.rematch && options.index && options.index.size > 0) {
    remaining = [];
    for (const face of faces) {
      const match = matchFace(options.index, face.descriptor, { faceId: face.faceId });
      if (!match) {
        remaining.push(face);
        continue;
      }
      matched++;
      writes.push(
        db.face.updateMany({
          where: { id: face.faceId, personId: null },
          data: {
            personId: match.personId,
            assignment: 'match',
            matchDistance: match.distance,
            clusterId: null,
          },
        }),
      );
    }
  }
  const { clusters, unclustered } = clusterFaces(remaining);
  const wanted = new Map<string, string | null>(unclustered.map((id) => [id, null]));
  for (const cluster of clusters) for (const id of cluster.faceIds) wanted.set(id, cluster.clusterId);
  const changes = new Map<string | null, string[]>();
  for (const face of remaining) {
    const target = wanted.get(face.faceId) ?? null;
    if (target === face.clusterId) continue;
    changes.set(target, [...(changes.get(target) ?? []), face.faceId]);
  }
  for (const [clusterId, ids] of changes) {
    // personId: null guards against an editor naming the face meanwhile.
    writes.push(db.face.updateMany({ where: { id: { in: ids }, personId: null }, data: { clusterId } }));
  }
  if (writes.length > 0) await db.$transaction(writes);
  return {
    matched,
    clusters: clusters.length,
    clusteredFaces: clusters.reduce((n, c) => n + c.faceIds.length, 0),
    unclusteredFaces: unclustered.length,
  };
}

/**
 * Stores the faces an analysis found (storeFaces) and the asset's faces analysis that lists them, with
 * the person each is now matched to.
 */
export async function storeFaceAnalysis(
  db: TenantDb,
  row: { assetId: string; faceModel: string; model: ModelRef; items: AnalyzedFace[]; jobId: string },
  registry: FaceRegistry,
): Promise<StoredFace[]> {
  const faces = await storeFaces(db, row.assetId, row.faceModel, row.items, registry);
  await upsertAnalysis(db, {
    assetId: row.assetId,
    kind: 'faces',
    model: row.model,
    result: {
      faces: faces.map((f) => ({ faceId: f.faceId, box: f.box, personId: f.personId, distance: f.distance })),
    },
    jobId: row.jobId,
  });
  return faces;
}
