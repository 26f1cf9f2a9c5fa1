import { DomainError } from '@media-ai/core';
import type { Job, Person, Prisma } from '@media-ai/db';
import type { AuthedContext } from '../common/context.js';
import { encodeCursor, decodeCursor, MAX_PAGE_SIZE, paginate, type PageArgs } from '../common/pagination.js';
import type { FaceWithPerson } from './vision.loaders.js';
import {
  FaceVerdict,
  type EnrolPersonInput,
  type FaceClusterGQL,
  type FaceFilter,
  type FaceGQL,
  type ImageBoxGQL,
} from './vision.types.js';
import { VisionAnalysisService } from './analysis.service.js';
import { relinkTranscriptSpeakers } from '../speech/speech.service.js';

/*
 * The people registry: Person rows, faces an editor assigned to them (Face.assignment enrolled or
 * confirmed) and every FaceCorrection. The worker builds its matching index from exactly these
 * rows, so whatever is decided here applies to the next analysis. Corrections are appended, never
 * edited, except that merging two people moves the source's corrections to the target.
 */

export function toFaceGQL(face: FaceWithPerson): FaceGQL {
  return {
    id: face.id,
    assetId: face.assetId,
    box: face.box as unknown as ImageBoxGQL,
    landmarks: face.landmarks,
    age: face.age,
    gender: face.gender,
    expression: face.expression,
    detectionScore: face.detectionScore,
    person: face.person,
    assignment: face.assignment,
    matchDistance: face.matchDistance,
    clusterId: face.clusterId,
    notAFace: face.notAFace,
    model: face.model,
    createdAt: face.createdAt,
  };
}

const SAMPLE_FACES_PER_CLUSTER = 12;

export class PeopleService {
  constructor(private readonly ctx: AuthedContext) {}

  private get db() {
    return this.ctx.db;
  }

  private correction(faceId: string, personId: string, verdict: FaceVerdict) {
    return this.db.faceCorrection.create({
      data: {
        faceId,
        personId,
        verdict,
        createdById: this.ctx.client.id,
      },
    });
  }

  async person(id: string): Promise<Person> {
    const person = await this.db.person.findUnique({ where: { id } });
    if (!person) throw new DomainError('NOT_FOUND', `Person ${id} was not found`);
    return person;
  }

  /** An existing person (personId) or a new one (name): exactly one of the two. */
  private async personFrom(
    personId: string | null | undefined,
    name: string | null | undefined,
  ): Promise<Person> {
    if (personId && name)
      throw new DomainError(
        'BAD_USER_INPUT',
        'Give either personId (an existing person) or name (a new person), not both',
      );
    if (personId) return this.person(personId);
    if (name?.trim()) return this.create(name);
    throw new DomainError('BAD_USER_INPUT', 'Give personId (an existing person) or name (a new person)');
  }

