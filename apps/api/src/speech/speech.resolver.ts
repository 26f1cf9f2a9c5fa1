import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { MediaAsset } from '@media-ai/db';
import { authed, type Context } from '../common/context.js';
import { PageArgs } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';
import { JobGQL } from '../jobs/job.types.js';
import { MediaAssetGQL } from '../assets/assets.js';
import { ContentItemGQL } from '../content/content.types.js';
import { ModelVersionGQL } from '../models/models.js';
import { captionPath } from './captions.js';
import type { TranscriptRow } from '@media-ai/speech-platform';
import { SpeechService } from './speech.service.js';
import {
  BuildSpeechVocabularyInput,
  EditTranscriptInput,
  SpeechVoiceCatalogGQL,
  SynthesizeInput,
  TranscribeOptionsInput,
  TranscriptCaptionsGQL,
  TranscriptConnection,
  TranscriptGQL,
  TranscriptSegmentGQL,
  TranscriptSpeakerGQL,
  VoicePrintGQL,
} from './speech.types.js';
import { PersonGQL } from '../vision/vision.types.js';
import type { TranscriptSegment, TranscriptSpeaker } from '@media-ai/speech';
import { voiceCatalog } from './voices.js';

function service(ctx: Context): SpeechService {
  const { db, client, services } = authed(ctx);
  return new SpeechService(
    { db, newsroomId: client.newsroomId, clientId: client.id },
    services.jobs,
    services.storage,
  );
}

@Resolver(() => TranscriptGQL)
export class SpeechResolver {
  @Authorized(...Roles.any)
  @Query(() => TranscriptConnection, { description: 'Transcripts of your newsroom, newest first' })
  transcripts(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('search', () => String, {
      nullable: true,
      description: 'Words to find in the text (case-insensitive)',
    })
    search: string | undefined,
    @Arg('assetId', () => ID, { nullable: true }) assetId: string | undefined,
    @Arg('contentId', () => ID, { nullable: true }) contentId: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return service(ctx).list(page, { search, assetId, contentId });
  }

  @Authorized(...Roles.any)
  @Query(() => TranscriptGQL)
  transcript(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return service(ctx).get(id);
  }

