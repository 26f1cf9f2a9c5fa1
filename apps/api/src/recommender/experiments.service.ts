import { DomainError } from '@media-ai/core';
import type { Prisma, RecommenderExperiment, TenantDb } from '@media-ai/db';
import { modelSelect } from '../models/models.js';
import type { ExperimentCounters } from './experiment-counters.js';
import { compareArms, wilson, type ArmCounts } from './experiment-stats.js';
import type { RecommenderExperimentGQL } from './experiment.types.js';
import { AREA, MODEL_NAME } from '@media-ai/recommender-platform';
import { activateVersion } from './models.service.js';

export interface RunningExperiment {
  id: string;
  controlVersionId: string;
  candidateVersionId: string;
  trafficShare: number;
}

const withVersions = {
  controlVersion: { select: modelSelect },
  candidateVersion: { select: modelSelect },
} as const;

type ExperimentRow = Prisma.RecommenderExperimentGetPayload<{ include: typeof withVersions }>;

export async function runningExperiment(db: TenantDb): Promise<RunningExperiment | null> {
  return db.recommenderExperiment.findFirst({
    where: { status: 'RUNNING' },
    select: { id: true, controlVersionId: true, candidateVersionId: true, trafficShare: true },
  });
}

/** Starts testing a version against the active one; one experiment runs at a time. */
export async function startExperiment(
  db: TenantDb,
  newsroomId: string,
  input: { candidateVersionId: string; trafficShare: number; name?: string | undefined },
  startedById: string,
): Promise<RecommenderExperiment> {
  const [candidate, active, running] = await Promise.all([
    db.modelVersion.findFirst({
      where: { id: input.candidateVersionId, area: AREA, name: MODEL_NAME },
      select: { id: true, version: true, status: true, artifactBytes: true },
    }),
    db.modelVersion.findFirst({
      where: { area: AREA, name: MODEL_NAME, status: 'ACTIVE' },
      select: { id: true, version: true },
    }),
    runningExperiment(db),
  ]);
  if (!candidate)
    throw new DomainError('NOT_FOUND', `Recommender model version ${input.candidateVersionId} was not found`);
  if (!active)
    throw new DomainError(
      'CONFLICT',
      'There is no active recommender version to compare with: activate one first',
    );
  if (candidate.id === active.id)
    throw new DomainError(
      'BAD_USER_INPUT',
      `Version ${candidate.version} is the active one; choose a CANDIDATE version`,
    );
  if ((candidate.status !== 'CANDIDATE' && candidate.status !== 'RETIRED') || candidate.artifactBytes === 0)
    throw new DomainError(
      'CONFLICT',
      `Version ${candidate.version} is ${candidate.status.toLowerCase()}; only CANDIDATE or RETIRED versions can be tested`,
    );
  if (running)
    throw new DomainError('CONFLICT', `Experiment ${running.id} is running; stop or promote it first`);
  try {
    return await db.recommenderExperiment.create({
      data: {
        name: input.name?.trim() || `v${candidate.version} vs v${active.version}`,
        controlVersionId: active.id,
        candidateVersionId: candidate.id,
        trafficShare: input.trafficShare,
        startedById,
      },
    });
  } catch (e) {
    // Two starts at once: the partial unique index lets one through.
    if ((e as { code?: string }).code === 'P2002')
      throw new DomainError('CONFLICT', 'Another experiment was started at the same time');
    throw e;
  }
}

async function runningById(db: TenantDb, id: string) {
  const row = await db.recommenderExperiment.findFirst({ where: { id } });
  if (!row) throw new DomainError('NOT_FOUND', `Experiment ${id} was not found`);
  if (row.status !== 'RUNNING')
    throw new DomainError('CONFLICT', `Experiment ${id} has ended (${row.status.toLowerCase()})`);
  return row;
}

export async function setTraffic(db: TenantDb, id: string, trafficShare: number) {
  await runningById(db, id);
  return db.recommenderExperiment.update({ where: { id }, data: { trafficShare } });
}

/** Ends an experiment, freezing its counts; `promote` makes the candidate the active version. */
export async function endExperiment(
  db: TenantDb,
  newsroomId: string,
  counters: ExperimentCounters,
  id: string,
  promote: boolean,
) {
  const row = await runningById(db, id);
  if (promote) await activateVersion(db, newsroomId, row.candidateVersionId);
  const counts = await counters.read(id);
  return db.recommenderExperiment.update({
    where: { id },
    data: {
      status: promote ? 'PROMOTED' : 'STOPPED',
      endedAt: new Date(),
      finalCounts: counts as unknown as Prisma.InputJsonValue,
    },
  });
}

export async function experiments(db: TenantDb, status: RecommenderExperiment['status'] | undefined) {
  return db.recommenderExperiment.findMany({
    where: status ? { status } : {},
    include: withVersions,
    orderBy: { startedAt: 'desc' },
    take: 50,
  });
}

export async function experimentById(db: TenantDb, id: string) {
  const row = await db.recommenderExperiment.findFirst({ where: { id }, include: withVersions });
  if (!row) throw new DomainError('NOT_FOUND', `Experiment ${id} was not found`);
  return row;
}

/** The report of an experiment: live counts while it runs, the frozen ones after. */
export async function report(
  row: ExperimentRow,
  counters: ExperimentCounters,
): Promise<RecommenderExperimentGQL> {
  const counts =
    row.status === 'RUNNING' || !row.finalCounts
      ? await counters.read(row.id)
      : (row.finalCounts as unknown as Record<'control' | 'candidate', ArmCounts>);
  const arm = (name: 'control' | 'candidate') => {
    const c = counts[name];
    const r = wilson(c.clicks, c.impressions);
    return {
      arm: name,
      modelVersion: name === 'control' ? row.controlVersion : row.candidateVersion,
      ...c,
      ctr: r.rate,
      ctrLow: r.low,
      ctrHigh: r.high,
    };
  };
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    trafficShare: row.trafficShare,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    arms: [arm('control'), arm('candidate')],
    comparison: compareArms(counts.control, counts.candidate),
  };
}
