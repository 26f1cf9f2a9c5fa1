import type { Prisma, TenantDb } from '@media-ai/db';
import { composeAltText, type Box } from '@media-ai/vision';

/*
 * What an erased face leaves behind in the vision area's rows (faces were deleted first, by deletePerson
 * or the retention job), rewritten without it. Safe to run again: a second pass changes nothing.
 */

interface FaceEntry {
  faceId: string;
  box: Box;
  personId: string | null;
  distance: number | null;
}

/**
 * A cluster is named after its smallest face id: a cluster whose namesake face was erased takes the
 * id of its smallest remaining face, so no id of an erased face stays behind.
 */
export async function renameOrphanClusters(db: TenantDb): Promise<number> {
  const groups = await db.face.groupBy({ by: ['clusterId'], where: { clusterId: { not: null } } });
  const ids = groups.map((g) => g.clusterId!);
  let renamed = 0;
  for (let i = 0; i < ids.length; i += 1000) {
    const batch = ids.slice(i, i + 1000);
    const existing = new Set(
      (await db.face.findMany({ where: { id: { in: batch } }, select: { id: true } })).map((f) => f.id),
    );
    const orphans = batch.filter((id) => !existing.has(id));
    if (orphans.length === 0) continue;
    const members = await db.face.findMany({
      where: { clusterId: { in: orphans } },
      select: { id: true, clusterId: true },
    });
    const smallest = new Map<string, string>();
    for (const m of members) {
      const s = smallest.get(m.clusterId!);
      if (!s || m.id < s) smallest.set(m.clusterId!, m.id);
    }
    for (const [old, next] of smallest) {
      await db.face.updateMany({ where: { clusterId: old }, data: { clusterId: next } });
      renamed++;
    }
  }
  return renamed;
}

/** Rewrites the face analyses and alt texts of some assets; returns the alt text each asset now has. */
export async function scrubAnalyses(db: TenantDb, assetIds: string[]) {
  const [rows, faces] = await Promise.all([
    db.imageAnalysis.findMany({
      where: { assetId: { in: assetIds }, kind: { in: ['faces', 'altText', 'objects', 'ocr'] } },
    }),
    db.face.findMany({
      where: { assetId: { in: assetIds } },
      select: { id: true, personId: true, matchDistance: true, person: { select: { name: true } } },
    }),
  ]);
  const faceById = new Map(faces.map((f) => [f.id, f]));
  const byAsset = new Map<string, Map<string, (typeof rows)[number]>>();
  for (const r of rows) byAsset.set(r.assetId, (byAsset.get(r.assetId) ?? new Map()).set(r.kind, r));
  let analyses = 0;
  const altTexts = new Map<string, string>();
  for (const [assetId, kinds] of byAsset) {
    const facesRow = kinds.get('faces');
    const entries = ((facesRow?.result as { faces?: FaceEntry[] } | null)?.faces ?? []) as FaceEntry[];
    const kept = entries.flatMap((e) => {
      const face = faceById.get(e.faceId);
      return face
        ? [{ ...e, personId: face.personId, distance: face.personId ? face.matchDistance : null }]
        : [];
    });
    if (facesRow && JSON.stringify(kept) !== JSON.stringify(entries)) {
      await db.imageAnalysis.update({
        where: { id: facesRow.id },
        data: { result: { ...(facesRow.result as object), faces: kept } as unknown as Prisma.InputJsonValue },
      });
      analyses++;
    }
    const altRow = kinds.get('altText');
    if (!altRow) continue;
    const objects = (
      kinds.get('objects')?.result as { items?: Parameters<typeof composeAltText>[0]['objects'] }
    )?.items;
    const ocr = kinds.get('ocr')?.result as { text?: string; confidence?: number } | undefined;
    const text = composeAltText({
      objects,
      // Every face the analysis found keeps its place; only the names of faces that still exist remain.
      faces: entries.map((e) => ({ name: faceById.get(e.faceId)?.person?.name ?? null, box: e.box })),
      text: ocr?.text !== undefined ? { text: ocr.text, confidence: ocr.confidence ?? 0 } : null,
    });
    altTexts.set(assetId, text);
    const altResult = altRow.result as { text?: string } & Record<string, unknown>;
    if (altResult.text !== text) {
      await db.imageAnalysis.update({
        where: { id: altRow.id },
        data: { result: { ...altResult, text } as Prisma.InputJsonValue },
      });
      analyses++;
    }
  }
  return { analyses, altTexts };
}
