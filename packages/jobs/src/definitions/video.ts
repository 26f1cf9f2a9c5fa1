import { z } from 'zod';
import { defineJob } from '../define.js';
import type { ModelRef, VisionAnalysis } from './vision.js';

// Jobs of the video area. Names, queue and the string values below are persisted: never rename them.

export type ClipAspect = '9:16' | '1:1' | '16:9';

export interface VideoAnalyzePayload {
  assetId: string;
  /** Vision analyses of each keyframe (default: objects, faces, moderation, ocr, altText). */
  analyses?: VisionAnalysis[];
  /** Transcribe the audio track (default true when there is one). */
  transcribe?: boolean;
}

export interface VideoAnalyzeResult {
  status: 'analyzed';
  assetId: string;
  durationSec: number;
  width: number;
  height: number;
  rotation: number;
  variableFrameRate: boolean;
  /** Frames were analysed downscaled (4K and the like). */
  downscaled: boolean;
  scenes: number;
  chapters: number;
  keyframeAssetIds: string[];
  posterScene: number | null;
  transcript: { status: string; transcriptId: string | null; words: number } | null;
  models: ModelRef[];
  /** Seconds of video analysed per second of work. */
  realTimeFactor: number;
  timings: Record<string, number>;
}

export interface VideoClipPayload {
  assetId: string;
  startSec: number;
  endSec: number;
  aspect: ClipAspect;
  captions: 'burned' | 'none';
}

export interface VideoClipResult {
  status: 'created';
  assetId: string;
  clipAssetId: string;
  width: number;
  height: number;
  durationSec: number;
  /** Crop windows over the clip, clip-relative seconds, in the source's upright pixels. */
  crop: Array<{ atSec: number; x: number; y: number; width: number; height: number; from: string }>;
  captions: number;
  /**
   * Normalised (both measurements), or why not: `silent` (below -60 LUFS: left as it is, never raised to
   * the target) or `no-audio`, with the measurements null and a reason.
   */
  loudness: {
    status: 'normalised' | 'silent' | 'no-audio';
    targetLufs: number;
    measuredLufs: number | null;
    outputLufs: number | null;
    reason: string | null;
  };
  previewKind: 'preview-webp';
  renderMs: number;
}

const uuid = z.string().uuid();

export const videoJobs = {
  'video.analyze': defineJob<VideoAnalyzePayload, VideoAnalyzeResult>()({
    name: 'video.analyze',
    queue: 'video',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        assetId: uuid,
        analyses: z.array(z.enum(['objects', 'faces', 'moderation', 'ocr', 'phash', 'altText'])).optional(),
        transcribe: z.boolean().optional(),
      })
      .passthrough(),
    options: { attempts: 2, backoffMs: 10_000, timeoutMs: 4 * 3600_000 },
    description:
      'Analyses a video: probe, scene cuts, a keyframe per scene through image analysis, the audio through transcription, chapters, poster, thumbnails track.',
  }),
  'video.clip': defineJob<VideoClipPayload, VideoClipResult>()({
    name: 'video.clip',
    queue: 'video',
    resource: 'cpu',
    sandboxed: true,
    payload: z
      .object({
        assetId: uuid,
        startSec: z.number().min(0),
        endSec: z.number().positive(),
        aspect: z.enum(['9:16', '1:1', '16:9']),
        captions: z.enum(['burned', 'none']),
      })
      .passthrough()
      .refine((p) => p.endSec > p.startSec, { message: 'endSec must be after startSec', path: ['endSec'] }),
    options: { attempts: 2, backoffMs: 10_000, timeoutMs: 60 * 60_000 },
    description:
      'Makes a social clip of a video: cropped to 9:16, 1:1 or 16:9 keeping faces in frame, captions burned in, loudness normalised; MP4 and a WebP preview.',
  }),
};
