import { DomainError } from '@media-ai/core';
import type { MediaAsset, Prisma, VideoAnalysis } from '@media-ai/db';
import type { AuthedContext } from '../common/context.js';
import { paginate, type PageArgs } from '../common/pagination.js';
import { derivativePath } from '../vision/analysis.resolver.js';
import {
  aspectValue,
  captionsValue,
  type MakeClipInput,
  type SearchVideoScenesArgs,
  type VideoAnalysisGQL,
  type VideoChapterGQL,
} from './video.types.js';
import type { PayloadOf } from '@media-ai/jobs';

type Analyses = PayloadOf<'video.analyze'>['analyses'];

/** Longest clip, seconds (the worker enforces the same). */
export const MAX_CLIP_SEC = 600;

export class VideoService {
  constructor(private readonly ctx: AuthedContext) {}

  private get db() {
    return this.ctx.db;
  }

  /** The asset, which must be a video: anything else is refused before a job is queued. */
  async videoAsset(assetId: string): Promise<MediaAsset> {
    const asset = await this.ctx.loaders.asset.load(assetId);
    if (!asset) throw new DomainError('NOT_FOUND', `Asset ${assetId} was not found`);
    if (asset.kind !== 'video') {
      throw new DomainError(
        'BAD_USER_INPUT',
        `Asset ${assetId} is not a video (it is ${asset.kind}, ${asset.mimeType}); upload an MP4, MOV, WebM or MKV file`,
        { field: 'assetId' },
      );
    }
    return asset;
  }

  async analyze(assetId: string, analyses: Analyses | null, transcribe: boolean) {
    await this.videoAsset(assetId);
    return this.ctx.services.jobs.enqueue(
      this.ctx.client.newsroomId,
      'video.analyze',
      { assetId, ...(analyses?.length ? { analyses: [...new Set(analyses)] } : {}), transcribe },
      { requesterId: this.ctx.client.id, assetId },
    );
  }

  async makeClip(input: MakeClipInput) {
    await this.videoAsset(input.assetId);
    if (!(input.end > input.start)) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'end must be after start (seconds from the start of the video)',
        {
          field: 'input.end',
        },
      );
    }
    if (input.end - input.start > MAX_CLIP_SEC) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `A clip lasts at most ${MAX_CLIP_SEC} s; choose a shorter range`,
        {
          field: 'input.end',
        },
      );
    }
    const analysis = await this.db.videoAnalysis.findUnique({ where: { assetId: input.assetId } });
    if (!analysis) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `Video ${input.assetId} has not been analysed yet: run analyzeVideo first (the clip follows its scenes and transcript)`,
        { field: 'input.assetId' },
      );
    }
    if (input.start >= analysis.durationSec) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `start ${input.start} s is past the end of the video (${analysis.durationSec.toFixed(1)} s)`,
        { field: 'input.start' },
      );
    }
    return this.ctx.services.jobs.enqueue(
      this.ctx.client.newsroomId,
      'video.clip',
      {
        assetId: input.assetId,
        startSec: input.start,
        endSec: Math.min(input.end, analysis.durationSec),
        aspect: aspectValue(input.aspect),
        captions: captionsValue(input.captions),
      },
      { requesterId: this.ctx.client.id, assetId: input.assetId },
    );
  }

  async analysisOf(assetId: string): Promise<VideoAnalysisGQL | null> {
    await this.videoAsset(assetId);
    const row = await this.db.videoAnalysis.findUnique({ where: { assetId } });
    return row ? await toAnalysisGQL(this.db, row) : null;
  }

  scenes(videoAssetId: string) {
    return this.db.videoScene.findMany({ where: { videoAssetId }, orderBy: { index: 'asc' } });
  }

  /** Scenes matching every filter given: a person on the keyframe, words of its on-screen text, an object tag. */
  searchScenes(args: SearchVideoScenesArgs, page: PageArgs) {
    const where = sceneFilter(args);
    return paginate(
      page,
      (q) =>
        this.db.videoScene.findMany({
          where,
          orderBy: [
            { video: { createdAt: 'desc' } },
            { videoAssetId: 'asc' },
            { index: 'asc' },
            { id: 'asc' },
          ],
          ...q,
        }),
      () => this.db.videoScene.count({ where }),
    );
  }

  /** Videos with at least one scene matching every filter given, newest first. */
  searchVideos(args: SearchVideoScenesArgs, page: PageArgs) {
    const where: Prisma.MediaAssetWhereInput = { kind: 'video', videoScenes: { some: sceneFilter(args) } };
    return paginate(
      page,
      (q) => this.db.mediaAsset.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...q }),
      () => this.db.mediaAsset.count({ where }),
    );
  }
}

function sceneFilter(args: SearchVideoScenesArgs): Prisma.VideoSceneWhereInput {
  if (!args.personId && !args.text?.trim() && !args.tag?.trim()) {
    throw new DomainError('BAD_USER_INPUT', 'Give at least one of personId, text or tag to search by');
  }
  const keyframe: Prisma.MediaAssetWhereInput[] = [];
  if (args.personId) keyframe.push({ faces: { some: { personId: args.personId } } });
  if (args.text?.trim()) {
    keyframe.push({
      imageAnalyses: {
        some: {
          kind: 'ocr',
          result: { path: ['text'], string_contains: args.text.trim(), mode: 'insensitive' },
        },
      },
    });
  }
  if (args.tag?.trim())
    keyframe.push({ tags: { some: { label: { equals: args.tag.trim(), mode: 'insensitive' } } } });
  return {
    ...(args.videoAssetId ? { videoAssetId: args.videoAssetId } : {}),
    keyframe: { AND: keyframe },
  };
}

export const thumbnailsVttPath = (assetId: string) => `/v1/assets/${assetId}/thumbnails.vtt`;
export const chaptersVttPath = (assetId: string) => `/v1/assets/${assetId}/chapters.vtt`;

async function toAnalysisGQL(db: AuthedContext['db'], row: VideoAnalysis): Promise<VideoAnalysisGQL> {
  const derivatives = await db.derivative.findMany({
    where: { assetId: row.assetId, kind: { in: ['poster', 'thumbnails'] } },
    select: { kind: true },
  });
  const has = (kind: string) => derivatives.some((d) => d.kind === kind);
  const layout = row.thumbnails as {
    intervalSec: number;
    count: number;
    columns: number;
    tileWidth: number;
    tileHeight: number;
  } | null;
  return {
    assetId: row.assetId,
    durationSec: row.durationSec,
    width: row.width,
    height: row.height,
    rotation: row.rotation,
    fps: row.fps,
    variableFrameRate: row.variableFrameRate,
    hasAudio: row.hasAudio,
    probe: row.probe,
    transcriptId: row.transcriptId,
    chapters: row.chapters as unknown as VideoChapterGQL[],
    posterScene: row.posterScene,
    posterReason: row.posterReason,
    posterPath: has('poster') ? derivativePath(row.assetId, 'poster') : null,
    chaptersVttPath: chaptersVttPath(row.assetId),
    thumbnails:
      layout && has('thumbnails')
        ? {
            ...layout,
            vttPath: thumbnailsVttPath(row.assetId),
            spritePath: derivativePath(row.assetId, 'thumbnails'),
          }
        : null,
    models: row.models as unknown as VideoAnalysisGQL['models'],
    timings: row.timings,
    jobId: row.jobId,
    updatedAt: row.updatedAt,
  };
}
