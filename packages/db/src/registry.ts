import { DomainError } from '@media-ai/core';
import type { ModelStatus, ModelVersion, Prisma } from './generated/prisma/client.js';
import type { TenantDb, TenantTx as Tx } from './tenant.js';

/*
 * The model registry of every area. A model is (area, name), e.g. ('speech', 'speech-lm') or
 * ('content', 'topic-classifier'); each training or build adds a version numbered 1, 2, 3 ... per
 * newsroom and name. At most one version of a model is ACTIVE. Numbering and every status switch
 * run in a transaction holding the model's advisory lock, so the API and the worker can register,
 * activate and roll back at the same time without two ACTIVE rows or two rows with one number.
 */

export interface ModelRef {
  area: string;
  name: string;
}

/** A registry row without its artifact bytes (load those only where a model is served). */
export type VersionRow = Omit<ModelVersion, 'artifact'>;

/** What a new version records; the registry sets area, name, version, status and newsroom. */
export interface VersionFields {
  algorithm: string;
  params?: Prisma.InputJsonValue;
  metrics?: Prisma.InputJsonValue;
  history?: Prisma.InputJsonValue;
  dataWindowStart?: Date | null;
  dataWindowEnd?: Date | null;
  artifact?: Uint8Array<ArrayBuffer> | null;
  backend?: string | null;
  trainingJobId?: string | null;
  notes?: string | null;
}

export interface RegisterOptions {
  /** ACTIVE when the newsroom has no active version of this model yet (its first one serves at once). */
  activateIfNoneActive?: boolean;
}

export interface ActivateOptions {
  /** Area checks that must hold before switching (files present in storage ...); throw to refuse. */
  check?: (row: VersionRow) => Promise<void> | void;
}

const omitArtifact = { artifact: true } as const;

/** Waiting for a model's lock may take a while when many processes register at once. */
const txOptions = { maxWait: 30_000, timeout: 60_000 } as const;

function label(row: { name: string; version: number }): string {
  return `${row.name} v${row.version}`;
}

/** The registry of one newsroom, through its tenant-scoped client. */
export class ModelRegistry {
  constructor(
    private readonly db: TenantDb,
    private readonly newsroomId: string,
  ) {}

