import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsOptional,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';
import { ConnectionType } from '../common/pagination.js';

export enum CardFormatGQL {
  OG = 'og',
  SQUARE = 'square',
  PORTRAIT = 'portrait',
  STORY = 'story',
}
registerEnumType(CardFormatGQL, {
  name: 'CardFormat',
  description: 'OG 1200×630 (link previews), SQUARE 1080×1080, PORTRAIT 1080×1350, STORY 1080×1920',
});

export enum ChartKindGQL {
  BAR = 'bar',
  COLUMN = 'column',
  LINE = 'line',
}
registerEnumType(ChartKindGQL, { name: 'ChartKind', description: 'BAR is horizontal, COLUMN vertical' });

export enum GraphicTypeGQL {
  CARD = 'card',
  CHART = 'chart',
  IMAGE = 'image',
}
registerEnumType(GraphicTypeGQL, { name: 'GraphicType' });

@InputType()
export class MakeSocialCardsInput {
  @Field(() => String)
  @Length(1, 300, { message: 'headline must be 1 to 300 characters' })
  headline!: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(400, { message: 'quote must be at most 400 characters' })
  quote?: string | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(120, { message: 'byline must be at most 120 characters' })
  byline?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: "The article's photo; its analysed faces and objects steer the crop",
  })
  photoAssetId?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'The article: its headline and photo are used when not given',
  })
  contentId?: string | null;
  @Field(() => [CardFormatGQL], {
    defaultValue: [CardFormatGQL.OG, CardFormatGQL.SQUARE, CardFormatGQL.STORY],
  })
  @ArrayMinSize(1, { message: 'choose at least one format' })
  formats!: CardFormatGQL[];
}

@InputType()
export class ChartTableInput {
  @Field(() => [String], { description: 'Header: the label column, then the columns of numbers' })
  @ArrayMinSize(2, { message: 'table.columns needs a label column and at least one column of numbers' })
  @ArrayMaxSize(9, { message: 'table.columns: at most 9 columns' })
  columns!: string[];
  @Field(() => GraphQLJSON, {
    description: 'Rows of cells (strings, numbers or null), as many cells as columns',
  })
  rows!: unknown;
}

@InputType()
export class MakeChartInput {
  @Field(() => ChartKindGQL) kind!: ChartKindGQL;
  @Field(() => String)
  @Length(1, 200, { message: 'title must be 1 to 200 characters' })
  title!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(300) subtitle?: string | null;
  @Field(() => String, { description: 'Where the numbers come from; drawn as "Source: …"' })
  @Length(1, 200, { message: 'source must say where the numbers come from (1 to 200 characters)' })
  source!: string;
  @Field(() => String, { nullable: true, description: 'Written after each number: %, €m, goals …' })
  @IsOptional()
  @MaxLength(20)
  unit?: string | null;
  @Field(() => String, { nullable: true, description: 'Number format (BCP 47), default en' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, {
    message: 'locale is a language tag such as en, de or pt-BR',
  })
  locale?: string | null;
  @Field(() => Int, { nullable: true, defaultValue: 1200 }) @Min(320) @Max(2400) width?: number | null;
  @Field(() => Int, { nullable: true, defaultValue: 675 }) @Min(240) @Max(2400) height?: number | null;
  @Field(() => ChartTableInput, {
    nullable: true,
    description: 'The numbers as a table (or use draftItemId / data)',
  })
  table?: ChartTableInput | null;
  @Field(() => String, { nullable: true, description: 'Table column with the labels (default the first)' })
  labelColumn?: string | null;
  @Field(() => [String], {
    nullable: true,
    description: 'Table columns to draw (default all but the label column)',
  })
  valueColumns?: string[] | null;
  @Field(() => ID, {
    nullable: true,
    description: 'A data-to-text draft (generated item) whose input data to chart; needs mapping',
  })
  draftItemId?: string | null;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'JSON data to chart, as a draft template takes it; needs mapping',
  })
  data?: unknown;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      'How to read data: {items: "scorers", label: "player", values: [{field: "minute", name: "Minute"}]} or {fields: [{path: "revenue", label: "Revenue"}], seriesName: "Q3"}',
  })
  mapping?: unknown;
}

@InputType()
export class GenerateImageInput {
  @Field(() => String)
  @Length(1, 4000, { message: 'prompt must be 1 to 4,000 characters' })
  prompt!: string;
  @Field(() => String, {
    nullable: true,
    description: 'WIDTHxHEIGHT as the image server accepts, e.g. 1024x1024',
  })
  @IsOptional()
  @Matches(/^\d{2,4}x\d{2,4}$/, { message: 'size is WIDTHxHEIGHT, e.g. 1024x1024' })
  size?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(20) quality?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(20) style?: string | null;
}

