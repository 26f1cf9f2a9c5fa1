import { DomainError } from '@media-ai/core';
import type { Person, TenantDb } from '@media-ai/db';
import type { FaceVerdictValue } from './constants.js';
import { cleanName } from './validate.js';

/*
 * The people registry: Person rows, faces an editor assigned to them (Face.assignment enrolled or
 * confirmed) and every FaceCorrection. The worker builds its matching index from exactly these
 * rows, so whatever is decided here applies to the next analysis. Corrections are appended, never
 * edited, except that merging two people moves the source's corrections to the target.
 */
export class PeopleRegistry {
  /** editorId: the API client whose decisions these are (FaceCorrection.createdById). */
  constructor(
    private readonly db: TenantDb,
    private readonly editorId: string,
  ) {}

  private correction(faceId: string, personId: string, verdict: FaceVerdictValue) {
    return this.db.faceCorrection.create({
      data: { faceId, personId, verdict, createdById: this.editorId },
    });
  }

  async person(id: string): Promise<Person> {
    const person = await this.db.person.findUnique({ where: { id } });
    if (!person) throw new DomainError('NOT_FOUND', `Person ${id} was not found`);
    return person;
  }

  /** An existing person (personId) or a new one (name): exactly one of the two. */
  async personFrom(personId: string | null | undefined, name: string | null | undefined): Promise<Person> {
    if (personId && name)
      throw new DomainError(
        'BAD_USER_INPUT',
        'Give either personId (an existing person) or name (a new person), not both',
      );
    if (personId) return this.person(personId);
    if (name?.trim()) return this.create(name);
    throw new DomainError('BAD_USER_INPUT', 'Give personId (an existing person) or name (a new person)');
  }

  create(name: string, notes?: string | null): Promise<Person> {
    return this.db.person.create({ data: { name: cleanName(name), notes: notes ?? null } });
  }

  async rename(id: string, name: string): Promise<Person> {
    await this.person(id);
    return this.db.person.update({ where: { id }, data: { name: cleanName(name) } });
  }

  /** Deletes the person and every face of theirs; returns the assets those faces were in. */
  async delete(id: string): Promise<{ facesDeleted: number; assetIds: string[] }> {
    await this.person(id);
    const faces = await this.db.face.findMany({ where: { personId: id }, select: { assetId: true } });
    const [deleted] = await this.db.$transaction([
      this.db.face.deleteMany({ where: { personId: id } }),
      this.db.person.delete({ where: { id } }),
    ]);
    return { facesDeleted: deleted.count, assetIds: [...new Set(faces.map((f) => f.assetId))] };
  }

  /** Two records are one person: the source's faces and corrections move to the target and the source goes. */
  async merge(sourceId: string, targetId: string): Promise<Person> {
    if (sourceId === targetId)
      throw new DomainError('BAD_USER_INPUT', 'sourceId and targetId are the same person');
    await this.person(sourceId);
    const target = await this.person(targetId);
    await this.db.$transaction([
      this.db.face.updateMany({ where: { personId: sourceId }, data: { personId: targetId } }),
      this.db.faceCorrection.updateMany({ where: { personId: sourceId }, data: { personId: targetId } }),
      this.db.person.delete({ where: { id: sourceId } }),
    ]);
    return target;
  }

  /**
   * Some faces of a person are someone else: they move to `into` (existing, or new by name) as
   * confirmed, and are recorded as rejected for the source so that they and their look-alikes stop
   * matching it.
   */
  async split(
    personId: string,
    faceIds: string[],
    intoId: string | null | undefined,
    intoName: string | null | undefined,
  ): Promise<Person> {
    await this.person(personId);
    const ids = [...new Set(faceIds)];
    if (ids.length === 0)
      throw new DomainError('BAD_USER_INPUT', 'Give the faceIds to move to the other person');
    const faces = await this.db.face.findMany({ where: { id: { in: ids }, personId }, select: { id: true } });
    if (faces.length !== ids.length) {
      const found = new Set(faces.map((f) => f.id));
      throw new DomainError(
        'BAD_USER_INPUT',
        `These faces are not faces of person ${personId}: ${ids.filter((id) => !found.has(id)).join(', ')}`,
      );
    }
    if (intoId === personId)
      throw new DomainError('BAD_USER_INPUT', 'A person cannot be split into themself');
    const into = await this.personFrom(intoId, intoName);
    await this.db.$transaction([
      this.db.face.updateMany({
        where: { id: { in: ids } },
        data: { personId: into.id, assignment: 'confirmed', matchDistance: null, clusterId: null },
      }),
      ...ids.flatMap((id) => [
        this.correction(id, personId, 'rejected'),
        this.correction(id, into.id, 'confirmed'),
      ]),
    ]);
    return into;
  }

  private async face(faceId: string) {
    const face = await this.db.face.findUnique({ where: { id: faceId } });
    if (!face) throw new DomainError('NOT_FOUND', `Face ${faceId} was not found`);
    return face;
  }