  /** Serialises numbering and status switches of one model of this newsroom (API and worker alike). */
  private async lock(tx: Tx, model: ModelRef): Promise<void> {
    const key = `model-registry:${this.newsroomId}:${model.area}:${model.name}`;
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${key}))`;
  }

  private async nextNumber(tx: Tx, model: ModelRef): Promise<number> {
    const last = await tx.modelVersion.findFirst({
      where: { name: model.name },
      orderBy: { version: 'desc' },
      select: { version: true },
    });
    return (last?.version ?? 0) + 1;
  }

  private data(model: ModelRef, version: number, status: ModelStatus, f: VersionFields) {
    return {
      area: model.area,
      name: model.name,
      version,
      status,
      activatedAt: status === 'ACTIVE' ? new Date() : null,
      algorithm: f.algorithm,
      params: f.params ?? {},
      metrics: f.metrics ?? {},
      history: f.history ?? [],
      dataWindowStart: f.dataWindowStart ?? null,
      dataWindowEnd: f.dataWindowEnd ?? null,
      artifact: f.artifact ?? null,
      artifactBytes: f.artifact?.byteLength ?? 0,
      backend: f.backend ?? null,
      trainingJobId: f.trainingJobId ?? null,
      notes: f.notes ?? null,
    };
  }

  /**
   * The TRAINING row of a training job, numbered after the model's latest version. A retry of the
   * same job (same trainingJobId) gets its earlier row back, reset to TRAINING with these fields.
   */
  async startTraining(model: ModelRef, jobId: string, fields: VersionFields): Promise<VersionRow> {
    return this.db.$transaction(async (tx) => {
      await this.lock(tx, model);
      const earlier = await tx.modelVersion.findFirst({
        where: { area: model.area, name: model.name, trainingJobId: jobId },
        select: { id: true, version: true },
      });
      if (earlier) {
        const {
          area: _a,
          name: _n,
          version: _v,
          activatedAt: _t,
          ...reset
        } = this.data(model, earlier.version, 'TRAINING', { ...fields, trainingJobId: jobId });
        return tx.modelVersion.update({ where: { id: earlier.id }, data: reset, omit: omitArtifact });
      }
      const version = await this.nextNumber(tx, model);
      return tx.modelVersion.create({
        data: this.data(model, version, 'TRAINING', { ...fields, trainingJobId: jobId }),
        omit: omitArtifact,
      });
    }, txOptions);
  }

  /** A finished version with its artifact: CANDIDATE, or ACTIVE per `activateIfNoneActive`. */
  async register(model: ModelRef, fields: VersionFields, opts: RegisterOptions = {}): Promise<VersionRow> {
    return this.db.$transaction(async (tx) => {
      await this.lock(tx, model);
      const version = await this.nextNumber(tx, model);
      const active = opts.activateIfNoneActive
        ? await tx.modelVersion.count({ where: { area: model.area, name: model.name, status: 'ACTIVE' } })
        : 1;
      return tx.modelVersion.create({
        data: this.data(model, version, active ? 'CANDIDATE' : 'ACTIVE', fields),
        omit: omitArtifact,
      });
    }, txOptions);
  }

  /** A version of this area (of `name` when given), or NOT_FOUND. */
  async get(area: string, id: string, name?: string): Promise<VersionRow> {
    const row = await this.db.modelVersion.findFirst({
      where: { id, area, ...(name ? { name } : {}) },
      omit: omitArtifact,
    });
    if (!row) {
      throw new DomainError(
        'NOT_FOUND',
        `Model version ${id} of the ${area} area was not found; modelVersions(filter: {area: "${area}"}) lists them`,
      );
    }
    return row;
  }

  active(model: ModelRef): Promise<VersionRow | null> {
    return this.db.modelVersion.findFirst({
      where: { area: model.area, name: model.name, status: 'ACTIVE' },
      omit: omitArtifact,
    });
  }

  /**
   * Makes a version the one that serves: the model's ACTIVE version becomes RETIRED in the same
   * transaction. A CANDIDATE or RETIRED version with an artifact can be activated (a RETIRED one is a
   * roll-back); activating the ACTIVE version again changes nothing.
   */
  async activate(area: string, id: string, opts: ActivateOptions = {}): Promise<VersionRow> {
    const row = await this.get(area, id);
    if (row.status === 'ACTIVE') return row;
    if (row.status === 'TRAINING' || row.status === 'FAILED') {
      throw new DomainError(
        'CONFLICT',
        `${label(row)} is ${row.status.toLowerCase()} and has no usable model; activate a CANDIDATE or RETIRED version`,
      );
    }
    if (!row.artifactBytes) {
      throw new DomainError('CONFLICT', `${label(row)} has no artifact to serve; train or build it again`);
    }
    await opts.check?.(row);
    return this.db.$transaction(async (tx) => {
      await this.lock(tx, row);
      // Re-read under the lock: another process may have failed or retired it meanwhile.
      const now = await tx.modelVersion.findFirst({ where: { id }, select: { status: true } });
      if (!now || now.status === 'TRAINING' || now.status === 'FAILED') {
        throw new DomainError('CONFLICT', `${label(row)} changed while it was being activated; try again`);
      }
      await tx.modelVersion.updateMany({
        where: { area: row.area, name: row.name, status: 'ACTIVE', id: { not: id } },
        data: { status: 'RETIRED' },
      });
      return tx.modelVersion.update({
        where: { id },
        data: { status: 'ACTIVE', activatedAt: new Date() },
        omit: omitArtifact,
      });
    }, txOptions);
  }

  /**
   * Back to `toId`, or else to the version that was active before the current one (the RETIRED
   * version activated most recently).
   */
  async rollback(model: ModelRef, toId?: string, opts: ActivateOptions = {}): Promise<VersionRow> {
    if (toId) {
      await this.get(model.area, toId, model.name);
      return this.activate(model.area, toId, opts);
    }
    const current = await this.active(model);
    const previous = await this.db.modelVersion.findFirst({
      where: {
        area: model.area,
        name: model.name,
        status: 'RETIRED',
        activatedAt: { not: null },
        artifactBytes: { gt: 0 },
        ...(current ? { id: { not: current.id } } : {}),
      },
      orderBy: { activatedAt: 'desc' },
      select: { id: true },
    });
    if (!previous) {
      throw new DomainError(
        'CONFLICT',
        `There is no earlier active ${model.name} version to roll back to; give the version id to activate`,
      );
    }
    return this.activate(model.area, previous.id, opts);
  }

  /** Takes a version out of service: RETIRED (an ACTIVE one leaves the model with none active). */
  async retire(area: string, id: string): Promise<VersionRow> {
    const row = await this.get(area, id);
    if (row.status === 'TRAINING') {
      throw new DomainError('CONFLICT', `${label(row)} is still training; cancel its job instead`);
    }
    if (row.status === 'RETIRED' || row.status === 'FAILED') return row;
    return this.db.$transaction(async (tx) => {
      await this.lock(tx, row);
      return tx.modelVersion.update({ where: { id }, data: { status: 'RETIRED' }, omit: omitArtifact });
    }, txOptions);
  }
}

export function modelRegistry(db: TenantDb, newsroomId: string): ModelRegistry {
  return new ModelRegistry(db, newsroomId);
}
