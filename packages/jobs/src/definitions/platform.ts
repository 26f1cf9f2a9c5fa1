import { z } from 'zod';
import { defineJob } from '../define.js';

export interface NoopPayload {
  /** Time to spend, reporting progress in steps. */
  durationMs?: number;
  steps?: number;
  /** Fail this many first tries (to exercise retries). */
  failTimes?: number;
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
};
