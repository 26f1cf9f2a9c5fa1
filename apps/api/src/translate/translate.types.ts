import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, MaxLength, MinLength } from 'class-validator';
import { MemoryOrigin } from '@media-ai/db';
import { ConnectionType } from '../common/pagination.js';

export enum TranslationFormat {
  TEXT = 'text',
  HTML = 'html',
  MARKDOWN = 'markdown',
}
registerEnumType(TranslationFormat, {
  name: 'TranslationFormat',
  description: 'How the text is written: its markup is kept',
});
registerEnumType(MemoryOrigin, {
  name: 'TranslationMemoryOrigin',
  description: 'HUMAN: an editor’s correction; MACHINE: engine output',
});

export enum SentenceOrigin {
  MEMORY_HUMAN = 'memory-human',
  MEMORY_FUZZY = 'memory-fuzzy',
  MEMORY_MACHINE = 'memory-machine',
  ENGINE = 'engine',
  UNTRANSLATED = 'untranslated',
}
registerEnumType(SentenceOrigin, { name: 'TranslatedSentenceOrigin' });

/** Longest text `translate` takes; longer texts go through translateContent (a job). */
export const MAX_SYNC_CHARS = 5_000;
/** Longest text `detectLanguage` takes. */
export const MAX_DETECT_CHARS = 100_000;
/** Most texts in one translateBatch, and their total length. */
export const MAX_BATCH_TEXTS = 100;
export const MAX_BATCH_CHARS = 50_000;
/** Most texts in one detectLanguageBatch; their total length is at most MAX_DETECT_CHARS. */
export const MAX_DETECT_BATCH = 1_000;
/** Most target languages in one translateContent. */
export const MAX_TARGETS = 20;

@ObjectType('DetectedLanguage')
export class DetectedLanguageGQL {
  @Field(() => String, { description: 'ISO 639-1 where the language has one, else ISO 639-3' }) code!: string;
  @Field(() => String, { nullable: true }) iso1!: string | null;
  @Field(() => String) iso3!: string;
  @Field(() => String) name!: string;
  @Field(() => Float, { description: '0 to 1' }) confidence!: number;
}

@ObjectType('LanguageDetection')
export class LanguageDetectionGQL extends DetectedLanguageGQL {
  @Field(() => Boolean, { description: 'Good enough to act on without a person checking' })
  reliable!: boolean;
  @Field(() => [DetectedLanguageGQL], { description: 'Next candidates, best first' })
  alternatives!: DetectedLanguageGQL[];
  @Field(() => String, { description: 'The models that answered, e.g. fasttext-lid.176+cld3' })
  model!: string;
}

@ObjectType('TranslationStats')
export class TranslationStatsGQL {
  @Field(() => Int, { description: 'Paragraphs, headings, cells, alt texts ... translated' })
  segments!: number;
  @Field(() => Int) sentences!: number;
  @Field(() => Int, { description: 'Sentences taken from the translation memory' }) memoryHits!: number;
  @Field(() => Int, { description: 'Of which editors’ corrections' }) humanMemoryHits!: number;
  @Field(() => Int, {
    description:
      'Of which editors’ corrections of a nearly identical sentence (fuzzy matches, TRANSLATE_FUZZY_MATCH)',
  })
  fuzzyMemoryHits!: number;
  @Field(() => Int, { description: 'Sentences the engine translated' }) engineSentences!: number;
  @Field(() => Int) engineCharacters!: number;
  @Field(() => Int, { description: 'Glossary terms given their required translation' })
  glossaryApplied!: number;
  @Field(() => Int, { description: 'Do-not-translate terms kept as they are' })
  doNotTranslateApplied!: number;
  @Field(() => Int, {
    description: 'Sentences whose markup the engine broke, translated again piece by piece',
  })
  fallbackSentences!: number;
  @Field(() => Int) durationMs!: number;
}

@ObjectType('TranslatedSentence')
export class TranslatedSentenceGQL {
  @Field(() => String, { description: 'The source sentence as the memory keys it (markup as ⟦n⟧)' })
  source!: string;
  @Field(() => String) target!: string;
  @Field(() => SentenceOrigin) origin!: SentenceOrigin;
  @Field(() => Float, {
    nullable: true,
    description:
      'How closely the memory entry used matched: 1 exact; below 1 an editor’s correction of a nearly identical sentence (memory-fuzzy), its words carried over; null when the engine translated',
  })
  matchScore!: number | null;
  @Field(() => String, { nullable: true, description: 'memory-fuzzy: the stored sentence that matched' })
  matchedSource!: string | null;
}

