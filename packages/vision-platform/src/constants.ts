/*
 * The vision area's names, shared by the API and the worker. Strings stored in rows (analysis kinds,
 * derivative kinds, face assignments, the settings key) are persisted: never rename them.
 */

/** Identity of a model (or of an algorithm) as results record it. */
export interface ModelRef {
  name: string;
  version: string;
}

/** ImageAnalysis.kind: one row per asset and kind, replaced by the latest run. */
export type AnalysisKind = 'objects' | 'faces' | 'moderation' | 'ocr' | 'phash' | 'altText' | 'enhance';

/** Identities of the two results that come from code rather than a model. */
export const PHASH_MODEL: ModelRef = { name: 'dct64-phash', version: '1' };
export const ALT_TEXT_MODEL: ModelRef = { name: 'media-ai/alt-text-template', version: '1' };

/** "name@version", as Face.model stores the face model (descriptors of two models do not share a space). */
export const modelKey = (m: ModelRef): string => `${m.name}@${m.version}`;

/** The face model of a stored faces analysis, as Face.model stores it. */
export const faceModelOf = (row: { model: string; modelVersion: string }): string =>
  `${row.model}@${row.modelVersion}`;

/** Newsroom.settings key of the newsroom's moderation policy (set through setModerationPolicy). */
export const POLICY_SETTING = 'moderationPolicy';

/** How Face.assignment is set; the first two are an editor's decision and are never overwritten by matching. */
export const EDITOR_ASSIGNMENTS = ['enrolled', 'confirmed'] as const;
export const isEditorAssignment = (a: string | null): boolean =>
  a !== null && (EDITOR_ASSIGNMENTS as readonly string[]).includes(a);

/** FaceCorrection.verdict. */
export type FaceVerdictValue = 'confirmed' | 'rejected';

/** Files a vision.derivatives job makes; each is stored once per asset as Derivative.kind. */
export const DERIVATIVE_KINDS = [
  'thumbnail',
  'crop-1x1',
  'crop-4x5',
  'crop-16x9',
  'webp',
  'avif',
  'jpeg',
  'png',
] as const;
export type DerivativeKindValue = (typeof DERIVATIVE_KINDS)[number];

/** The aspect of each smart crop. */
export const CROP_ASPECTS = { 'crop-1x1': '1:1', 'crop-4x5': '4:5', 'crop-16x9': '16:9' } as const;
export const isCrop = (kind: string): kind is keyof typeof CROP_ASPECTS => kind in CROP_ASPECTS;

/** Crops wider than this are scaled down to it. */
export const MAX_CROP_WIDTH = 2048;
export const THUMBNAIL_SIZE = 256;

const STORAGE_EXTENSION: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif' };

/** Where a derived file of an asset is stored. */
export function derivedKey(newsroomId: string, assetId: string, kind: string, format: string): string {
  return `${newsroomId}/derived/${assetId}/${kind}.${STORAGE_EXTENSION[format] ?? format}`;
}

/** Hamming distance up to which two perceptual hashes count as the same picture (edited copies land within 10). */
export const DEFAULT_SIMILAR_DISTANCE = 10;
/** Tags below this confidence (0 to 1) are flagged lowConfidence unless a query asks otherwise. */
export const DEFAULT_MIN_CONFIDENCE = 0.5;
/** OCR lines below this confidence (0 to 100) are flagged lowConfidence unless a query asks otherwise. */
export const DEFAULT_MIN_OCR_CONFIDENCE = 60;
/** Longest alt text an editor may store. */
export const MAX_ALT_TEXT = 1000;
/** Faces shown with each cluster of unknown faces. */
export const SAMPLE_FACES_PER_CLUSTER = 12;