  list(page: PageArgs, search: string | null | undefined) {
    const where: Prisma.PersonWhereInput = search ? { name: { contains: search, mode: 'insensitive' } } : {};
    return paginate(
      page,
      (q) => this.db.person.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...q }),
      () => this.db.person.count({ where }),
    );
  }

  faceCount(personId: string) {
    return this.db.face.count({ where: { personId, notAFace: false } });
  }

  create(name: string, notes?: string | null): Promise<Person> {
    const clean = name.trim();
    if (!clean) throw new DomainError('BAD_USER_INPUT', 'name must not be blank');
    return this.db.person.create({
      data: { name: clean, notes: notes ?? null },
    });
  }

  async rename(id: string, name: string): Promise<Person> {
    await this.person(id);
    const clean = name.trim();
    if (!clean) throw new DomainError('BAD_USER_INPUT', 'name must not be blank');
    return this.db.person.update({ where: { id }, data: { name: clean } });
  }

  /**
   * Erases the person: their faces go (descriptors, landmarks, boxes: enrolled, confirmed and matched
   * alike), with every correction about them, the person and the enrolment jobs still queued (cancelled).
   * A vision.erase-faces job (not counted against quotas) then rewrites what those faces left elsewhere:
   * stored face analyses, alt texts and job results of their assets, finished enrolment jobs, the
   * queue's copies, cluster ids. Photos stay; a new analysis of one finds an unknown face again.
   */
  async erase(id: string): Promise<{ facesDeleted: number; erasureJob: Job }> {
    await this.person(id);
    const faces = await this.db.face.findMany({ where: { personId: id }, select: { assetId: true } });
    const enrolments = await this.db.job.findMany({
      where: { type: 'vision.enrol', input: { path: ['personId'], equals: id } },
      select: { id: true, status: true },
    });
    for (const job of enrolments) {
      if (job.status !== 'QUEUED' && job.status !== 'ACTIVE') continue;
      await this.ctx.services.jobs.cancel(this.ctx.client.newsroomId, job.id).catch(() => undefined);
    }
    const [deleted] = await this.db.$transaction([
      this.db.face.deleteMany({ where: { personId: id } }),
      this.db.person.delete({ where: { id } }),
    ]);
    // Their enrolled voices went with the row; transcripts stop naming them.
    await relinkTranscriptSpeakers(this.db, id, null);
    const erasureJob = await this.ctx.services.jobs.enqueue(
      this.ctx.client.newsroomId,
      'vision.erase-faces',
      { assetIds: [...new Set(faces.map((f) => f.assetId))], jobIds: enrolments.map((j) => j.id) },
      { requesterId: this.ctx.client.id, exemptFromQuota: true },
    );
    return { facesDeleted: deleted.count, erasureJob };
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
      this.db.voicePrint.updateMany({ where: { personId: sourceId }, data: { personId: targetId } }),
      this.db.person.delete({ where: { id: sourceId } }),
    ]);
    await relinkTranscriptSpeakers(this.db, sourceId, target);
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
  ) {
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
        this.correction(id, personId, FaceVerdict.REJECTED),
        this.correction(id, into.id, FaceVerdict.CONFIRMED),
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
   * An editor's verdict on a face, kept as a FaceCorrection. CONFIRMED assigns the face to the
   * person (and rejects the person it was matched to before, if another); REJECTED says the face is
   * not the person (default: the one it is matched to) and unassigns it if it was theirs.
   */
  async correct(faceId: string, personId: string | null | undefined, verdict: FaceVerdict) {
    const face = await this.face(faceId);
    if (verdict === FaceVerdict.CONFIRMED) {
      if (!personId)
        throw new DomainError('BAD_USER_INPUT', 'Say who the face is: CONFIRMED needs a personId');
      await this.person(personId);
      await this.db.$transaction([
        ...(face.personId && face.personId !== personId
          ? [this.correction(face.id, face.personId, FaceVerdict.REJECTED)]
          : []),
        this.correction(face.id, personId, FaceVerdict.CONFIRMED),
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
        this.correction(face.id, rejectedId, FaceVerdict.REJECTED),
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
    return toFaceGQL(
      await this.db.face.findUniqueOrThrow({ where: { id: face.id }, include: { person: true } }),
    );
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
    return this.correct(face.id, person.id, FaceVerdict.CONFIRMED);
  }

  /**
   * An editor says a detection is not a face (a dog, a poster): it leaves its person, its cluster and
   * later matching and clustering, and the people pages; `notAFace: false` takes that back (an unknown face again).
   */
  async markNotAFace(faceId: string, notAFace: boolean) {
    const face = await this.face(faceId);
    const row = await this.db.face.update({
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
    return toFaceGQL(row);
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
        ...(f.personId && f.personId !== personId
          ? [this.correction(f.id, f.personId, FaceVerdict.REJECTED)]
          : []),
        this.correction(f.id, personId, FaceVerdict.CONFIRMED),
      ]),
      this.db.face.updateMany({
        where: { id: { in: ids } },
        data: { personId, assignment: 'confirmed', matchDistance: null, clusterId: null },
      }),
    ]);
    return person;
  }

  /** Creates (name) or picks (personId) the person and queues a vision.enrol job over the photos. */
  async enrol(input: EnrolPersonInput) {
    const assetIds = [...new Set(input.assetIds)];
    const assets = new VisionAnalysisService(this.ctx);
    for (const id of assetIds) await assets.imageAsset(id);
    const created = !input.personId;
    const person = await this.personFrom(input.personId, input.name);
    try {
      const job = await this.ctx.services.jobs.enqueue(
        this.ctx.client.newsroomId,
        'vision.enrol',
        { personId: person.id, assetIds },
        { requesterId: this.ctx.client.id },
      );
      return { person, job };
    } catch (error) {
      if (created) await this.db.person.delete({ where: { id: person.id } }).catch(() => undefined);
      throw error;
    }
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
      ...ids.map((id) => this.correction(id, person.id, FaceVerdict.CONFIRMED)),
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
    return new Set([...latest].filter(([, verdict]) => verdict === FaceVerdict.REJECTED).map(([id]) => id));
  }

  faces(page: PageArgs, filter: FaceFilter | null | undefined) {
    // Detections an editor marked "not a face" are listed only when asked for.
    const where: Prisma.FaceWhereInput = { notAFace: filter?.notAFace ?? false };
    if (filter?.personId) where.personId = filter.personId;
    if (filter?.assetId) where.assetId = filter.assetId;
    if (filter?.clusterId) where.clusterId = filter.clusterId;
    if (filter?.unassigned) where.personId = null;
    return paginate(
      page,
      (q) =>
        this.db.face
          .findMany({
            where,
            include: { person: true },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            ...q,
          })
          .then((rows) => rows.map(toFaceGQL)),
      () => this.db.face.count({ where }),
    );
  }

  /** Clusters of unknown faces, by cluster id; each with its size and up to 12 faces. */
  async clusters(page: PageArgs) {
    const first = Math.min(page.first, MAX_PAGE_SIZE);
    const after = page.after ? decodeCursor(page.after) : null;
    const base: Prisma.FaceWhereInput = { personId: null, clusterId: { not: null }, notAFace: false };
    const [groups, all] = await Promise.all([
      this.db.face.groupBy({
        by: ['clusterId'],
        where: after ? { ...base, clusterId: { gt: after } } : base,
        _count: { _all: true },
        orderBy: { clusterId: 'asc' },
        take: first + 1,
      }),
      this.db.face.groupBy({ by: ['clusterId'], where: base }),
    ]);
    const pageGroups = groups.slice(0, first);
    const ids = pageGroups.map((g) => g.clusterId!);
    const faces = await this.db.face.findMany({
      where: { clusterId: { in: ids }, personId: null, notAFace: false },
      include: { person: true },
      orderBy: [{ detectionScore: 'desc' }, { id: 'asc' }],
    });
    const nodes: FaceClusterGQL[] = pageGroups.map((g) => ({
      id: g.clusterId!,
      size: g._count._all,
      faces: faces
        .filter((f) => f.clusterId === g.clusterId)
        .slice(0, SAMPLE_FACES_PER_CLUSTER)
        .map(toFaceGQL),
    }));
    return {
      edges: nodes.map((node) => ({ cursor: encodeCursor(node.id), node })),
      pageInfo: {
        hasNextPage: groups.length > first,
        endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].id) : null,
      },
      totalCount: all.length,
    };
  }

  refreshFaces() {
    return this.ctx.services.jobs.enqueue(
      this.ctx.client.newsroomId,
      'vision.cluster-faces',
      {},
      { requesterId: this.ctx.client.id },
    );
  }
}