  /**
   * An editor's verdict on a face, kept as a FaceCorrection. 'confirmed' assigns the face to the
   * person (and rejects the person it was matched to before, if another); 'rejected' says the face is
   * not the person (default: the one it is matched to) and unassigns it if it was theirs.
   * Returns the face with its person.
   */
  async correct(faceId: string, personId: string | null | undefined, verdict: FaceVerdictValue) {
    const face = await this.face(faceId);
    if (verdict === 'confirmed') {
      if (!personId)
        throw new DomainError('BAD_USER_INPUT', 'Say who the face is: CONFIRMED needs a personId');
      await this.person(personId);
      await this.db.$transaction([
        ...(face.personId && face.personId !== personId
          ? [this.correction(face.id, face.personId, 'rejected')]
          : []),
        this.correction(face.id, personId, 'confirmed'),
        this.db.face.update({
          where: { id: face.id },
          data: { personId, assignment: 'confirmed', matchDistance: null, clusterId: null },
        }),
      ]);
    } else {
      const rejectedId = personId ?? face.personId;
      if (!rejectedId) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `Face ${faceId} is not matched to anyone; give the personId it is not`,
        );
      }
      await this.person(rejectedId);
      await this.db.$transaction([
        this.correction(face.id, rejectedId, 'rejected'),
        ...(face.personId === rejectedId
          ? [
              this.db.face.update({
                where: { id: face.id },
                data: { personId: null, assignment: null, matchDistance: null },
              }),
            ]
          : []),
      ]);
    }
    return this.db.face.findUniqueOrThrow({ where: { id: face.id }, include: { person: true } });
  }

  /**
   * Names any face (in a cluster or not): an existing person (personId) or a new one (name), as
   * confirmed by an editor. A face marked "not a face" becomes a face again.
   */
  async nameFace(faceId: string, personId: string | null | undefined, name: string | null | undefined) {
    const face = await this.face(faceId);
    const person = await this.personFrom(personId, name);
    if (face.notAFace)
      await this.db.face.update({ where: { id: face.id }, data: { notAFace: false, notAFaceAt: null } });
    return this.correct(face.id, person.id, 'confirmed');
  }

  /**
   * An editor says a detection is not a face (a dog, a poster): it leaves its person, its cluster and
   * later matching and clustering, and the people pages; `notAFace: false` takes that back (an unknown face again).
   */
  async markNotAFace(faceId: string, notAFace: boolean) {
    const face = await this.face(faceId);
    return this.db.face.update({
      where: { id: face.id },
      data: notAFace
        ? {
            notAFace: true,
            notAFaceAt: new Date(),
            personId: null,
            assignment: null,
            matchDistance: null,
            clusterId: null,
          }
        : { notAFace: false, notAFaceAt: null },
      include: { person: true },
    });
  }

  /** Already detected faces become the person's (confirmed by an editor). */
  async addFaces(personId: string, faceIds: string[]): Promise<Person> {
    const person = await this.person(personId);
    const ids = [...new Set(faceIds)];
    if (ids.length === 0) throw new DomainError('BAD_USER_INPUT', 'Give at least one faceId');
    const faces = await this.db.face.findMany({ where: { id: { in: ids } } });
    if (faces.length !== ids.length) {
      const found = new Set(faces.map((f) => f.id));
      throw new DomainError('NOT_FOUND', `Faces not found: ${ids.filter((id) => !found.has(id)).join(', ')}`);
    }
    await this.db.$transaction([
      ...faces.flatMap((f) => [
        ...(f.personId && f.personId !== personId ? [this.correction(f.id, f.personId, 'rejected')] : []),
        this.correction(f.id, personId, 'confirmed'),
      ]),
      this.db.face.updateMany({
        where: { id: { in: ids } },
        data: { personId, assignment: 'confirmed', matchDistance: null, clusterId: null },
      }),
    ]);
    return person;
  }

  /** The editor names a cluster of unknown faces once: all its faces become the person's, except faces rejected for them. */
  async nameCluster(
    clusterId: string,
    personId: string | null | undefined,
    name: string | null | undefined,
  ): Promise<Person> {
    const faces = await this.db.face.findMany({ where: { clusterId, personId: null }, select: { id: true } });
    if (faces.length === 0) {
      throw new DomainError(
        'NOT_FOUND',
        `No unknown faces are in cluster ${clusterId}; clusters change as images are analysed, list them again with faceClusters`,
      );
    }
    const person = await this.personFrom(personId, name);
    const rejected = await this.rejectedFaceIds(
      person.id,
      faces.map((f) => f.id),
    );
    const ids = faces.map((f) => f.id).filter((id) => !rejected.has(id));
    await this.db.$transaction([
      this.db.face.updateMany({
        where: { id: { in: ids }, personId: null },
        data: { personId: person.id, assignment: 'confirmed', matchDistance: null, clusterId: null },
      }),
      ...ids.map((id) => this.correction(id, person.id, 'confirmed')),
    ]);
    return person;
  }

  /** Faces whose latest verdict for the person is a rejection. */
  private async rejectedFaceIds(personId: string, faceIds: string[]): Promise<Set<string>> {
    const rows = await this.db.faceCorrection.findMany({
      where: { personId, faceId: { in: faceIds } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { faceId: true, verdict: true },
    });
    const latest = new Map(rows.map((r) => [r.faceId, r.verdict]));
    return new Set([...latest].filter(([, verdict]) => verdict === 'rejected').map(([id]) => id));
  }
}
