import { DomainError } from '@media-ai/core';
import { Prisma, type TenantDb, type Transcript } from '@media-ai/db';
import {
  applyTranscriptEdit,
  defaultSpeakerName,
  readSpeakers,
  type EditedSegment,
  type TranscriptSegment,
} from '@media-ai/speech';

/*
 * Transcripts as stored: the model's segments and, once an editor corrected them, the editor's
 * version, which listings, search, captions and players use from then on.
 */

/** Listings leave the segments (word timings of the whole recording) out; `segments` loads them on demand. */
export const TRANSCRIPT_LIST_SELECT = {
  id: true,
  newsroomId: true,
  assetId: true,
  contentId: true,
  language: true,
  engine: true,
  engineVersion: true,
  modelVersionId: true,
  text: true,
  editedText: true,
  editedAt: true,
  editedById: true,
  speakers: true,
  durationSec: true,
  jobId: true,
  createdAt: true,
} satisfies Prisma.TranscriptSelect;

export type TranscriptRow = Omit<Transcript, 'segments' | 'editedSegments' | 'speakers'> & {
  segments?: Prisma.JsonValue;
  editedSegments?: Prisma.JsonValue;
  speakers?: Prisma.JsonValue;
};

export interface TranscriptFilter {
  search?: string;
  assetId?: string;
  contentId?: string;
}

const segmentsOf = (json: Prisma.JsonValue | null | undefined): TranscriptSegment[] =>
  Array.isArray(json) ? (json as unknown as TranscriptSegment[]) : [];

/** The segments downloads, players and searches use: the editor's version when there is one. */
export function currentSegments(row: {
  segments: Prisma.JsonValue;
  editedSegments: Prisma.JsonValue | null;
}): TranscriptSegment[] {
  return segmentsOf(row.editedSegments ?? row.segments);
}

/** The filter of a transcript listing; search looks in the editor's text where there is one. */
export function transcriptWhere(f: TranscriptFilter): Prisma.TranscriptWhereInput {
  if (f.search && f.search.length > 200) {
    throw new DomainError('BAD_USER_INPUT', 'search must be at most 200 characters');
  }
  return {
    ...(f.search
      ? {
          OR: [
            { editedText: { contains: f.search, mode: 'insensitive' } },
            { editedText: null, text: { contains: f.search, mode: 'insensitive' } },
          ],
        }
      : {}),
    ...(f.assetId ? { assetId: f.assetId } : {}),
    ...(f.contentId ? { contentId: f.contentId } : {}),
  };
}

export async function findTranscript(db: TenantDb, id: string): Promise<Transcript> {
  const row = await db.transcript.findUnique({ where: { id } });
  if (!row) throw new DomainError('NOT_FOUND', `Transcript ${id} was not found`);
  return row;
}

/** The model's segments (`edited` false) or the editor's version, loaded when a listing left them out. */
export async function transcriptSegments(
  db: TenantDb,
  row: TranscriptRow,
  edited: boolean,
): Promise<TranscriptSegment[] | null> {
  if (edited && !row.editedAt) return null;
  const key = edited ? 'editedSegments' : 'segments';
  if (row[key] !== undefined) return segmentsOf(row[key]);
  const loaded = await db.transcript.findUnique({ where: { id: row.id }, select: { [key]: true } });
  return segmentsOf(loaded?.[key]);
}

/**
 * Stores an editor's corrected segments as the transcript's current version; the model's stay for
 * comparison. An edit that does not fit the recording is refused (a SpeechError saying where).
 */
export async function editTranscript(
  db: TenantDb,
  id: string,
  edits: EditedSegment[],
  editorId: string,
): Promise<Transcript> {
  const row = await findTranscript(db, id);
  const known = new Set(readSpeakers(row.speakers).map((s) => s.id));
  for (const [i, e] of edits.entries()) {
    if (e.speaker && !known.has(e.speaker)) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `segments[${i}].speaker "${e.speaker}" is not a speaker of this transcript${known.size ? ` (${[...known].join(', ')})` : ' (it has none)'}`,
      );
    }
  }
  const corrected = applyTranscriptEdit(segmentsOf(row.segments), edits, row.durationSec);
  return db.transcript.update({
    where: { id },
    data: {
      editedText: corrected.text,
      editedSegments: corrected.segments as unknown as Prisma.InputJsonValue,
      editedAt: new Date(),
      editedById: editorId,
    },
  });
}

/** Drops the editor's version: the model's is the transcript again. */
export async function revertTranscriptEdit(db: TenantDb, id: string): Promise<Transcript> {
  await findTranscript(db, id);
  return db.transcript.update({
    where: { id },
    data: { editedText: null, editedSegments: Prisma.DbNull, editedAt: null, editedById: null },
  });
}

/**
 * Transcript speakers linked to a person follow the registry: to another person when two are merged, back
 * to "Speaker N" when the person is erased (their enrolled voices go with the person row).
 */
export async function relinkTranscriptSpeakers(
  db: TenantDb,
  personId: string,
  to: { id: string; name: string } | null,
): Promise<number> {
  const rows = await db.transcript.findMany({
    where: { speakers: { array_contains: [{ personId }] } },
    select: { id: true, speakers: true },
  });
  for (const row of rows) {
    const speakers = readSpeakers(row.speakers).map((s) =>
      s.personId !== personId
        ? s
        : to
          ? { ...s, personId: to.id, name: to.name }
          : { ...s, personId: null, name: defaultSpeakerName(s.id), matchDistance: null },
    );
    await db.transcript.update({
      where: { id: row.id },
      data: { speakers: speakers as unknown as Prisma.InputJsonValue },
    });
  }
  return rows.length;
}
