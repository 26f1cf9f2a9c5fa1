import type { AuthedContext } from '../common/context.js';
import type { GenerationPolicyInput } from './generation.types.js';
import { loadGenerationPolicy, POLICY_KEY, type GenerationPolicy } from './pipeline.js';
import { setNewsroomSetting } from './settings.js';

export function getGenerationPolicy(ctx: AuthedContext): Promise<GenerationPolicy> {
  return loadGenerationPolicy(ctx.db);
}

/** Changes the fields given, keeps the others; the worker reads the policy at the start of every job. */
export async function setGenerationPolicy(
  ctx: AuthedContext,
  input: GenerationPolicyInput,
): Promise<GenerationPolicy> {
  const current = await loadGenerationPolicy(ctx.db);
  const next: GenerationPolicy = {
    guardrails: input.guardrails ?? current.guardrails,
    bannedTerms: input.bannedTerms
      ? [...new Set(input.bannedTerms.map((t) => t.trim()).filter(Boolean))]
      : current.bannedTerms,
    summaryMaxChars: input.summaryMaxChars !== undefined ? input.summaryMaxChars : current.summaryMaxChars,
    headlineMaxChars: input.headlineMaxChars ?? current.headlineMaxChars,
    socialMaxChars: input.socialMaxChars ?? current.socialMaxChars,
  };
  await setNewsroomSetting(ctx.db, ctx.client.newsroomId, POLICY_KEY, next);
  return next;
}