@ObjectType('TextTranslation')
export class TextTranslationGQL {
  @Field(() => String) text!: string;
  @Field(() => String, { description: 'Source language (identified when from was "auto")' }) from!: string;
  @Field(() => String) to!: string;
  @Field(() => TranslationFormat) format!: TranslationFormat;
  @Field(() => String, { description: 'Engine identity, e.g. apertium' }) engine!: string;
  @Field(() => String, { nullable: true, description: 'Configured provider that translated' }) provider!:
    string | null;
  @Field(() => [String], { description: 'Languages the text went through, e.g. ["pt", "es", "en"]' })
  route!: string[];
  @Field(() => [String], { nullable: true, description: 'Pivot languages; null when translated directly' })
  pivot!: string[] | null;
  @Field(() => TranslationStatsGQL) stats!: TranslationStatsGQL;
  @Field(() => [TranslatedSentenceGQL], { description: 'Per sentence, for review and correctTranslation' })
  sentences!: TranslatedSentenceGQL[];
  @Field(() => [String], { description: 'Problems handled on the way (broken HTML ...)' })
  warnings!: string[];
  @Field(() => LanguageDetectionGQL, { nullable: true, description: 'Set when from was "auto"' })
  detected!: LanguageDetectionGQL | null;
}

@ObjectType('TranslationLanguage')
export class TranslationLanguageGQL {
  @Field(() => String) code!: string;
  @Field(() => String) iso3!: string;
  @Field(() => String) name!: string;
  @Field(() => Boolean, { description: 'Some configured provider translates from it' }) asSource!: boolean;
  @Field(() => Boolean, { description: 'Some configured provider translates into it' }) asTarget!: boolean;
}

@ObjectType('TranslationPair')
export class TranslationPairGQL {
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => String) fromName!: string;
  @Field(() => String) toName!: string;
  @Field(() => [String], { description: 'Pivot languages the text goes through; empty when direct' })
  via!: string[];
  @Field(() => Boolean) pivot!: boolean;
  @Field(() => String, { description: 'Configured provider that translates the pair' }) provider!: string;
  @Field(() => String, { description: 'Its engine identity' }) engine!: string;
}

@ObjectType('TranslationMemoryEntry')
export class TranslationMemoryEntryGQL {
  @Field(() => ID) id!: string;
  @Field(() => String) sourceLanguage!: string;
  @Field(() => String) targetLanguage!: string;
  @Field(() => String, { description: 'Source sentence (markup as ⟦n⟧)' }) source!: string;
  @Field(() => String) target!: string;
  @Field(() => MemoryOrigin) origin!: MemoryOrigin;
  @Field(() => String, { nullable: true, description: 'Engine of a machine entry' }) engine!: string | null;
  @Field(() => Int, { description: 'Times it was reused' }) hits!: number;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime) updatedAt!: Date;
}

export const TranslationMemoryConnection = ConnectionType(
  TranslationMemoryEntryGQL,
  'TranslationMemoryEntry',
);

const LANGUAGE_MESSAGE = 'must be a language code such as "en", "pt-BR" or "cat"';

@ArgsType()
export class DetectLanguageArgs {
  @Field(() => String)
  @MaxLength(MAX_DETECT_CHARS, {
    message: `text must be at most ${MAX_DETECT_CHARS.toLocaleString('en')} characters`,
  })
  text!: string;
}

@ArgsType()
export class TranslateArgs {
  @Field(() => String, {
    description: `At most ${MAX_SYNC_CHARS.toLocaleString('en')} characters; longer texts: translateContent`,
  })
  text!: string;
  @Field(() => String, { defaultValue: 'auto', description: 'Source language, or "auto" to identify it' })
  @Length(2, 20, { message: `from ${LANGUAGE_MESSAGE}, or "auto"` })
  from!: string;
  @Field(() => String) @Length(2, 20, { message: `to ${LANGUAGE_MESSAGE}` }) to!: string;
  @Field(() => TranslationFormat, { defaultValue: TranslationFormat.TEXT }) format!: TranslationFormat;
}

