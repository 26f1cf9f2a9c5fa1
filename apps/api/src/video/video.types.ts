import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional, MaxLength, Min } from 'class-validator';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';
import type { PayloadOf } from '@media-ai/jobs';
import { MediaAssetGQL } from '../assets/assets.js';
import { ConnectionType } from '../common/pagination.js';
import { ModelRefGQL, PersonGQL } from '../vision/vision.types.js';

type AspectValue = PayloadOf<'video.clip'>['aspect'];
type CaptionsValue = PayloadOf<'video.clip'>['captions'];

export enum ClipAspect {
  VERTICAL_9_16 = '9:16',
  SQUARE_1_1 = '1:1',
  WIDE_16_9 = '16:9',
}
registerEnumType(ClipAspect, { name: 'ClipAspect', description: 'Frame shape of a social clip' });
export const aspectValue = (a: ClipAspect): AspectValue => a as AspectValue;

export enum ClipCaptions {
  BURNED = 'burned',
  NONE = 'none',
}
registerEnumType(ClipCaptions, {
  name: 'ClipCaptions',
  description: 'BURNED draws the transcript into the picture',
});
export const captionsValue = (c: ClipCaptions): CaptionsValue => c as CaptionsValue;

@InputType()
export class MakeClipInput {
  @Field(() => ID) assetId!: string;
  @Field(() => Float, { description: 'Seconds from the start of the video' })
  @Min(0, { message: 'start must be 0 or more seconds' })
  start!: number;
  @Field(() => Float, { description: 'Seconds from the start of the video; after start' }) end!: number;
  @Field(() => ClipAspect, { defaultValue: ClipAspect.VERTICAL_9_16 }) aspect!: ClipAspect;
  @Field(() => ClipCaptions, { defaultValue: ClipCaptions.BURNED }) captions!: ClipCaptions;
}

@ObjectType('VideoChapter')
export class VideoChapterGQL {
  @Field(() => Int) index!: number;
  @Field(() => Float) startSec!: number;
  @Field(() => Float) endSec!: number;
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'transcript, on-screen text or position' }) titleFrom!: string;
  @Field(() => Int) firstScene!: number;
  @Field(() => Int) lastScene!: number;
}

@ObjectType('VideoScene', { description: 'A shot between two cuts, with its analysed keyframe' })
export class VideoSceneGQL {
  @Field(() => ID) id!: string;
  @Field(() => ID) videoAssetId!: string;
  @Field(() => Int) index!: number;
  @Field(() => Float) startSec!: number;
  @Field(() => Float) endSec!: number;
  @Field(() => Float, { description: 'Frame difference at the cut that opened it, 0 to 1' })
  cutScore!: number;
  @Field(() => ID, { description: 'The keyframe, an image asset with its own analysis (MediaAsset.vision)' })
  keyframeAssetId!: string;
  @Field(() => Float) keyframeSec!: number;
  @Field(() => Float, { description: 'Variance of the Laplacian at 480 px wide' }) sharpness!: number;
}
export const VideoSceneConnection = ConnectionType(VideoSceneGQL, 'VideoScene');

@ObjectType('VideoThumbnails')
export class VideoThumbnailsGQL {
  @Field(() => String, { description: 'WebVTT thumbnails track for players' }) vttPath!: string;
  @Field(() => String, { description: 'The sprite sheet (JPEG)' }) spritePath!: string;
  @Field(() => Int) intervalSec!: number;
  @Field(() => Int) count!: number;
  @Field(() => Int) columns!: number;
  @Field(() => Int) tileWidth!: number;
  @Field(() => Int) tileHeight!: number;
}

@ObjectType('VideoAnalysis')
export class VideoAnalysisGQL {
  @Field(() => ID) assetId!: string;
  @Field(() => Float) durationSec!: number;
  @Field(() => Int, { description: 'Upright width' }) width!: number;
  @Field(() => Int) height!: number;
  @Field(() => Int, { description: 'Degrees the stored frames are turned for display' }) rotation!: number;
  @Field(() => Float) fps!: number;
  @Field(() => Boolean) variableFrameRate!: boolean;
  @Field(() => Boolean) hasAudio!: boolean;
  @Field(() => GraphQLJSON, { description: 'Container, codecs, bit rate, stored frame size' })
  probe!: unknown;
  @Field(() => ID, { nullable: true, description: 'The transcript of the audio track (Transcript)' })
  transcriptId!: string | null;
  @Field(() => [VideoChapterGQL]) chapters!: VideoChapterGQL[];
  @Field(() => Int, { nullable: true, description: 'Scene whose keyframe is the poster' }) posterScene!:
    number | null;
  @Field(() => String, { nullable: true }) posterReason!: string | null;
  @Field(() => String, { nullable: true, description: 'Download path of the poster (JPEG)' }) posterPath!:
    string | null;
  @Field(() => String, { description: 'WebVTT chapters track' }) chaptersVttPath!: string;
  @Field(() => VideoThumbnailsGQL, { nullable: true }) thumbnails!: VideoThumbnailsGQL | null;
  @Field(() => [ModelRefGQL], { description: 'Models the keyframes went through' }) models!: ModelRefGQL[];
  @Field(() => GraphQLJSON, { description: 'Milliseconds per stage' }) timings!: unknown;
  @Field(() => ID, { nullable: true }) jobId!: string | null;
  @Field(() => GraphQLDateTime) updatedAt!: Date;
}

@ArgsType()
export class SearchVideoScenesArgs {
  @Field(() => ID, { nullable: true, description: 'Scenes where this person of the registry appears' })
  @IsOptional()
  personId?: string | null;

  @Field(() => String, { nullable: true, description: 'Scenes whose on-screen text contains these words' })
  @IsOptional()
  @MaxLength(200, { message: 'text must be at most 200 characters' })
  text?: string | null;

  @Field(() => String, { nullable: true, description: 'Scenes with this object tag (e.g. car)' })
  @IsOptional()
  @MaxLength(64, { message: 'tag must be at most 64 characters' })
  tag?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only scenes of this video' })
  @IsOptional()
  videoAssetId?: string | null;
}

export { MediaAssetGQL, PersonGQL };
