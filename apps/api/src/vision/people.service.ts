import type { Job, Person, Prisma } from '@media-ai/db';
import { PeopleRegistry, SAMPLE_FACES_PER_CLUSTER } from '@media-ai/vision-platform';
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
import { relinkTranscriptSpeakers } from '@media-ai/speech-platform';

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

/**
 * The people registry of one request: decisions go through PeopleRegistry (packages/vision-platform),
 * which the worker's matching reads; this service adds jobs, pages and the GraphQL shapes.
 */
export class PeopleService {
  private readonly registry: PeopleRegistry;

  constructor(private readonly ctx: AuthedContext) {
    this.registry = new PeopleRegistry(ctx.db, ctx.client.id);
  }

  private get db() {
    return this.ctx.db;
  }

  person(id: string): Promise<Person> {
    return this.registry.person(id);
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
    return this.registry.create(name, notes);
  }

  rename(id: string, name: string): Promise<Person> {
    return this.registry.rename(id, name);
  }

  /**
   * Erases the person: their faces go (descriptors, landmarks, boxes: enrolled, confirmed and matched
   * alike), with every correction about them, the person and the enrolment jobs still queued (cancelled).
   * A vision.erase-faces job (not counted against quotas) then rewrites what those faces left elsewhere:
   * stored face analyses, alt texts and job results of their assets, finished enrolment jobs, the
   * queue's copies, cluster ids. Photos stay; a new analysis of one finds an unknown face again.
   */
  async erase(id: string): Promise<{ facesDeleted: number; erasureJob: Job }> {
    await this.registry.person(id);
    const enrolments = await this.db.job.findMany({
      where: { type: 'vision.enrol', input: { path: ['personId'], equals: id } },
      select: { id: true, status: true },
    });
    for (const job of enrolments) {
      if (job.status !== 'QUEUED' && job.status !== 'ACTIVE') continue;
      await this.ctx.services.jobs.cancel(this.ctx.client.newsroomId, job.id).catch(() => undefined);
    }
    const { facesDeleted, assetIds } = await this.registry.delete(id);
    // Their enrolled voices went with the row; transcripts stop naming them.
    await relinkTranscriptSpeakers(this.db, id, null);
    const erasureJob = await this.ctx.services.jobs.enqueue(
      this.ctx.client.newsroomId,
      'vision.erase-faces',
      { assetIds, jobIds: enrolments.map((j) => j.id) },
      { requesterId: this.ctx.client.id, exemptFromQuota: true },
    );
    return { facesDeleted, erasureJob };
  }

  /** Two records are one person: the source's faces and corrections move to the target and the source goes. */
  async merge(sourceId: string, targetId: string): Promise<Person> {
    if (sourceId !== targetId && (await this.db.person.count({ where: { id: targetId } })))
      // Enrolled voices move before the source row (and, by cascade, anything still on it) goes.
      await this.db.voicePrint.updateMany({ where: { personId: sourceId }, data: { personId: targetId } });
    const target = await this.registry.merge(sourceId, targetId);
    await relinkTranscriptSpeakers(this.db, sourceId, target);
    return target;
  }

  /** Some faces of a person are someone else: they move to `into` (existing, or new by name). */
  split(
    personId: string,
    faceIds: string[],
    intoId: string | null | undefined,
    intoName: string | null | undefined,
  ) {
    return this.registry.split(personId, faceIds, intoId, intoName);
  }

  /** An editor's verdict on a face, kept as a FaceCorrection. */
  async correct(faceId: string, personId: string | null | undefined, verdict: FaceVerdict) {
    return toFaceGQL(await this.registry.correct(faceId, personId, verdict));
  }

  /** Names any face: an existing person (personId) or a new one (name), as confirmed by an editor. */
  async nameFace(faceId: string, personId: string | null | undefined, name: string | null | undefined) {
    return toFaceGQL(await this.registry.nameFace(faceId, personId, name));
  }

  /** An editor says a detection is not a face (or, with false, that it is one again). */
  async markNotAFace(faceId: string, notAFace: boolean) {
    return toFaceGQL(await this.registry.markNotAFace(faceId, notAFace));
  }

  /** Already detected faces become the person's (confirmed by an editor). */
  addFaces(personId: string, faceIds: string[]): Promise<Person> {
    return this.registry.addFaces(personId, faceIds);
  }

  /** Creates (name) or picks (personId) the person and queues a vision.enrol job over the photos. */
  async enrol(input: EnrolPersonInput) {
    const assetIds = [...new Set(input.assetIds)];
    const assets = new VisionAnalysisService(this.ctx);
    for (const id of assetIds) await assets.imageAsset(id);
    const created = !input.personId;
    const person = await this.registry.personFrom(input.personId, input.name);
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
  nameCluster(clusterId: string, personId: string | null | undefined, name: string | null | undefined) {
    return this.registry.nameCluster(clusterId, personId, name);
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
