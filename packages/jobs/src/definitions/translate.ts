import { z } from 'zod';
import { defineJob } from '../define.js';

/** Document formats packages/translate understands. */
export type TranslationFormat = 'text' | 'html' | 'markdown';

export interface TranslateContentPayload {
  contentId: string;
  /** Language tags such as "es", "pt-BR", "cat". */
  targetLanguages: string[];
  /** Source language; absent: the item's language, else identified from its text. */
  sourceLanguage?: string;
  /** Format of the body; absent: guessed (HTML tags → html, Markdown marks → markdown, else text). */
  format?: TranslationFormat;
  /**
   * Propose each translation for review (a TRANSLATION generated item) instead of writing the translated
   * content item; accepting the item writes it.
   */
  review?: boolean;
}

export type TranslateContentStatus = 'CREATED' | 'UPDATED' | 'PROPOSED' | 'SAME_LANGUAGE' | 'UNSUPPORTED';

export interface TranslateContentOutcome {
  /** As stored on the translated item, e.g. "es". */
  language: string;
  status: TranslateContentStatus;
  /** The translated ContentItem (CREATED/UPDATED). */
  contentId: string | null;
  /** The TRANSLATION generated item waiting for review (PROPOSED). */
  generatedItemId?: string | null;
  /** Engine identity and the languages the text went through, e.g. apertium, ["pt", "es", "en"]. */
  engine: string | null;
  provider: string | null;
  route: string[];
  sentences: number;
  memoryHits: number;
  glossaryApplied: number;
  doNotTranslateApplied: number;
  /** Why nothing was stored (SAME_LANGUAGE, UNSUPPORTED). */
  message: string | null;
}

export interface TranslateContentResult {
  originalId: string;
  sourceLanguage: string;
  format: TranslationFormat;
  translations: TranslateContentOutcome[];
}

export const translateJobs = {
  'translate.content': defineJob<TranslateContentPayload, TranslateContentResult>()({
    name: 'translate.content',
    queue: 'translate',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        contentId: z.string().uuid(),
        targetLanguages: z.array(z.string().min(1).max(35)).min(1).max(20),
        sourceLanguage: z.string().min(1).max(35).optional(),
        format: z.enum(['text', 'html', 'markdown']).optional(),
        review: z.boolean().optional(),
      })
      .passthrough(),
    options: { attempts: 3, backoffMs: 5_000, timeoutMs: 30 * 60_000 },
    description:
      'Translates a content item (title, summary, body with its markup) into several languages; each translation is a ContentItem linked to the original, updated when run again.',
  }),
};