@ArgsType()
export class DetectLanguageBatchArgs {
  @Field(() => [String], {
    description: `At most ${MAX_DETECT_BATCH.toLocaleString('en')} texts, ${MAX_DETECT_CHARS.toLocaleString('en')} characters in all`,
  })
  @ArrayMinSize(1, { message: 'texts must list at least one text' })
  @ArrayMaxSize(MAX_DETECT_BATCH, {
    message: `texts takes at most ${MAX_DETECT_BATCH.toLocaleString('en')} texts per call; split the list`,
  })
  texts!: string[];
}

@ArgsType()
export class TranslateBatchArgs {
  @Field(() => [String], {
    description:
      `Texts (headlines, fields, paragraphs) translated as one piece of work, answered in the same order: at most ` +
      `${MAX_BATCH_TEXTS} texts, each at most ${MAX_SYNC_CHARS.toLocaleString('en')} characters, ${MAX_BATCH_CHARS.toLocaleString('en')} in all`,
  })
  @ArrayMinSize(1, { message: 'texts must list at least one text' })
  @ArrayMaxSize(MAX_BATCH_TEXTS, {
    message: `texts takes at most ${MAX_BATCH_TEXTS} texts per call; split the list or use translateContent`,
  })
  texts!: string[];
  @Field(() => String, {
    defaultValue: 'auto',
    description: 'Source language, or "auto" to identify it text by text',
  })
  @Length(2, 20, { message: `from ${LANGUAGE_MESSAGE}, or "auto"` })
  from!: string;
  @Field(() => String) @Length(2, 20, { message: `to ${LANGUAGE_MESSAGE}` }) to!: string;
  @Field(() => TranslationFormat, { defaultValue: TranslationFormat.TEXT }) format!: TranslationFormat;
}

@ArgsType()
export class TranslateContentArgs {
  @Field(() => ID) contentId!: string;
  @Field(() => [String], { description: 'Languages to translate into, e.g. ["es", "ca"]' })
  @ArrayMinSize(1, { message: 'targetLanguages needs at least one language, e.g. ["es"]' })
  @ArrayMaxSize(MAX_TARGETS, { message: `targetLanguages takes at most ${MAX_TARGETS} languages per job` })
  @Length(2, 20, { each: true, message: `each of targetLanguages ${LANGUAGE_MESSAGE}` })
  targetLanguages!: string[];
  @Field(() => TranslationFormat, {
    nullable: true,
    description: 'Format of the body; default: guessed from it',
  })
  format?: TranslationFormat | null;
  @Field(() => String, {
    nullable: true,
    description: "Default: the item's language, else identified from its text",
  })
  @IsOptional()
  @Length(2, 20, { message: `sourceLanguage ${LANGUAGE_MESSAGE}` })
  sourceLanguage?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'Propose each translation for review (a TRANSLATION generated item beside the original) instead of writing it; accepting the item writes the translated content item',
  })
  review?: boolean;
}

@ArgsType()
export class CorrectTranslationArgs {
  @Field(() => String)
  @Length(2, 20, { message: `sourceLanguage ${LANGUAGE_MESSAGE}` })
  sourceLanguage!: string;
  @Field(() => String)
  @Length(2, 20, { message: `targetLanguage ${LANGUAGE_MESSAGE}` })
  targetLanguage!: string;
  @Field(() => String, {
    description: 'The source sentence(s), as translated (markup as ⟦n⟧, as in TextTranslation.sentences)',
  })
  @MinLength(1, { message: 'source must not be empty' })
  @MaxLength(MAX_SYNC_CHARS, {
    message: `source must be at most ${MAX_SYNC_CHARS.toLocaleString('en')} characters`,
  })
  source!: string;
  @Field(() => String, { description: 'The correct translation: it wins over machine output from now on' })
  @MinLength(1, { message: 'target must not be empty' })
  @MaxLength(MAX_SYNC_CHARS, {
    message: `target must be at most ${MAX_SYNC_CHARS.toLocaleString('en')} characters`,
  })
  target!: string;
}

@InputType()
export class TranslationMemoryFilter {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(2, 20) sourceLanguage?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(2, 20) targetLanguage?: string;
  @Field(() => MemoryOrigin, { nullable: true }) origin?: MemoryOrigin;
  @Field(() => String, { nullable: true, description: 'Words to find in the source or target' })
  @IsOptional()
  @MaxLength(200)
  search?: string;
}

@ArgsType()
export class TranslationPairsArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(2, 20) from?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(2, 20) to?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) provider?: string;
}
