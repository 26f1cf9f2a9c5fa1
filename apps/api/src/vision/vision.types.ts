import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsOptional,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ReviewStatus } from '@media-ai/db';
import type { PayloadOf } from '@media-ai/jobs';
import type { ModerationClass } from '@media-ai/vision';
import { ConnectionType } from '../common/pagination.js';
import { JobGQL } from '../jobs/job.types.js';
import { MediaAssetGQL } from '../assets/assets.js';

type AnalysisValue = NonNullable<PayloadOf<'vision.analyze'>['analyses']>[number];
type DerivativeKindValue = PayloadOf<'vision.derivatives'>['kinds'][number];
type DenoiseValue = NonNullable<PayloadOf<'vision.enhance'>['denoise']>;

export enum VisionAnalysis {
  OBJECTS = 'objects',
  FACES = 'faces',
  MODERATION = 'moderation',
  OCR = 'ocr',
  PHASH = 'phash',
  ALT_TEXT = 'altText',
}
registerEnumType(VisionAnalysis, {
  name: 'VisionAnalysis',
  description: 'ALT_TEXT also runs OBJECTS, FACES and OCR, which it is composed from',
});

export enum ObjectQuality {
  FAST = 'fast',
  ACCURATE = 'accurate',
}
registerEnumType(ObjectQuality, {
  name: 'ObjectQuality',
  description:
    'FAST: the detector once on the whole image. ACCURATE: flipped, centre and tiled views with calibrated per-class thresholds (higher recall, about 7x the time)',
});

export enum DerivativeKind {
  THUMBNAIL = 'thumbnail',
  CROP_1X1 = 'crop-1x1',
  CROP_4X5 = 'crop-4x5',
  CROP_16X9 = 'crop-16x9',
  WEBP = 'webp',
  AVIF = 'avif',
  JPEG = 'jpeg',
  PNG = 'png',
}
registerEnumType(DerivativeKind, {
  name: 'DerivativeKind',
  description:
    'THUMBNAIL fits 256x256 (WebP); CROP_* keep faces and objects in frame (JPEG); the rest convert the format',
});

export enum DenoiseLevel {
  NONE = 'none',
  LIGHT = 'light',
  STRONG = 'strong',
}
registerEnumType(DenoiseLevel, { name: 'DenoiseLevel' });

export enum FaceVerdict {
  CONFIRMED = 'confirmed',
  REJECTED = 'rejected',
}
registerEnumType(FaceVerdict, {
  name: 'FaceVerdict',
  description: 'CONFIRMED: the face is this person. REJECTED: it is not, and must never match them again',
});

export enum ModerationAction {
  APPROVE = 'APPROVE',
  REMOVE = 'REMOVE',
}
registerEnumType(ModerationAction, { name: 'ModerationAction' });
registerEnumType(ReviewStatus, { name: 'ReviewStatus' });

// Every enum value must be a value the job payloads accept.
VisionAnalysis satisfies Record<string, AnalysisValue>;
DerivativeKind satisfies Record<string, DerivativeKindValue>;
DenoiseLevel satisfies Record<string, DenoiseValue>;

export const MODERATION_CLASS_NAMES = [
  'Drawing',
  'Hentai',
  'Neutral',
  'Porn',
  'Sexy',
] as const satisfies readonly ModerationClass[];

@ObjectType('ModelRef', { description: 'The model (or algorithm) that produced a result' })
export class ModelRefGQL {
  @Field(() => String) name!: string;
  @Field(() => String) version!: string;
}

@ObjectType('ImageBox', { description: 'A rectangle in pixels of the upright original image' })
export class ImageBoxGQL {
  @Field(() => Int) x!: number;
  @Field(() => Int) y!: number;
  @Field(() => Int) width!: number;
  @Field(() => Int) height!: number;
}

@ObjectType('ImageTag')
export class ImageTagGQL {
  @Field(() => String, { description: 'A COCO object class, e.g. dog, person, car' }) label!: string;
  @Field(() => Float, { description: '0 to 1' }) confidence!: number;
  @Field(() => ImageBoxGQL, { nullable: true }) box!: ImageBoxGQL | null;
  @Field(() => String, { description: 'The analysis that produced it (objects)' }) source!: string;
}

@ObjectType('TagCount', { description: 'One label of an image with how often it was found' })
export class TagCountGQL {
  @Field(() => String) label!: string;
  @Field(() => Int, { description: 'How many times it was found (boxes)' }) count!: number;
  @Field(() => Float, { description: 'Best confidence, 0 to 1' }) maxConfidence!: number;
  @Field(() => Int, { description: 'How many of them reach minConfidence' }) confidentCount!: number;
  @Field(() => Boolean, { description: 'True when none reaches minConfidence: fold it away' })
  lowConfidence!: boolean;
}

