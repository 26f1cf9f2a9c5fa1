import { checkOutboundUrl, DomainError } from '@media-ai/core';
import { Prisma, type Job, type Person, type TenantDb, type Transcript, type VoicePrint } from '@media-ai/db';
import type { JobService } from '@media-ai/jobs';
import {
  MAX_SPEAKER_NAME,
  readSpeakers,
  type EditedSegment,
  type TranscriptSegment,
  type TranscriptSpeaker,
} from '@media-ai/speech';
import {
  activateSpeechModel,
  checkSynthesizeRequest,
  checkTranscribeRequest,
  editTranscript,
  findTranscript,
  revertTranscriptEdit,
  TRANSCRIPT_LIST_SELECT,
  transcriptLockKey,
  transcriptSegments,
  transcriptWhere,
  type TranscriptFilter,
  type TranscriptRow,
} from '@media-ai/speech-platform';
import type { Storage } from '@media-ai/storage';
import { paginate, type Connection, type PageArgs } from '../common/pagination.js';
import type { BuildSpeechVocabularyInput, SynthesizeInput, TranscribeOptionsInput } from './speech.types.js';
import { recognitionEngine, voiceCatalog } from './voices.js';

interface Caller {
  db: TenantDb;
  newsroomId: string;
  clientId: string;
}

/**
 * Transcripts, transcription and synthesis requests, and the newsroom vocabulary's versions, for one
 * caller; the checks and the stored shapes are packages/speech-platform's.
 */
export class SpeechService {
  constructor(
    private readonly caller: Caller,
    private readonly jobs: JobService,
    private readonly storage: Storage,
  ) {}

  private get db(): TenantDb {
    return this.caller.db;
  }

  list(page: PageArgs, f: TranscriptFilter): Promise<Connection<TranscriptRow>> {
    const where = transcriptWhere(f);
    return paginate(
      page,
      (q) =>
        this.db.transcript.findMany({
          where,
          select: TRANSCRIPT_LIST_SELECT,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          ...q,
        }),
      () => this.db.transcript.count({ where }),
    );
  }

  get(id: string): Promise<Transcript> {
    return findTranscript(this.db, id);
  }

  forAsset(assetId: string): Promise<TranscriptRow[]> {
    return this.db.transcript.findMany({
      where: { assetId },
      select: TRANSCRIPT_LIST_SELECT,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 20,
    });
  }

  /** The model's segments (`edited` false) or the editor's version, loaded when a listing left them out. */
  segments(row: TranscriptRow, edited: boolean): Promise<TranscriptSegment[] | null> {
    return transcriptSegments(this.db, row, edited);
  }

  /** Stores an editor's corrected segments as the transcript's current version. */
  edit(id: string, edits: EditedSegment[]): Promise<Transcript> {
    return editTranscript(this.db, id, edits, this.caller.clientId);
  }

  /**
   * Names a speaker of a transcript: a plain name (the person link, if any, is dropped: the speaker is
   * not who the match said) or a person of the registry (the speaker takes their name). The name is
   * kept through edits and shown in captions.
   */
  async renameSpeaker(
    id: string,
    speakerId: string,
    name: string | null,
    personId: string | null,
  ): Promise<Transcript> {
    if ((name === null) === (personId === null)) {
      throw new DomainError('BAD_USER_INPUT', 'Give either name or personId (one of them, not both)');
    }
    let label: string;
    if (personId) label = (await this.person(personId)).name;
    else {
      label = name!.replace(/\s+/g, ' ').trim();
      if (label.length < 1 || label.length > MAX_SPEAKER_NAME)
        throw new DomainError('BAD_USER_INPUT', `name must be 1 to ${MAX_SPEAKER_NAME} characters`);
    }
    return this.updateSpeaker(id, speakerId, (s) => ({
      ...s,
      name: label,
      personId,
      matchDistance: null,
    }));
  }

  /**
   * Enrols a transcript speaker's voice as a person's (an existing person, or a new one by name): later
   * transcriptions name matching speakers after the person. The speaker is linked to the person here too.
   * Enrolling the same speaker again replaces its voice print.
   */
  async enrollVoice(
    id: string,
    speakerId: string,
    personId: string | null,
    name: string | null,
  ): Promise<{ voicePrint: VoicePrint; person: Person }> {
    if ((name === null) === (personId === null)) {
      throw new DomainError(
        'BAD_USER_INPUT',
        'Give either personId (an existing person) or name (a new person), not both',
      );
    }
    const row = await this.get(id);
    const speaker = readSpeakers(row.speakers).find((s) => s.id === speakerId);
    if (!speaker) throw this.noSpeaker(row, speakerId);
    if (!speaker.voice) {
      throw new DomainError(
        'CONFLICT',
        `Speaker ${speakerId} of transcript ${id} has no stored voice; transcribe the recording again`,
      );
    }
    let person: Person;
    if (personId) person = await this.person(personId);
    else {
      const clean = name!.replace(/\s+/g, ' ').trim();
      if (clean.length < 1 || clean.length > 200)
        throw new DomainError('BAD_USER_INPUT', 'name must be 1 to 200 characters');
      person = await this.db.person.create({ data: { name: clean } });
    }
    const data = {
      personId: person.id,
      method: speaker.voice.method,
      voice: speaker.voice as unknown as Prisma.InputJsonValue,
      seconds: speaker.voice.seconds,
    };
    const existing = await this.db.voicePrint.findFirst({ where: { transcriptId: id, speakerId } });
    const voicePrint = existing
      ? await this.db.voicePrint.update({ where: { id: existing.id }, data })
      : await this.db.voicePrint.create({ data: { ...data, transcriptId: id, speakerId } });
    await this.updateSpeaker(id, speakerId, (s) => ({
      ...s,
      name: person.name,
      personId: person.id,
      matchDistance: null,
    }));
    return { voicePrint, person };
  }

