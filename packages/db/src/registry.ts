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

/*
 * The activation gate, the same for every trained model (summary scorer, topic classifier, recommender,
 * speech vocabulary): a new version serves only when it was validated on enough items (at least
 * `minItems`, or out-of-fold scores of a k-fold cross-validation with k ≥ `minFolds`) and a paired
 * bootstrap over those items shows it beats what serves now (the ACTIVE version, or the baseline the
 * area serves without a model). Otherwise it stays CANDIDATE and its `notes` and `metrics.gate` say why.
 */

/** Per-item scores of the candidate and of what it must beat, on the same validation items (paired). */
export interface ValidationEvidence {
  /** The metric, e.g. `rouge1`, `macroF1`, `ndcg@10`, `logProbPerWord`. */
  metric: string;
  /** What the candidate is compared with: the ACTIVE version (`summary-scorer v3`) or a baseline (`lead-3`). */
  against: string;
  /** One score per validation item, the same items in the same order on both sides. */
  candidate: readonly number[];
  reference: readonly number[];
  /** Smaller is better (an error rate, a perplexity). Default: larger is better. */
  lowerIsBetter?: boolean;
  /**
   * The metric of a set of items (indices into the arrays, repeated in a resample) for one side; default
   * the mean of that side's scores. Metrics that are not means (macro-F1) compute it from their own data.
   */
  statistic?: (side: 'candidate' | 'reference', indices: readonly number[]) => number;
  /** k when the scores come from k-fold cross-validation (every item scored by a model that did not see it). */
  folds?: number;
  /** What the validation items are, plural, in the reason (`readers` for a recommender). Default `items`. */
  unit?: string;
}

export interface GatePolicy {
  /** Held-out items needed (default 100). */
  minItems: number;
  /** Or k-fold cross-validation with at least this k (default 5) over at least `minFoldItems` items (default 50). */
  minFolds: number;
  minFoldItems: number;
  /** Bootstrap resamples (default 2000) and the one-sided significance level (default 0.05). */
  resamples: number;
  alpha: number;
  seed: number;
}

export const DEFAULT_GATE_POLICY: GatePolicy = {
  minItems: 100,
  minFolds: 5,
  minFoldItems: 50,
  resamples: 2000,
  alpha: 0.05,
  seed: 1,
};

/** What the gate decided and why; stored as `metrics.gate` of the version. */
export interface GateDecision {
  passed: boolean;
  reason: string;
  metric: string;
  against: string;
  items: number;
  folds: number | null;
  candidate: number;
  reference: number;
  /** candidate − reference, signed so that positive is better. */
  delta: number;
  /** 95% bootstrap interval of `delta` and the one-sided p-value of "no better" (null without enough data). */
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  resamples: number;
}

