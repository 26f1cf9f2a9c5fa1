import { DraftResolver } from './drafts.resolver.js';
import { GenerationResolver } from './generation.resolver.js';
import { GenerationSettingsResolver } from './settings.resolver.js';

/** GraphQL resolver classes of the content-generation area (summaries, headlines, keywords, tags, drafts). */
export const contentResolvers: Function[] = [GenerationResolver, DraftResolver, GenerationSettingsResolver];
