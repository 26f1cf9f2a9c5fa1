import { z } from 'zod';
import { defineJob } from '../define.js';

// Jobs of the vision area. Names, queue and the string values below are persisted: never rename them.

/** Analyses a `vision.analyze` job can run (altText brings in objects, faces and ocr, which it is composed from). */
export type VisionAnalysis = 'objects' | 'faces' | 'moderation' | 'ocr' | 'phash' | 'altText';

/** Files a `vision.derivatives` job can make; each is stored once per asset as Derivative.kind. */
export type DerivativeKind =
  'thumbnail' | 'crop-1x1' | 'crop-4x5' | 'crop-16x9' | 'webp' | 'avif' | 'jpeg' | 'png';

/** Derivative.kind of the file a `vision.enhance` job makes (with or without super-resolution). */
export type EnhancedKind = 'enhanced-2x' | 'enhanced';

export interface ModelRef {
  name: string;
  version: string;
}

export interface VisionAnalyzePayload {
  assetId: string;
  /** Default: all of them. */
  analyses?: VisionAnalysis[];
  /** Object tags: 'fast' (one pass) or 'accurate' (test-time augmentation, about 7× the time). Default: the worker's VISION_OBJECT_QUALITY, else fast. */
  objectQuality?: 'fast' | 'accurate';
}

export interface VisionAnalyzeResult {
  status: 'analyzed';
  assetId: string;
  analyses: VisionAnalysis[];
  models: ModelRef[];
  tags?: number;
  faces?: { found: number; recognised: number; unknown: number };
  moderation?: 'allow' | 'flag' | 'block';
  ocrCharacters?: number;
  perceptualHash?: string;
  altText?: string;
  /** Milliseconds per stage. */
  timings: Record<string, number>;
}

export interface StoredDerivative {
  kind: string;
  mimeType: string;
  width: number;
  height: number;
  sizeBytes: number;
  /** For smart crops: the window taken, in pixels of the upright original. */
  crop?: { x: number; y: number; width: number; height: number };
}

export interface VisionDerivativesPayload {
  assetId: string;
  kinds: DerivativeKind[];
}

export interface VisionDerivativesResult {
  status: 'created';
  assetId: string;
  derivatives: StoredDerivative[];
  /** Where crops took their focus from: the stored analysis, a detection run for this job, or saliency alone. */
  focus: 'stored-analysis' | 'detected' | 'attention' | 'none';
  models: ModelRef[];
}

export interface VisionEnhancePayload {
  assetId: string;
  /** 2x super-resolution with ESRGAN (default true; inputs up to 1 megapixel). */
  upscale?: boolean;
  /** Median filter against JPEG/sensor noise (default light). */
  denoise?: 'none' | 'light' | 'strong';
  /** Unsharp mask (default true). */
  sharpen?: boolean;
}

export interface VisionEnhanceResult {
  status: 'created';
  assetId: string;
  derivative: StoredDerivative;
  model: ModelRef | null;
  ms: number;
}

export interface VisionEnrolPayload {
  personId: string;
  assetIds: string[];
}

export interface VisionEnrolResult {
  status: 'enrolled' | 'no-faces';
  personId: string;
  /** One face per photo became an exemplar of the person. */
  enrolled: Array<{ assetId: string; faceId: string; facesInPhoto: number }>;
  skipped: Array<{ assetId: string; reason: string }>;
  refresh: VisionFacesRefreshResult;
}

export type VisionClusterFacesPayload = Record<string, never>;

export interface VisionFacesRefreshResult {
  /** Unknown faces that now match a person of the registry. */
  matched: number;
  clusters: number;
  clusteredFaces: number;
  unclusteredFaces: number;
}

export interface VisionEraseFacesPayload {
  /** Assets that held the erased faces: their stored analyses and alt texts are rewritten without them. */
  assetIds: string[];
  /** Job rows that named the erased person (enrolments): deleted, with their queue entries. */
  jobIds?: string[];
}

export interface VisionEraseFacesResult {
  status: 'erased';
  assetsChecked: number;
  /** Stored face analyses and alt texts rewritten. */
  analysesChanged: number;
  /** vision.analyze job results whose alt text was rewritten. */
  jobResultsChanged: number;
  /** Job rows deleted (and their entries in the queue). */
  jobsDeleted: number;
  /** Queue entries (finished jobs kept in Redis, their events) removed. */
  queueEntriesRemoved: number;
  /** Clusters of unknown faces named after an erased face, renamed after a remaining one. */
  clustersRenamed: number;
}

