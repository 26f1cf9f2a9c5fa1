import type { Glossary, SentenceScorerModel, TopicClassifierModel } from '@media-ai/content-gen';
import type { TenantDb } from '@media-ai/db';
import { activeContentModel, SUMMARY_SCORER, TOPIC_CLASSIFIER, type LoadedModel } from './models.js';
import { parseGenerationPolicy, type GenerationPolicy } from './policy.js';

/** Everything about a newsroom that shapes its generated texts. */
export interface NewsroomGeneration {
  policy: GenerationPolicy;
  glossary: Glossary;
  scorer: LoadedModel<SentenceScorerModel> | null;
  classifier: LoadedModel<TopicClassifierModel> | null;
}

/**
 * Glossary terms with a preferred spelling (GlossaryTerm.preferredSpelling) for a language (or any language):
 * the term is the variant to replace, the preferred spelling what prompts ask for and guardrails apply.
 */
export async function loadGlossary(db: TenantDb, language?: string): Promise<Glossary> {
  const lang = (language ?? '').toLowerCase().split('-')[0];
  const rows = await db.glossaryTerm.findMany({
    where: { preferredSpelling: { not: null }, language: { in: lang ? ['', lang] : [''] } },
    select: { term: true, preferredSpelling: true, notes: true },
    orderBy: { term: 'asc' },
  });
  const entries = rows
    .filter((r) => r.preferredSpelling && r.preferredSpelling.trim())
    .map((r) => {
      const preferred = r.preferredSpelling!.trim();
      return {
        preferred,
        variants: r.term.trim() && r.term.trim() !== preferred ? [r.term.trim()] : [],
        ...(r.notes ? { note: r.notes } : {}),
      };
    });
  return { entries };
}

export async function loadGenerationPolicy(db: TenantDb): Promise<GenerationPolicy> {
  // The tenant client binds Newsroom reads to its own row.
  const newsroom = await db.newsroom.findFirst({ select: { settings: true } });
  return parseGenerationPolicy(newsroom?.settings);
}

export async function loadNewsroomGeneration(
  db: TenantDb,
  opts: { language?: string; models?: boolean } = {},
): Promise<NewsroomGeneration> {
  const withModels = opts.models ?? true;
  const [policy, glossary, scorer, classifier] = await Promise.all([
    loadGenerationPolicy(db),
    loadGlossary(db, opts.language),
    withModels ? activeContentModel(db, SUMMARY_SCORER) : null,
    withModels ? activeContentModel(db, TOPIC_CLASSIFIER) : null,
  ]);
  return { policy, glossary, scorer, classifier };
}
