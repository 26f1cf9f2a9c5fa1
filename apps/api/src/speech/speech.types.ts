import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsOptional,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConnectionType } from '../common/pagination.js';

/** Output formats of synthesized audio; the values are what jobs and asset metadata store. */
export enum SpeechAudioFormat {
  MP3 = 'mp3',
  OGG = 'ogg',
  WAV = 'wav',
  OPUS = 'opus',
}
registerEnumType(SpeechAudioFormat, {
  name: 'SpeechAudioFormat',
  description: 'mp3 (default), ogg (Vorbis), wav (PCM) or opus',
});

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;
const LANGUAGE_MESSAGE = 'language must be a BCP-47 code such as "en", "en-US" or "es"';

@ObjectType('WordTiming')
export class WordTimingGQL {
  @Field(() => String) word!: string;
  @Field(() => Float, { description: 'Seconds from the start of the recording' }) start!: number;
  @Field(() => Float) end!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Posterior probability 0..1, where the engine gives one',
  })
  confidence!: number | null;
}

@ObjectType('TranscriptSegment')
export class TranscriptSegmentGQL {
  @Field(() => Int) id!: number;
  @Field(() => Float) start!: number;
  @Field(() => Float) end!: number;
  @Field(() => String) text!: string;
  @Field(() => Float, { nullable: true, description: 'Mean word confidence 0..1' }) confidence!:
    number | null;
  @Field(() => [WordTimingGQL]) words!: WordTimingGQL[];
  @Field(() => String, {
    nullable: true,
    description: 'Id of the speaker ("S1"), one of the transcript\'s speakers; null when not diarized',
  })
  speaker!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Name shown for the speaker ("Speaker 1", an editor\'s name or the matched person\'s)',
  })
  speakerName!: string | null;
}

@ObjectType('TranscriptSpeaker', { description: 'A voice found in the recording' })
export class TranscriptSpeakerGQL {
  @Field(() => String, { description: 'Id its segments carry: "S1", "S2" … in order of first appearance' })
  id!: string;
  @Field(() => String, { description: '"Speaker 1" until renamed or matched to an enrolled voice' })
  name!: string;
  @Field(() => ID, { nullable: true, description: 'The person of the registry this speaker is' })
  personId!: string | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Distance to the enrolled voice that named the speaker (lower is closer); null when named by hand or not matched',
  })
  matchDistance!: number | null;
  @Field(() => Float, { description: 'Seconds of speech' }) seconds!: number;
  @Field(() => Boolean, { description: 'Whether the voice can be enrolled (enrollSpeakerVoice)' })
  hasVoice!: boolean;
}

@ObjectType('VoicePrint', { description: "An enrolled voice: a transcript speaker's voice, as a person's" })
export class VoicePrintGQL {
  @Field(() => ID) id!: string;
  @Field(() => ID) personId!: string;
  @Field(() => ID, { nullable: true }) transcriptId!: string | null;
  @Field(() => String, { nullable: true }) speakerId!: string | null;
  @Field(() => Float, { description: 'Seconds of speech behind the voice' }) seconds!: number;
  @Field(() => String, { description: 'Voice model method; only voices of the same method are compared' })
  method!: string;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

@ObjectType('TranscriptCaptions', { description: 'Download paths (GET with your API key)' })
export class TranscriptCaptionsGQL {
  @Field(() => String, { description: 'SubRip subtitles' }) srt!: string;
  @Field(() => String, { description: 'WebVTT subtitles' }) vtt!: string;
  @Field(() => String, { description: 'Plain text in paragraphs' }) txt!: string;
}

@ObjectType('Transcript')
export class TranscriptGQL {
  @Field(() => ID) id!: string;
  @Field(() => ID) assetId!: string;
  @Field(() => ID, { nullable: true }) contentId!: string | null;
  @Field(() => String) language!: string;
  @Field(() => String, { description: 'Recognition engine, e.g. "pocketsphinx" or "openai"' })
  engine!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Engine version and language model, e.g. "5prealpha/en-us/chunked+speech-lm@3f2a…"',
  })
  engineVersion!: string | null;
  @Field(() => ID, { nullable: true, description: 'The speech-lm model version used, if any' })
  modelVersionId!: string | null;
  @Field(() => Float) durationSec!: number;
  @Field(() => ID, { nullable: true }) jobId!: string | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

export const TranscriptConnection = ConnectionType(TranscriptGQL, 'Transcript');

@InputType({ description: 'A word of a corrected segment with its own timing' })
export class WordTimingInput {
  @Field(() => String)
  @Length(1, 200, { message: 'a word must be 1 to 200 characters' })
  word!: string;
  @Field(() => Float, { description: 'Seconds from the start of the recording' }) start!: number;
  @Field(() => Float) end!: number;
}

