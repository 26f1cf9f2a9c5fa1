import { z } from 'zod';
import { defineJob } from '../define.js';

export interface NoopPayload {
  /** Time to spend, reporting progress in steps. */
  durationMs?: number;
  steps?: number;
  /** Fail this many first tries (to exercise retries). */
  failTimes?: number;
}

/** Newsroom.settings key of the retention policy (set through GraphQL, read by the retention job). */
export const RETENTION_SETTING = 'retention';
/** The job scheduler that runs a newsroom's retention job daily. */
export const retentionSchedulerId = (newsroomId: string) => `retention:${newsroomId}`;
/** Longest period a policy may set, in days (about 100 years). */
export const MAX_RETENTION_DAYS = 36_500;

const days = z.number().int().min(1).max(MAX_RETENTION_DAYS).nullable().optional();
const retentionPolicy = z.object({ interactionsDays: days, unnamedFacesDays: days });

/** How long a newsroom keeps data; null or absent keeps it until deleted. */
export interface RetentionPolicy {
  /** Reader interactions (by when they happened). */
  interactionsDays: number | null;
  /** Faces not assigned to a person in the registry (by when they were detected). */
  unnamedFacesDays: number | null;
}

/** The policy stored in Newsroom.settings (anything unreadable keeps everything). */
export function retentionPolicyOf(settings: unknown): RetentionPolicy {
  const raw = (settings as Record<string, unknown> | null)?.[RETENTION_SETTING];
  const parsed = retentionPolicy.safeParse(raw ?? {});
  return {
    interactionsDays: parsed.success ? (parsed.data.interactionsDays ?? null) : null,
    unnamedFacesDays: parsed.success ? (parsed.data.unnamedFacesDays ?? null) : null,
  };
}

export interface RetentionPayload {
  /** Set by the newsroom's daily schedule. */
  scheduled?: boolean;
}

export interface RetentionResult {
  status: 'enforced' | 'no-policy';
  /** The cut-offs applied (ISO dates), per kind of data; absent where the policy keeps it. */
  cutoffs: { interactions?: string; unnamedFaces?: string };
  interactionsDeleted: number;
  /** Readers whose hot history was dropped (it reloads without the deleted events). */
  readersRefreshed: number;
  unnamedFacesDeleted: number;
  /** The vision.erase-faces job that rewrites the analyses of the assets those faces were in. */
  eraseJobId: string | null;
}

const noop = {
  durationMs: z.number().int().min(0).max(3_600_000).optional(),
  steps: z.number().int().min(1).max(1000).optional(),
  failTimes: z.number().int().min(0).optional(),
};
const noopPayload = z.object(noop).passthrough();

export const platformJobs = {
  'platform.noop': defineJob<NoopPayload, { steps: number; attempt: number }>()({
    name: 'platform.noop',
    queue: 'platform',
    resource: 'cpu',
    sandboxed: false,
    payload: noopPayload,
    options: { attempts: 3, backoffMs: 200, timeoutMs: 10 * 60_000 },
    description: 'Does nothing but report progress; used for health checks and benchmarks.',
  }),
  'platform.sandboxed-noop': defineJob<
    NoopPayload & { crash?: boolean; hang?: boolean },
    { steps: number; attempt: number; threadId: number }
  >()({
    name: 'platform.sandboxed-noop',
    queue: 'platform',
    resource: 'cpu',
    sandboxed: true,
    payload: z.object({ ...noop, crash: z.boolean().optional(), hang: z.boolean().optional() }).passthrough(),
    options: { attempts: 2, backoffMs: 200, timeoutMs: 60_000 },
    description: 'Like platform.noop but inside the sandbox; can crash or hang on purpose.',
  }),
  'platform.gpu-noop': defineJob<NoopPayload, { steps: number; attempt: number }>()({
    name: 'platform.gpu-noop',
    queue: 'platform',
    resource: 'gpu',
    sandboxed: false,
    payload: noopPayload,
    options: { attempts: 2, backoffMs: 200, timeoutMs: 10 * 60_000 },
    description:
      'Like platform.noop but gpu-class: waits for a GPU worker (checks routing and the CPU fallback).',
  }),
  'platform.retention': defineJob<RetentionPayload, RetentionResult>()({
    name: 'platform.retention',
    queue: 'platform',
    resource: 'cpu',
    sandboxed: false,
    payload: z.object({ scheduled: z.boolean().optional() }).passthrough(),
    options: { attempts: 3, backoffMs: 30_000, timeoutMs: 60 * 60_000 },
    description:
      "Enforces the newsroom's retention policy: deletes reader interactions and unnamed faces older than the periods it sets.",
  }),
};