@ObjectType('OcrLine')
export class OcrLineGQL {
  @Field(() => String) text!: string;
  @Field(() => Float, { description: '0 to 100' }) confidence!: number;
  @Field(() => ImageBoxGQL, { nullable: true }) box!: ImageBoxGQL | null;
  @Field(() => Boolean, { description: 'Below the confidence asked for: likely noise' })
  lowConfidence!: boolean;
}

@ObjectType('Person')
export class PersonGQL {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime) updatedAt!: Date;
}

export const PersonConnection = ConnectionType(PersonGQL, 'Person');

@ObjectType('Face')
export class FaceGQL {
  @Field(() => ID) id!: string;
  @Field(() => ID) assetId!: string;
  @Field(() => ImageBoxGQL) box!: ImageBoxGQL;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: '68 points {x, y} (jaw, brows, nose, eyes, mouth)',
  })
  landmarks!: unknown;
  @Field(() => Float, { nullable: true, description: 'Estimated age in years' }) age!: number | null;
  @Field(() => String, { nullable: true }) gender!: string | null;
  @Field(() => String, { nullable: true }) expression!: string | null;
  @Field(() => Float) detectionScore!: number;
  @Field(() => PersonGQL, { nullable: true, description: 'Who the face is, when known' })
  person!: PersonGQL | null;
  @Field(() => String, {
    nullable: true,
    description:
      'How the person was set: match (automatic), confirmed (an editor), enrolled (from enrolment photos)',
  })
  assignment!: string | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Descriptor distance of an automatic match (below 0.6)',
  })
  matchDistance!: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'The cluster of an unknown face; name it with nameFaceCluster',
  })
  clusterId!: string | null;
  @Field(() => Boolean, { description: 'An editor said this detection is not a face (markNotAFace)' })
  notAFace!: boolean;
  @Field(() => String, { description: 'Model that found the face, name@version' }) model!: string;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

export const FaceConnection = ConnectionType(FaceGQL, 'Face');

@ObjectType('FaceCluster', { description: 'Unknown faces that look like one person' })
export class FaceClusterGQL {
  @Field(() => ID) id!: string;
  @Field(() => Int) size!: number;
  @Field(() => [FaceGQL], { description: 'Up to 12 of its faces' }) faces!: FaceGQL[];
}

export const FaceClusterConnection = ConnectionType(FaceClusterGQL, 'FaceCluster');