  /** Forgets an enrolled voice: later transcriptions stop matching it (transcripts already named keep their names). */
  async deleteVoicePrint(id: string): Promise<boolean> {
    const { count } = await this.db.voicePrint.deleteMany({ where: { id } });
    if (!count) throw new DomainError('NOT_FOUND', `Voice print ${id} was not found`);
    return true;
  }

  voicePrints(personId: string): Promise<VoicePrint[]> {
    return this.db.voicePrint.findMany({ where: { personId }, orderBy: { createdAt: 'desc' }, take: 100 });
  }

  /** The stored speakers, loaded when a listing left them out. */
  async speakers(row: TranscriptRow): Promise<TranscriptSpeaker[]> {
    const json =
      row.speakers !== undefined
        ? row.speakers
        : (await this.db.transcript.findUnique({ where: { id: row.id }, select: { speakers: true } }))
            ?.speakers;
    return readSpeakers(json);
  }

  private async updateSpeaker(
    id: string,
    speakerId: string,
    change: (s: TranscriptSpeaker) => TranscriptSpeaker,
  ): Promise<Transcript> {
    return this.db.$transaction(async (tx) => {
      // The same lock as the transcription job's, so a re-transcription and a rename never interleave.
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${transcriptLockKey(id)}))`;
      const row = await tx.transcript.findUnique({ where: { id } });
      if (!row) throw new DomainError('NOT_FOUND', `Transcript ${id} was not found`);
      const speakers = readSpeakers(row.speakers);
      const at = speakers.findIndex((s) => s.id === speakerId);
      if (at < 0) throw this.noSpeaker(row, speakerId);
      speakers[at] = change(speakers[at]!);
      return tx.transcript.update({
        where: { id },
        data: { speakers: speakers as unknown as Prisma.InputJsonValue },
      });
    });
  }

  private noSpeaker(row: Transcript, speakerId: string): DomainError {
    const ids = readSpeakers(row.speakers).map((s) => s.id);
    return new DomainError(
      'NOT_FOUND',
      ids.length
        ? `Transcript ${row.id} has no speaker "${speakerId}"; its speakers are ${ids.join(', ')}`
        : `Transcript ${row.id} has no speakers; transcribe the recording with diarize: true`,
    );
  }

  private async person(id: string): Promise<Person> {
    const person = await this.db.person.findUnique({ where: { id } });
    if (!person) throw new DomainError('NOT_FOUND', `Person ${id} was not found`);
    return person;
  }

  /** Drops the editor's version: the model's is the transcript again. */
  revertEdit(id: string): Promise<Transcript> {
    return revertTranscriptEdit(this.db, id);
  }

  async transcribe(assetId: string, options: TranscribeOptionsInput = {}): Promise<Job> {
    const payload = await checkTranscribeRequest(this.db, assetId, options, recognitionEngine());
    if (options.webhookUrl) await checkOutboundUrl(options.webhookUrl, 'webhookUrl');
    return this.jobs.enqueue(this.caller.newsroomId, 'speech.transcribe', payload, {
      requesterId: this.caller.clientId,
      assetId,
      contentId: options.contentId ?? null,
      idempotencyKey: options.idempotencyKey ?? null,
      webhookUrl: options.webhookUrl ?? null,
    });
  }

  async synthesize(input: SynthesizeInput): Promise<Job> {
    const payload = await checkSynthesizeRequest(this.db, input, async () =>
      (await voiceCatalog()).voices.map((v) => v.id),
    );
    return this.jobs.enqueue(this.caller.newsroomId, 'speech.synthesize', payload, {
      requesterId: this.caller.clientId,
      contentId: input.contentId ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
    });
  }

  buildVocabulary(input: BuildSpeechVocabularyInput = {}): Promise<Job> {
    return this.jobs.enqueue(
      this.caller.newsroomId,
      'speech.build-vocabulary',
      input.maxArticles ? { maxArticles: input.maxArticles } : {},
      { requesterId: this.caller.clientId },
    );
  }

  /** Makes a speech-lm version the one transcriptions use; activating a RETIRED version rolls back to it. */
  activate(id: string) {
    return activateSpeechModel(this.db, this.caller.newsroomId, this.storage, id);
  }
}