const ATTEMPTS_FOR_MODELS = { attempts: 3, backoffMs: 5_000 };

export const visionJobs = {
  'vision.analyze': defineJob<VisionAnalyzePayload, VisionAnalyzeResult>()({
    name: 'vision.analyze',
    queue: 'vision',
    resource: 'gpu',
    sandboxed: true,
    payload: z
      .object({
        assetId: z.string().uuid(),
        analyses: z.array(z.enum(['objects', 'faces', 'moderation', 'ocr', 'phash', 'altText'])).optional(),
        objectQuality: z.enum(['fast', 'accurate']).optional(),
      })
      .passthrough(),
    options: { ...ATTEMPTS_FOR_MODELS, timeoutMs: 5 * 60_000 },
    description:
      'Analyses an image asset: objects (tags with boxes), faces (matched to the people registry), moderation, OCR, perceptual hash, alt text.',
  }),
  'vision.derivatives': defineJob<VisionDerivativesPayload, VisionDerivativesResult>()({
    name: 'vision.derivatives',
    queue: 'vision',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        assetId: z.string().uuid(),
        kinds: z
          .array(z.enum(['thumbnail', 'crop-1x1', 'crop-4x5', 'crop-16x9', 'webp', 'avif', 'jpeg', 'png']))
          .min(1),
      })
      .passthrough(),
    options: { ...ATTEMPTS_FOR_MODELS, timeoutMs: 5 * 60_000 },
    description:
      'Makes a thumbnail, smart crops (1:1, 4:5, 16:9) that keep faces and objects in frame, and format conversions.',
  }),
  'vision.enhance': defineJob<VisionEnhancePayload, VisionEnhanceResult>()({
    name: 'vision.enhance',
    queue: 'vision',
    resource: 'gpu',
    sandboxed: true,
    payload: z
      .object({
        assetId: z.string().uuid(),
        upscale: z.boolean().optional(),
        denoise: z.enum(['none', 'light', 'strong']).optional(),
        sharpen: z.boolean().optional(),
      })
      .passthrough(),
    options: { attempts: 2, backoffMs: 5_000, timeoutMs: 10 * 60_000 },
    description: 'Enhances an image: ESRGAN 2x super-resolution, then denoise and sharpen.',
  }),
  'vision.enrol': defineJob<VisionEnrolPayload, VisionEnrolResult>()({
    name: 'vision.enrol',
    queue: 'vision',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({ personId: z.string().uuid(), assetIds: z.array(z.string().uuid()).min(1) })
      .passthrough(),
    options: { ...ATTEMPTS_FOR_MODELS, timeoutMs: 10 * 60_000 },
    description:
      'Enrols a person from photos: one face per photo becomes an exemplar, then unknown faces are matched again.',
  }),
  'vision.cluster-faces': defineJob<VisionClusterFacesPayload, VisionFacesRefreshResult>()({
    name: 'vision.cluster-faces',
    queue: 'vision',
    resource: 'cpu',
    sandboxed: true,
    payload: z.object({}).passthrough() as unknown as z.ZodType<
      VisionClusterFacesPayload,
      z.ZodTypeDef,
      unknown
    >,
    options: { attempts: 2, backoffMs: 2_000, timeoutMs: 5 * 60_000 },
    description:
      "Matches the newsroom's unknown faces against the people registry again and clusters the rest.",
  }),
  'vision.erase-faces': defineJob<VisionEraseFacesPayload, VisionEraseFacesResult>()({
    name: 'vision.erase-faces',
    queue: 'vision',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        assetIds: z.array(z.string().uuid()).max(200_000),
        jobIds: z.array(z.string().uuid()).max(100_000).optional(),
      })
      .passthrough(),
    options: { attempts: 5, backoffMs: 10_000, timeoutMs: 60 * 60_000 },
    description:
      'After faces were erased (a person deleted, or the retention period): rewrites the stored face analyses, alt texts and job results of their assets without them and removes the jobs that named the person, from PostgreSQL and the queue.',
  }),
};