@ObjectType('ModerationReview')
export class ModerationReviewGQL {
  @Field(() => ID) assetId!: string;
  @Field(() => String, { description: 'allow, flag or block, from the newsroom policy' }) decision!: string;
  @Field(() => GraphQLJSON, { description: 'Score per class: Drawing, Hentai, Neutral, Porn, Sexy' })
  scores!: unknown;
  @Field(() => GraphQLJSON, { description: 'Thresholds crossed: [{className, score, threshold, action}]' })
  reasons!: unknown;
  @Field(() => ReviewStatus, {
    description: 'PENDING until an editor approves (ACCEPTED) or removes (REJECTED)',
  })
  status!: ReviewStatus;
  @Field(() => ID, { nullable: true }) reviewedById!: string | null;
  @Field(() => GraphQLDateTime, { nullable: true }) reviewedAt!: Date | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

export const ModerationReviewConnection = ConnectionType(ModerationReviewGQL, 'ModerationReview');

@ObjectType('OcrText')
export class OcrTextGQL {
  @Field(() => String) text!: string;
  @Field(() => Float, { description: 'Mean word confidence, 0 to 100' }) confidence!: number;
  @Field(() => GraphQLJSON, { description: 'Lines [{text, confidence, box}]' }) lines!: unknown;
  @Field(() => [OcrLineGQL], { description: 'The lines, each flagged when below the confidence asked for' })
  textLines!: OcrLineGQL[];
  @Field(() => String, { description: 'The text of the confident lines only' }) confidentText!: string;
  @Field(() => ModelRefGQL) model!: ModelRefGQL;
}

@ObjectType('Derivative', {
  description: 'A file made from an asset: thumbnail, crop, conversion, enhancement',
})
export class DerivativeGQL {
  @Field(() => ID) id!: string;
  @Field(() => String, {
    description: 'thumbnail, crop-1x1, crop-4x5, crop-16x9, webp, avif, jpeg, png, enhanced-2x, enhanced',
  })
  kind!: string;
  @Field(() => String) mimeType!: string;
  @Field(() => Int) width!: number;
  @Field(() => Int) height!: number;
  @Field(() => Int) sizeBytes!: number;
  @Field(() => String, { description: 'GET with your API key to download the file' }) downloadPath!: string;
  @Field(() => ModelRefGQL, { nullable: true, description: 'The model behind the file (super-resolution)' })
  model!: ModelRefGQL | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

@ObjectType('AnalysisRun', {
  description: 'The latest result of one analysis of an asset and the model that made it',
})
export class AnalysisRunGQL {
  @Field(() => String) kind!: string;
  @Field(() => ModelRefGQL) model!: ModelRefGQL;
  @Field(() => ID, { nullable: true }) jobId!: string | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

/** Resolved field by field (see vision/loaders.ts); the root carries only what the asset row has. */
@ObjectType('AssetVision', { description: 'What the vision models found in an image asset' })
export class AssetVisionGQL {
  @Field(() => ID) assetId!: string;
  @Field(() => String, { nullable: true, description: '64-bit DCT perceptual hash (16 hex characters)' })
  perceptualHash!: string | null;
  /** The editor's alt text (MediaAsset.altText), resolved by the altText fields. */
  editedAltText?: string | null;
}

@ObjectType('SimilarImage')
export class SimilarImageGQL {
  @Field(() => ID) id!: string;
  @Field(() => MediaAssetGQL) asset!: MediaAssetGQL;
  @Field(() => Int, {
    description: 'Differing bits of the perceptual hashes (0 to 64); edited copies are a few apart',
  })
  distance!: number;
  @Field(() => String) perceptualHash!: string;
}

export const SimilarImageConnection = ConnectionType(SimilarImageGQL, 'SimilarImage');

@ObjectType('PersonEnrolment')
export class PersonEnrolmentGQL {
  @Field(() => PersonGQL) person!: PersonGQL;
  @Field(() => JobGQL, { description: 'The vision.enrol job that finds the faces in the photos' })
  job!: JobGQL;
}

@ObjectType('PersonErasure')
export class PersonErasureGQL {
  @Field(() => Int, { description: 'Faces deleted with their descriptors' }) facesDeleted!: number;
  @Field(() => JobGQL, {
    description:
      'The vision.erase-faces job rewriting stored analyses, alt texts, job results and queue entries without them',
  })
  erasureJob!: JobGQL;
}

@ObjectType('ModerationThreshold')
export class ModerationThresholdGQL {
  @Field(() => String) className!: string;
  @Field(() => Float, { nullable: true, description: 'Send to review from this score' }) flag!: number | null;
  @Field(() => Float, { nullable: true, description: 'Block from this score' }) block!: number | null;
}

@ObjectType('ModerationPolicy')
export class ModerationPolicyGQL {
  @Field(() => [ModerationThresholdGQL]) thresholds!: ModerationThresholdGQL[];
  @Field(() => Boolean, { description: 'True when the newsroom has not set its own' }) isDefault!: boolean;
}

@InputType()
export class ModerationThresholdInput {
  @Field(() => String, { description: 'Drawing, Hentai, Neutral, Porn or Sexy' })
  @IsIn(MODERATION_CLASS_NAMES, { message: `className must be one of ${MODERATION_CLASS_NAMES.join(', ')}` })
  className!: string;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @Min(0, { message: 'flag must be between 0 and 1' })
  @Max(1, { message: 'flag must be between 0 and 1' })
  flag?: number | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @Min(0, { message: 'block must be between 0 and 1' })
  @Max(1, { message: 'block must be between 0 and 1' })
  block?: number | null;
}

export const MAX_ENROL_PHOTOS = 20;

@InputType()
export class EnrolPersonInput {
  @Field(() => String, {
    nullable: true,
    description: 'Creates a new person with this name (or give personId)',
  })
  @IsOptional()
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name?: string | null;

  @Field(() => ID, { nullable: true, description: 'Adds photos to an existing person (or give name)' })
  @IsOptional()
  @IsUUID('all', { message: 'personId must be a person id' })
  personId?: string | null;

  @Field(() => [ID], { description: 'Image assets showing the person (one face per photo is taken)' })
  @ArrayMinSize(1, { message: 'give at least one photo in assetIds' })
  @ArrayMaxSize(MAX_ENROL_PHOTOS, { message: `give at most ${MAX_ENROL_PHOTOS} photos per enrolment` })
  @IsUUID('all', { each: true, message: 'each of assetIds must be an asset id' })
  assetIds!: string[];
}

@ArgsType()
export class SearchAssetsArgs {
  @Field(() => String, { nullable: true, description: 'An object tag, e.g. "dog"' })
  @IsOptional()
  @MaxLength(100, { message: 'tag must be at most 100 characters' })
  tag?: string | null;

  @Field(() => ID, { nullable: true, description: 'Images in which this person was recognised' })
  @IsOptional()
  @IsUUID('all', { message: 'personId must be a person id' })
  personId?: string | null;

  @Field(() => String, { nullable: true, description: 'Words to find in the OCR text or the alt text' })
  @IsOptional()
  @Length(2, 200, { message: 'text must be 2 to 200 characters' })
  text?: string | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Include images an editor removed in moderation',
  })
  includeRemoved: boolean = false;
}

@InputType()
export class FaceFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'personId must be a person id' })
  personId?: string | null;
  @Field(() => ID, { nullable: true }) @IsOptional() clusterId?: string | null;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'assetId must be an asset id' })
  assetId?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'True: only detections an editor marked "not a face" (default: only faces)',
  })
  notAFace?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Only faces not known to be anyone' }) unassigned?:
    boolean | null;
}