/** mulberry32: a small seeded generator, so the same evidence always gives the same decision. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(4));

/** Paired bootstrap of a candidate against what serves now, with the data-size rule. Pure; no database. */
export function gateDecision(evidence: ValidationEvidence, policy: Partial<GatePolicy> = {}): GateDecision {
  const p = { ...DEFAULT_GATE_POLICY, ...policy };
  const n = evidence.candidate.length;
  if (evidence.reference.length !== n) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Validation evidence must score the same items on both sides: ${n} candidate and ${evidence.reference.length} reference scores`,
    );
  }
  const sign = evidence.lowerIsBetter ? -1 : 1;
  const mean = (side: readonly number[], idx: readonly number[]) => {
    let sum = 0;
    for (const i of idx) sum += side[i]!;
    return idx.length ? sum / idx.length : 0;
  };
  const stat =
    evidence.statistic ??
    ((side: 'candidate' | 'reference', idx: readonly number[]) =>
      mean(side === 'candidate' ? evidence.candidate : evidence.reference, idx));
  const all = Array.from({ length: n }, (_, i) => i);
  const candidate = n ? stat('candidate', all) : 0;
  const reference = n ? stat('reference', all) : 0;
  const delta = sign * (candidate - reference);
  const folds = evidence.folds ?? null;
  const base = {
    metric: evidence.metric,
    against: evidence.against,
    items: n,
    folds,
    candidate,
    reference,
    delta,
  };
  const kFold = folds !== null && folds >= p.minFolds && n >= p.minFoldItems;
  const unit = evidence.unit ?? 'items';
  const one = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  if (n < p.minItems && !kFold) {
    return {
      ...base,
      passed: false,
      ciLow: null,
      ciHigh: null,
      pValue: null,
      resamples: 0,
      reason:
        `kept as CANDIDATE: validated on ${n} ${one}(s)${folds ? ` in ${folds} folds` : ''}; activation needs at least ${p.minItems} held-out ${unit} ` +
        `or ${p.minFolds}-fold cross-validation over ${p.minFoldItems}+ ${unit} (${evidence.metric} ${fmt(candidate)} vs ${evidence.against} ${fmt(reference)})`,
    };
  }
  const rng = seeded(p.seed);
  const deltas = new Float64Array(p.resamples);
  const idx = new Array<number>(n);
  let notBetter = 0;
  for (let b = 0; b < p.resamples; b++) {
    for (let k = 0; k < n; k++) idx[k] = Math.floor(rng() * n);
    const d = sign * (stat('candidate', idx) - stat('reference', idx));
    deltas[b] = d;
    if (d <= 0) notBetter++;
  }
  deltas.sort();
  const q = (f: number) => deltas[Math.min(p.resamples - 1, Math.max(0, Math.floor(f * p.resamples)))]!;
  const pValue = (notBetter + 1) / (p.resamples + 1);
  const passed = delta > 0 && pValue < p.alpha;
  const evidenceText =
    `${evidence.metric} ${fmt(candidate)} vs ${evidence.against} ${fmt(reference)} on ${n} ${unit}${folds ? ` (${folds}-fold)` : ''}, ` +
    `difference ${fmt(delta)} (95% interval ${fmt(q(0.025))} to ${fmt(q(0.975))}, p = ${pValue.toFixed(3)})`;
  return {
    ...base,
    passed,
    ciLow: q(0.025),
    ciHigh: q(0.975),
    pValue,
    resamples: p.resamples,
    reason: passed
      ? `activated: beats ${evidence.against}: ${evidenceText}`
      : `kept as CANDIDATE: not shown to beat ${evidence.against} (paired bootstrap, p must be < ${p.alpha}): ${evidenceText}`,
  };
}

/** A GateDecision as JSON for `metrics.gate` (no functions, finite numbers only). */
function gateJson(d: GateDecision): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(d)) as Prisma.InputJsonValue;
}

function withGate(metrics: Prisma.InputJsonValue | undefined, d: GateDecision): Prisma.InputJsonValue {
  const base = metrics && typeof metrics === 'object' && !Array.isArray(metrics) ? metrics : {};
  return { ...(base as Record<string, Prisma.InputJsonValue>), gate: gateJson(d) };
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

  /**
   * A trained version through the gate (see `gateDecision`): the TRAINING row `id` (or a new row when
   * `id` is null) gets its fields and artifact as CANDIDATE with `metrics.gate` and the reason in `notes`,
   * then becomes ACTIVE (retiring the current one) when the gate passed. `check` as for `activate`.
   */
  async completeGated(
    model: ModelRef,
    id: string | null,
    fields: VersionFields,
    evidence: ValidationEvidence,
    opts: { policy?: Partial<GatePolicy> } & ActivateOptions = {},
  ): Promise<{ row: VersionRow; gate: GateDecision }> {
    const gate = gateDecision(evidence, opts.policy);
    const notes = fields.notes ? `${gate.reason}. ${fields.notes}` : gate.reason;
    const gated: VersionFields = { ...fields, metrics: withGate(fields.metrics, gate), notes };
    let row: VersionRow;
    if (id === null) {
      row = await this.register(model, gated);
    } else {
      // Only what the trainer gives changes: the row keeps its params, window and job from startTraining.
      const f = gated;
      const data: Prisma.ModelVersionUpdateInput = {
        status: 'CANDIDATE',
        algorithm: f.algorithm,
        metrics: f.metrics ?? {},
        notes,
        ...(f.params !== undefined ? { params: f.params } : {}),
        ...(f.history !== undefined ? { history: f.history } : {}),
        ...(f.dataWindowStart !== undefined ? { dataWindowStart: f.dataWindowStart } : {}),
        ...(f.dataWindowEnd !== undefined ? { dataWindowEnd: f.dataWindowEnd } : {}),
        ...(f.backend !== undefined ? { backend: f.backend } : {}),
        ...(f.artifact !== undefined
          ? { artifact: f.artifact, artifactBytes: f.artifact?.byteLength ?? 0 }
          : {}),
      };
      row = await this.db.modelVersion.update({ where: { id }, data, omit: omitArtifact });
    }
    if (gate.passed) row = await this.activate(model.area, row.id, opts.check ? { check: opts.check } : {});
    return { row, gate };
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
