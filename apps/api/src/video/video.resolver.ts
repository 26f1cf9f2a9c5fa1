import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { MediaAsset, VideoScene } from '@media-ai/db';
import { authed, type Context } from '../common/context.js';
import { PageArgs } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';
import { JobGQL } from '../jobs/job.types.js';
import { MediaAssetConnection, MediaAssetGQL } from '../assets/assets.js';
import { visionLoaders } from '../vision/vision.loaders.js';
import { PersonGQL, VisionAnalysis } from '../vision/vision.types.js';
import { VideoService } from './video.service.js';
import {
  MakeClipInput,
  SearchVideoScenesArgs,
  VideoAnalysisGQL,
  VideoSceneConnection,
  VideoSceneGQL,
} from './video.types.js';

@Resolver(() => VideoAnalysisGQL)
export class VideoResolver {
  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      'Queues video.analyze: scene cuts, a keyframe per scene through image analysis (tags, faces, OCR, moderation), the audio through transcription, chapters, poster and thumbnails track',
  })
  analyzeVideo(
    @Arg('assetId', () => ID) assetId: string,
    @Arg('analyses', () => [VisionAnalysis], {
      nullable: true,
      description: 'Keyframe analyses; default all but PHASH',
    })
    analyses: VisionAnalysis[] | null,
    @Arg('transcribe', () => Boolean, { defaultValue: true }) transcribe: boolean,
    @Ctx() ctx: Context,
  ) {
    return new VideoService(authed(ctx)).analyze(assetId, analyses, transcribe);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      'Queues video.clip: a social clip of an analysed video, cropped to keep faces in frame, captions burned in, loudness normalised (MP4 and a WebP preview)',
  })
  makeClip(@Arg('input', () => MakeClipInput) input: MakeClipInput, @Ctx() ctx: Context) {
    return new VideoService(authed(ctx)).makeClip(input);
  }

  @Authorized(...Roles.any)
  @Query(() => VideoAnalysisGQL, {
    nullable: true,
    description: "A video's analysis; null until analyzeVideo has run",
  })
  videoAnalysis(@Arg('assetId', () => ID) assetId: string, @Ctx() ctx: Context) {
    return new VideoService(authed(ctx)).analysisOf(assetId);
  }

  @Authorized(...Roles.any)
  @Query(() => VideoSceneConnection, {
    description:
      "Scenes of the newsroom's videos by person, on-screen text or object tag, newest video first",
  })
  searchVideoScenes(
    @Args(() => SearchVideoScenesArgs) args: SearchVideoScenesArgs,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return new VideoService(authed(ctx)).searchScenes(args, page);
  }

  @Authorized(...Roles.any)
  @Query(() => MediaAssetConnection, {
    description:
      'Videos with a scene matching every filter (e.g. videos where a person appears), newest first',
  })
  searchVideos(
    @Args(() => SearchVideoScenesArgs) args: SearchVideoScenesArgs,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return new VideoService(authed(ctx)).searchVideos(args, page);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [VideoSceneGQL], { description: 'Scenes in order' })
  scenes(@Root() root: VideoAnalysisGQL, @Ctx() ctx: Context) {
    return new VideoService(authed(ctx)).scenes(root.assetId);
  }
}

@Resolver(() => VideoSceneGQL)
export class VideoSceneResolver {
  @Authorized(...Roles.any)
  @FieldResolver(() => MediaAssetGQL, { description: 'The keyframe image asset (its analysis under vision)' })
  async keyframe(@Root() scene: VideoScene, @Ctx() ctx: Context): Promise<MediaAsset | null> {
    return authed(ctx).loaders.asset.load(scene.keyframeAssetId);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => MediaAssetGQL, { description: 'The video' })
  async video(@Root() scene: VideoScene, @Ctx() ctx: Context): Promise<MediaAsset | null> {
    return authed(ctx).loaders.asset.load(scene.videoAssetId);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [PersonGQL], { description: 'People of the registry recognised on the keyframe' })
  async people(@Root() scene: VideoScene, @Ctx() ctx: Context) {
    const faces = await visionLoaders(authed(ctx)).faces.load(scene.keyframeAssetId);
    const seen = new Map<string, NonNullable<(typeof faces)[number]['person']>>();
    for (const f of faces) if (f.person) seen.set(f.person.id, f.person);
    return [...seen.values()];
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => String, { nullable: true, description: 'Text read on the keyframe' })
  async text(@Root() scene: VideoScene, @Ctx() ctx: Context): Promise<string | null> {
    const ocr = (await visionLoaders(authed(ctx)).analyses.load(scene.keyframeAssetId)).find(
      (a) => a.kind === 'ocr',
    );
    return ocr ? ((ocr.result as { text?: string }).text ?? null) : null;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [String], { description: 'Object tags of the keyframe, most confident first' })
  async tags(@Root() scene: VideoScene, @Ctx() ctx: Context): Promise<string[]> {
    const tags = await visionLoaders(authed(ctx)).tags.load(scene.keyframeAssetId);
    return [...new Set(tags.map((t) => t.label))];
  }
}
