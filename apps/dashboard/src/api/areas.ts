import {
  enumValues,
  field,
  named,
  pick,
  returnShape,
  run,
  type FieldInfo,
  type Root,
  type Spec,
} from './schema.js';

/**
 * Operations of the AI areas whose GraphQL API may not be deployed on every server (content
 * generation, speech, recommender). Each is looked up by introspection among the names below; a page
 * shows "not available on this server" when none exists. Keep these lists in step with the areas.
 */
export const OPS = {
  // content generation
  generatedList: ['generatedItems', 'generatedTexts', 'generations'],
  generateSummary: ['summarize', 'generateSummary', 'summarizeContent'],
  generateHeadlines: ['generateHeadlines', 'suggestHeadlines', 'headlines'],
  generateKeywords: ['extractKeywords', 'generateKeywords', 'suggestKeywords'],
  generateSocial: ['generateSocialPosts', 'generateSocial'],
  generateTags: ['suggestTags', 'generateTags', 'tagContent'],
  generateAny: ['generate', 'generateContent', 'generateText'],
  acceptGenerated: ['acceptGeneratedItem', 'approveGeneratedItem', 'acceptGeneration'],
  rejectGenerated: ['rejectGeneratedItem', 'rejectGeneration'],
  editGenerated: ['editGeneratedItem', 'updateGeneratedItem', 'editGeneration'],
  reviewGenerated: ['reviewGeneratedItem', 'decideGeneratedItem', 'reviewGeneration'],
  renderDraft: ['renderDraft'],
  templates: ['draftTemplates', 'templates'],
  saveTemplate: ['upsertDraftTemplate', 'saveDraftTemplate', 'createDraftTemplate'],
  deleteTemplate: ['deleteDraftTemplate', 'removeDraftTemplate'],
  // speech
  synthesize: ['synthesize', 'synthesizeSpeech', 'readAloud', 'textToSpeech'],
  voices: ['speechVoices'],
  transcripts: ['transcripts', 'assetTranscripts'],
  transcript: ['transcript', 'assetTranscript'],
  transcribe: ['transcribe', 'transcribeAsset', 'requestTranscript'],
  // recommender
  recommendations: ['recommendations', 'recommend', 'recommendationsFor', 'readerRecommendations'],
  readers: ['readers'],
  rules: ['editorialRules', 'recommendationRules'],
  createRule: ['createEditorialRule', 'addEditorialRule', 'upsertEditorialRule', 'setEditorialRule'],
  pin: ['pinContent'],
  boost: ['boostContent'],
  block: ['blockContent'],
  embargo: ['embargoContent'],
  similar: ['similarContent'],
  trending: ['trending'],
  deleteRule: ['deleteEditorialRule', 'removeEditorialRule'],
  train: ['trainRecommender', 'startRecommenderTraining', 'trainRecommenderModel'],
  activate: ['activateRecommenderVersion', 'activateRecommenderModel', 'activateRecommender'],
  rollback: ['rollbackRecommender', 'rollbackRecommenderModel', 'rollbackModel'],
  // other areas' models
  trainSummaryScorer: ['trainSummaryScorer'],
  trainTopicClassifier: ['trainTopicClassifier'],
  buildSpeechVocabulary: ['buildSpeechVocabulary'],
  activateContentModel: ['activateContentModel', 'activateModelVersion'],
  activateSpeechModel: ['activateSpeechModel'],
} as const;

export type OpName = keyof typeof OPS;
const ROOT: Record<OpName, Root> = Object.fromEntries(
  Object.keys(OPS).map((k) => [
    k,
    /^(generatedList|templates|transcripts|transcript|recommendations|readers|rules|voices|similar|trending)$/.test(
      k,
    )
      ? 'Query'
      : 'Mutation',
  ]),
) as Record<OpName, Root>;

export const op = (name: OpName): FieldInfo | undefined => pick(ROOT[name], [...OPS[name]]);
export const hasOp = (name: OpName) => !!op(name);
/** For "not available" notices: the names looked for. */
export const opLabel = (name: OpName) => `${ROOT[name]}.${OPS[name][0]}`;

export async function runOp<T = unknown>(
  name: OpName,
  known: Record<string, unknown>,
  spec: Spec,
): Promise<T> {
  const o = op(name);
  if (!o) throw new Error(`This server has no ${OPS[name].join(' / ')} operation`);
  return run<T>(ROOT[name], o, known, spec);
}

export const returnsJob = (name: OpName) => {
  const o = op(name);
  return !!o && returnShape(o).node === 'Job';
};

/** The value of an enum argument of an operation that matches `re` (e.g. ACCEPTED for /accept/i). */
export function enumArg(name: OpName, re: RegExp): { arg: string; value: string } | null {
  const o = op(name);
  if (!o) return null;
  for (const a of o.args) {
    const v = enumValues(named(a.type)).find((x) => re.test(x));
    if (v) return { arg: a.name, value: v };
  }
  return null;
}

/** Selections used across pages for types of these areas (fields a server lacks are dropped). */
export const GENERATED_SPEC: Spec = [
  'id',
  'kind',
  'engine',
  'engineVersion',
  'output',
  'editedOutput',
  'finalOutput',
  'status',
  'contentId',
  'createdAt',
  'decidedAt',
  'jobId',
  { model: ['name', 'version'] },
  { content: ['id', 'title'] },
  { guardrails: ['passed', 'action', { issues: ['kind', 'severity', 'message', 'suggestion'] }] },
  { fallback: ['from', 'reason'] },
];
export const JOB_SPEC: Spec = [
  'id',
  'type',
  'status',
  'progress',
  'progressMessage',
  'error',
  'errorCode',
  'result',
];
/** What an operation may answer: a Job, generated items, or both ({items, job}). */
export const OUTCOME_SPEC: Spec = [
  ...JOB_SPEC,
  ...GENERATED_SPEC,
  { items: GENERATED_SPEC },
  { job: JOB_SPEC },
];

export const fieldExists = (type: string, f: string) => !!field(type, f);