  @Authorized(...Roles.any)
  @Query(() => SpeechVoiceCatalogGQL, {
    description: 'Voices and languages of the configured speech synthesizer',
  })
  speechVoices() {
    return voiceCatalog();
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, { description: 'Queues a speech.transcribe job for an audio or video asset' })
  transcribe(
    @Arg('assetId', () => ID) assetId: string,
    @Arg('options', () => TranscribeOptionsInput, { nullable: true })
    options: TranscribeOptionsInput | undefined,
    @Ctx() ctx: Context,
  ) {
    return service(ctx).transcribe(assetId, options ?? {});
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description: 'Queues a speech.synthesize job: the audio becomes a new audio asset (see the job result)',
  })
  synthesize(@Arg('input', () => SynthesizeInput) input: SynthesizeInput, @Ctx() ctx: Context) {
    return service(ctx).synthesize(input);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      "Queues a speech.build-vocabulary job: a language model from the newsroom's articles and glossary",
  })
  buildSpeechVocabulary(
    @Arg('input', () => BuildSpeechVocabularyInput, { nullable: true })
    input: BuildSpeechVocabularyInput | undefined,
    @Ctx() ctx: Context,
  ) {
    return service(ctx).buildVocabulary(input ?? {});
  }

  @Authorized(...Roles.editor)
  @Mutation(() => ModelVersionGQL, {
    description: 'Makes a speech-lm version the one transcriptions use; the previous one is retired',
  })
  activateSpeechModel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return service(ctx).activate(id);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => TranscriptGQL, {
    description:
      "Stores an editor's corrected transcript (segments with word timings) as its current version; the model's stays in modelText and modelSegments. Captions and search use the editor's version",
  })
  editTranscript(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => EditTranscriptInput) input: EditTranscriptInput,
    @Ctx() ctx: Context,
  ) {
    return service(ctx).edit(id, input.segments);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => TranscriptGQL, {
    description:
      "Names a speaker of a transcript: a plain name (dropping any person link) or a person of the registry (personId: the speaker takes the person's name). Kept through edits; captions show it",
  })
  renameTranscriptSpeaker(
    @Arg('transcriptId', () => ID) transcriptId: string,
    @Arg('speakerId', () => String, { description: 'The speaker\'s id, e.g. "S1"' }) speakerId: string,
    @Arg('name', () => String, { nullable: true }) name: string | null,
    @Arg('personId', () => ID, { nullable: true }) personId: string | null,
    @Ctx() ctx: Context,
  ) {
    return service(ctx).renameSpeaker(transcriptId, speakerId, name ?? null, personId ?? null);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => VoicePrintGQL, {
    description:
      "Enrols a transcript speaker's voice as a person's (personId, or a new person by name): later transcriptions name speakers with a matching voice after the person. The speaker is linked to the person",
  })
  async enrollSpeakerVoice(
    @Arg('transcriptId', () => ID) transcriptId: string,
    @Arg('speakerId', () => String) speakerId: string,
    @Arg('personId', () => ID, { nullable: true }) personId: string | null,
    @Arg('name', () => String, { nullable: true, description: 'A new person of this name' })
    name: string | null,
    @Ctx() ctx: Context,
  ) {
    return (await service(ctx).enrollVoice(transcriptId, speakerId, personId ?? null, name ?? null))
      .voicePrint;
  }

  @Authorized(...Roles.editor)
  @Mutation(() => Boolean, {
    description: 'Forgets an enrolled voice: later transcriptions stop matching it',
  })
  deleteVoicePrint(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return service(ctx).deleteVoicePrint(id);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => TranscriptGQL, { description: "Drops the editor's version: the model's is current again" })
  revertTranscriptEdit(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return service(ctx).revertEdit(id);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => String, { description: "The transcript's text: the editor's version when edited" })
  text(@Root() row: TranscriptRow): string {
    return row.editedText ?? row.text;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => String, { description: 'The text as the model recognised it' })
  modelText(@Root() row: TranscriptRow): string {
    return row.text;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => Boolean, { description: 'Whether an editor corrected it' })
  edited(@Root() row: TranscriptRow): boolean {
    return row.editedAt !== null;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => GraphQLDateTime, { nullable: true })
  editedAt(@Root() row: TranscriptRow): Date | null {
    return row.editedAt;
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [TranscriptSegmentGQL], {
    description: "Segments with word timings: the editor's version when edited",
  })
  async segments(@Root() row: TranscriptRow, @Ctx() ctx: Context) {
    const speakers = await service(ctx).speakers(row);
    return withSpeakerNames(
      (await service(ctx).segments(row, true)) ?? (await service(ctx).segments(row, false))!,
      speakers,
    );
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [TranscriptSegmentGQL], { description: "The model's segments, for comparison" })
  async modelSegments(@Root() row: TranscriptRow, @Ctx() ctx: Context) {
    return withSpeakerNames((await service(ctx).segments(row, false))!, await service(ctx).speakers(row));
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => [TranscriptSpeakerGQL], {
    description: 'Voices found in the recording, in order of first appearance (empty when not diarized)',
  })
  async speakers(@Root() row: TranscriptRow, @Ctx() ctx: Context): Promise<TranscriptSpeakerGQL[]> {
    return (await service(ctx).speakers(row)).map((s) => ({
      id: s.id,
      name: s.name,
      personId: s.personId,
      matchDistance: s.matchDistance,
      seconds: s.seconds,
      hasVoice: s.voice !== null,
    }));
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => TranscriptCaptionsGQL)
  captions(@Root() row: TranscriptRow): TranscriptCaptionsGQL {
    return {
      srt: captionPath(row.id, 'srt'),
      vtt: captionPath(row.id, 'vtt'),
      txt: captionPath(row.id, 'txt'),
    };
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => MediaAssetGQL, { nullable: true })
  asset(@Root() row: TranscriptRow, @Ctx() ctx: Context) {
    return authed(ctx).loaders.asset.load(row.assetId);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => ContentItemGQL, { nullable: true })
  content(@Root() row: TranscriptRow, @Ctx() ctx: Context) {
    return row.contentId ? authed(ctx).loaders.content.load(row.contentId) : null;
  }
}

@Resolver(() => TranscriptSpeakerGQL)
export class TranscriptSpeakerResolver {
  @Authorized(...Roles.any)
  @FieldResolver(() => PersonGQL, { nullable: true })
  person(@Root() speaker: TranscriptSpeakerGQL, @Ctx() ctx: Context) {
    return speaker.personId ? authed(ctx).db.person.findUnique({ where: { id: speaker.personId } }) : null;
  }
}

@Resolver(() => VoicePrintGQL)
export class VoicePrintResolver {
  @Authorized(...Roles.any)
  @FieldResolver(() => PersonGQL)
  person(@Root() print: VoicePrintGQL, @Ctx() ctx: Context) {
    return authed(ctx).db.person.findUnique({ where: { id: print.personId } });
  }
}

@Resolver(() => PersonGQL)
export class PersonVoiceResolver {
  @Authorized(...Roles.any)
  @FieldResolver(() => [VoicePrintGQL], {
    description: 'Enrolled voices of the person, newest first (at most 100)',
  })
  voicePrints(@Root() person: PersonGQL, @Ctx() ctx: Context) {
    return service(ctx).voicePrints(person.id);
  }
}

function withSpeakerNames(
  segments: TranscriptSegment[],
  speakers: TranscriptSpeaker[],
): TranscriptSegmentGQL[] {
  const names = new Map(speakers.map((s) => [s.id, s.name]));
  return segments.map((s) => ({
    ...s,
    speaker: s.speaker ?? null,
    speakerName: s.speaker ? (names.get(s.speaker) ?? s.speaker) : null,
  }));
}

@Resolver(() => MediaAssetGQL)
export class MediaAssetSpeechResolver {
  @Authorized(...Roles.any)
  @FieldResolver(() => [TranscriptGQL], {
    description: 'Transcripts of this recording, newest first (at most 20)',
  })
  transcripts(@Root() asset: MediaAsset, @Ctx() ctx: Context) {
    return service(ctx).forAsset(asset.id);
  }
}