@ObjectType('GeneratedGraphic', { description: 'A social card, chart or generated image, with what made it' })
export class GeneratedGraphicGQL {
  @Field(() => ID) id!: string;
  @Field(() => ID) assetId!: string;
  @Field(() => GraphicTypeGQL) type!: GraphicTypeGQL;
  @Field(() => String, { description: 'Card format, chart kind or image size' }) variant!: string;
  @Field(() => GraphQLJSON, { description: 'The job payload that made it: regenerateGraphic runs it again' })
  inputs!: unknown;
  @Field(() => GraphQLJSON, {
    description: 'Brand template, fonts and versions, layout (cards), description (charts)',
  })
  render!: unknown;
  @Field(() => Boolean, { description: 'Made by a generative model' }) aiGenerated!: boolean;
  @Field(() => String, {
    nullable: true,
    description: '"AI-generated" for generated images: show it with the image',
  })
  label!: string | null;
  @Field(() => String, { nullable: true, description: "The chart's description with its traced numbers" })
  altText!: string | null;
  @Field(() => String, { description: 'GET with your API key' }) contentPath!: string;
  @Field(() => String, { nullable: true, description: 'The chart as SVG (GET with your API key)' })
  svgPath!: string | null;
  @Field(() => String, { nullable: true, description: 'Moderation of a generated image: allow or flag' })
  moderation!: string | null;
  @Field(() => ID, { nullable: true }) regeneratedFrom!: string | null;
  @Field(() => ID, { nullable: true }) jobId!: string | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime) updatedAt!: Date;
}

export const GeneratedGraphicConnection = ConnectionType(GeneratedGraphicGQL, 'GeneratedGraphic');

@ObjectType('BrandTemplate', { description: "The newsroom's look for cards and charts" })
export class BrandTemplateGQL {
  @Field(() => String) headlineFont!: string;
  @Field(() => String) textFont!: string;
  @Field(() => String) textColor!: string;
  @Field(() => String) accentColor!: string;
  @Field(() => String) backgroundColor!: string;
  @Field(() => Float) shadeOpacity!: number;
  @Field(() => Boolean) uppercaseHeadline!: boolean;
  @Field(() => String) logoPosition!: string;
  @Field(() => [String]) palette!: string[];
  @Field(() => ID, { nullable: true, description: 'An image asset (PNG or SVG)' }) logoAssetId!:
    string | null;
  @Field(() => Boolean, { description: 'No template was set: the default' }) isDefault!: boolean;
}

@InputType({ description: 'Fields left out keep their value' })
export class BrandTemplateInput {
  @Field(() => String, { nullable: true }) headlineFont?: string | null;
  @Field(() => String, { nullable: true }) textFont?: string | null;
  @Field(() => String, { nullable: true }) textColor?: string | null;
  @Field(() => String, { nullable: true }) accentColor?: string | null;
  @Field(() => String, { nullable: true }) backgroundColor?: string | null;
  @Field(() => Float, { nullable: true }) shadeOpacity?: number | null;
  @Field(() => Boolean, { nullable: true }) uppercaseHeadline?: boolean | null;
  @Field(() => String, { nullable: true, description: 'top-left or top-right' }) logoPosition?: string | null;
  @Field(() => [String], { nullable: true }) palette?: string[] | null;
  @Field(() => ID, { nullable: true, description: 'An uploaded PNG or SVG; set clearLogo to remove it' })
  logoAssetId?: string | null;
  @Field(() => Boolean, { nullable: true }) clearLogo?: boolean | null;
}

@ObjectType('CardFormatInfo')
export class CardFormatInfoGQL {
  @Field(() => CardFormatGQL) format!: CardFormatGQL;
  @Field(() => Int) width!: number;
  @Field(() => Int) height!: number;
  @Field(() => String) use!: string;
}

@ObjectType('GraphicsOptions', { description: 'What the graphics jobs offer here' })
export class GraphicsOptionsGQL {
  @Field(() => [CardFormatInfoGQL]) cardFormats!: CardFormatInfoGQL[];
  @Field(() => [String], { description: 'Font families a brand template may use' }) fonts!: string[];
  @Field(() => String, { description: 'Scripts cards and charts can set' }) scripts!: string;
  @Field(() => String, {
    nullable: true,
    description: 'The image model, null when no image server is configured',
  })
  imageModel!: string | null;
}