@InputType({ description: 'A segment of a corrected transcript' })
export class TranscriptSegmentInput {
  @Field(() => Float, { description: 'Seconds from the start of the recording' }) start!: number;
  @Field(() => Float) end!: number;
  @Field(() => String) text!: string;
  @Field(() => [WordTimingInput], {
    nullable: true,
    description:
      "Word timings; left out, the model's words are kept when text and times are unchanged, else spread over the segment",
  })
  @IsOptional()
  @ArrayMaxSize(2000, { message: 'a segment takes at most 2000 words' })
  @ValidateNested({ each: true })
  words?: WordTimingInput[];

  @Field(() => String, {
    nullable: true,
    description:
      "The speaker's id (one of the transcript's speakers); left out, the speaker of the model's segments it overlaps most",
  })
  @IsOptional()
  @MaxLength(20)
  speaker?: string;
}

@InputType()
export class EditTranscriptInput {
  @Field(() => [TranscriptSegmentInput], {
    description: 'The whole corrected transcript, in order; a segment left out is removed',
  })
  @ArrayMinSize(1, { message: 'segments must list at least one segment' })
  @ArrayMaxSize(10_000, { message: 'segments takes at most 10,000 segments' })
  @ValidateNested({ each: true })
  segments!: TranscriptSegmentInput[];
}

@InputType()
export class TranscribeOptionsInput {
  @Field(() => String, { nullable: true, description: 'Language of the recording; default en-US' })
  @IsOptional()
  @Matches(LANGUAGE, { message: LANGUAGE_MESSAGE })
  language?: string;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Use the newsroom vocabulary (default true: the ACTIVE speech-lm version when there is one). false: the stock model.',
  })
  @IsOptional()
  useVocabulary?: boolean;

  @Field(() => ID, { nullable: true, description: 'A specific speech-lm version, e.g. a CANDIDATE to try' })
  @IsOptional()
  modelVersionId?: string;

  @Field(() => ID, { nullable: true, description: 'The content item the recording belongs to' })
  @IsOptional()
  contentId?: string;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Find who speaks when (default true): speaker turns, named after a person when the voice matches an enrolled one',
  })
  @IsOptional()
  diarize?: boolean;

  @Field(() => String, { nullable: true, description: 'Same key again returns the same job' })
  @IsOptional()
  @MaxLength(200)
  idempotencyKey?: string;

  @Field(() => String, { nullable: true, description: 'Called, signed, when the job ends' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'webhookUrl must be an http(s) URL' })
  webhookUrl?: string;
}

@InputType()
export class SynthesizeInput {
  @Field(() => String, { nullable: true, description: 'Text to read; give this or contentId' })
  @IsOptional()
  @Length(1, 200_000, { message: 'text must be 1 to 200,000 characters; split longer texts' })
  text?: string;

  @Field(() => ID, { nullable: true, description: 'A content item to read: its title, then its body' })
  @IsOptional()
  contentId?: string;

  @Field(() => String, { nullable: true, description: 'A voice id from speechVoices, e.g. "flite/slt"' })
  @IsOptional()
  @MaxLength(100)
  voice?: string;

  @Field(() => String, { nullable: true, description: "Default: the content item's language, else en-US" })
  @IsOptional()
  @Matches(LANGUAGE, { message: LANGUAGE_MESSAGE })
  language?: string;

  @Field(() => SpeechAudioFormat, { nullable: true, defaultValue: SpeechAudioFormat.MP3 })
  @IsOptional()
  @IsIn(Object.values(SpeechAudioFormat), { message: 'format must be MP3, OGG, WAV or OPUS' })
  format?: SpeechAudioFormat;

  @Field(() => String, { nullable: true, description: 'Same key again returns the same job' })
  @IsOptional()
  @MaxLength(200)
  idempotencyKey?: string;
}

@InputType()
export class BuildSpeechVocabularyInput {
  @Field(() => Int, { nullable: true, description: 'Most recent content items to learn from (default 2000)' })
  @IsOptional()
  @Min(1, { message: 'maxArticles must be at least 1' })
  @Max(20_000, { message: 'maxArticles must be at most 20,000' })
  maxArticles?: number;
}

@ObjectType('SpeechVoice')
export class SpeechVoiceGQL {
  @Field(() => String, { description: 'Pass as voice, e.g. "flite/slt", "espeak/es"' }) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'BCP-47 language the voice speaks' }) language!: string;
  @Field(() => String, { nullable: true }) gender!: string | null;
  @Field(() => String) engine!: string;
}

@ObjectType('SpeechVoiceCatalog')
export class SpeechVoiceCatalogGQL {
  @Field(() => String, { description: 'Synthesis engine configured (SPEECH_TTS_ENGINE)' }) engine!: string;
  @Field(() => String) engineVersion!: string;
  @Field(() => [SpeechVoiceGQL]) voices!: SpeechVoiceGQL[];
  @Field(() => [String], { description: 'Languages some voice speaks' }) languages!: string[];
}
