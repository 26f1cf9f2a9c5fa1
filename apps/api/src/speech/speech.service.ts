import { checkOutboundUrl, DomainError } from '@media-ai/core';
import {
  modelRegistry,
  Prisma,
  type Job,
  type Person,
  type TenantDb,
  type Transcript,
  type VoicePrint,
} from '@media-ai/db';
import type { JobService } from '@media-ai/jobs';
import {
  applyTranscriptEdit,
  defaultSpeakerName,
  MAX_SPEAKER_NAME,
  readSpeakers,
  type EditedSegment,
  type TranscriptSegment,
  type TranscriptSpeaker,
} from '@media-ai/speech';
import { manifestKeys, SPEECH_AREA, SPEECH_LM, transcriptLockKey } from '@media-ai/speech-platform';
import type { Storage } from '@media-ai/storage';
import { paginate, type Connection, type PageArgs } from '../common/pagination.js';
import type { BuildSpeechVocabularyInput, SynthesizeInput, TranscribeOptionsInput } from './speech.types.js';
import { recognitionEngine, voiceCatalog } from './voices.js';

/** Listings leave the segments (word timings of the whole recording) out; `segments` loads them on demand. */
const listSelect = {
  id: true,
  newsroomId: true,
  assetId: true,
  contentId: true,
  language: true,
  engine: true,
  engineVersion: true,
  modelVersionId: true,
  text: true,
  editedText: true,
  editedAt: true,
  editedById: true,
  speakers: true,
  durationSec: true,
  jobId: true,
  createdAt: true,
} satisfies Prisma.TranscriptSelect;

export type TranscriptRow = Omit<Transcript, 'segments' | 'editedSegments' | 'speakers'> & {
  segments?: Prisma.JsonValue;
  editedSegments?: Prisma.JsonValue;
  speakers?: Prisma.JsonValue;
};

/** The segments downloads, players and searches use: the editor's version when there is one. */
export function currentSegments(row: {
  segments: Prisma.JsonValue;
  editedSegments: Prisma.JsonValue | null;
}): TranscriptSegment[] {
  const json = row.editedSegments ?? row.segments;
  return Array.isArray(json) ? (json as unknown as TranscriptSegment[]) : [];
}

/**
 * Transcript speakers linked to a person follow the registry: to another person when two are merged, back
 * to "Speaker N" when the person is erased (their enrolled voices go with the person row).
 */
export async function relinkTranscriptSpeakers(
  db: TenantDb,
  personId: string,
  to: { id: string; name: string } | null,
): Promise<number> {
  const rows = await db.transcript.findMany({
    where: { speakers: { array_contains: [{ personId }] } },
    select: { id: true, speakers: true },
  });
  for (const row of rows) {
    const speakers = readSpeakers(row.speakers).map((s) =>
      s.personId !== personId
        ? s
        : to
          ? { ...s, personId: to.id, name: to.name }
          : { ...s, personId: null, name: defaultSpeakerName(s.id), matchDistance: null },
    );
    await db.transcript.update({
      where: { id: row.id },
      data: { speakers: speakers as unknown as Prisma.InputJsonValue },
    });
  }
  return rows.length;
}

export interface TranscriptFilter {
  search?: string;
  assetId?: string;
  contentId?: string;
}

interface Caller {
  db: TenantDb;
  newsroomId: string;
  clientId: string;
}

/** Transcripts, transcription and synthesis requests, and the newsroom vocabulary's versions. */
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
    if (f.search && f.search.length > 200) {
      throw new DomainError('BAD_USER_INPUT', 'search must be at most 200 characters');
    }
    const where: Prisma.TranscriptWhereInput = {
      // The editor's text, where there is one, is the transcript's text.
      ...(f.search
        ? {
            OR: [
              { editedText: { contains: f.search, mode: 'insensitive' } },
              { editedText: null, text: { contains: f.search, mode: 'insensitive' } },
            ],
          }
        : {}),
      ...(f.assetId ? { assetId: f.assetId } : {}),
      ...(f.contentId ? { contentId: f.contentId } : {}),
    };
    return paginate(
      page,
      (q) =>
        this.db.transcript.findMany({
          where,
          select: listSelect,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          ...q,
        }),
      () => this.db.transcript.count({ where }),
    );
  }

  async get(id: string): Promise<Transcript> {
    const row = await this.db.transcript.findUnique({ where: { id } });
    if (!row) throw new DomainError('NOT_FOUND', `Transcript ${id} was not found`);
    return row;
  }

  forAsset(assetId: string): Promise<TranscriptRow[]> {
    return this.db.transcript.findMany({
      where: { assetId },
      select: listSelect,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 20,
    });
  }

  /** The model's segments (`edited` false) or the editor's version, loaded when a listing left them out. */
  async segments(row: TranscriptRow, edited: boolean): Promise<TranscriptSegment[] | null> {
    if (edited && !row.editedAt) return null;
    const key = edited ? 'editedSegments' : 'segments';
    const json =
      row[key] !== undefined
        ? row[key]
        : (await this.db.transcript.findUnique({ where: { id: row.id }, select: { [key]: true } }))?.[key];
    return Array.isArray(json) ? (json as unknown as TranscriptSegment[]) : [];
  }

  /**
   * Stores an editor's corrected segments as the transcript's current version; the model's stay for
   * comparison. Captions, listings and search use the editor's version from now on.
   */
  async edit(id: string, edits: EditedSegment[]): Promise<Transcript> {
    const row = await this.get(id);
    const known = new Set(readSpeakers(row.speakers).map((s) => s.id));
    for (const [i, e] of edits.entries()) {
      if (e.speaker && !known.has(e.speaker)) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `segments[${i}].speaker "${e.speaker}" is not a speaker of this transcript${known.size ? ` (${[...known].join(', ')})` : ' (it has none)'}`,
        );
      }
    }
    const corrected = applyTranscriptEdit(
      Array.isArray(row.segments) ? (row.segments as unknown as TranscriptSegment[]) : [],
      edits,
      row.durationSec,
    );
    return this.db.transcript.update({
      where: { id },
      data: {
        editedText: corrected.text,
        editedSegments: corrected.segments as unknown as Prisma.InputJsonValue,
        editedAt: new Date(),
        editedById: this.caller.clientId,
      },
    });
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
  async revertEdit(id: string): Promise<Transcript> {
    await this.get(id);
    return this.db.transcript.update({
      where: { id },
      data: { editedText: null, editedSegments: Prisma.DbNull, editedAt: null, editedById: null },
    });
  }

  async transcribe(assetId: string, options: TranscribeOptionsInput = {}): Promise<Job> {
    const asset = await this.db.mediaAsset.findUnique({ where: { id: assetId } });
    if (!asset) throw new DomainError('NOT_FOUND', `Asset ${assetId} was not found`);
    if (asset.kind !== 'audio' && asset.kind !== 'video') {
      throw new DomainError(
        'BAD_USER_INPUT',
        `Asset ${assetId} is ${article(asset.kind)} ${asset.kind} (${asset.mimeType}); transcribe takes audio or video assets`,
      );
    }
    if (options.contentId) await this.requireContent(options.contentId);
    if (options.modelVersionId) {
      const version = await this.speechModel(options.modelVersionId);
      if (version.status === 'FAILED' || version.status === 'TRAINING') {
        throw new DomainError(
          'BAD_USER_INPUT',
          `${SPEECH_LM} v${version.version} is ${version.status.toLowerCase()}; choose a CANDIDATE, ACTIVE or RETIRED version`,
        );
      }
    } else if (options.useVocabulary === true && recognitionEngine() === 'pocketsphinx') {
      const active = await this.db.modelVersion.count({
        where: { area: SPEECH_AREA, name: SPEECH_LM, status: 'ACTIVE' },
      });
      if (!active) {
        throw new DomainError(
          'BAD_USER_INPUT',
          'This newsroom has no active speech vocabulary: build one with buildSpeechVocabulary, or leave useVocabulary unset',
        );
      }
    }
    if (options.webhookUrl) await checkOutboundUrl(options.webhookUrl, 'webhookUrl');
    return this.jobs.enqueue(
      this.caller.newsroomId,
      'speech.transcribe',
      {
        assetId,
        ...(options.language ? { language: options.language } : {}),
        ...(options.useVocabulary !== undefined && options.useVocabulary !== null
          ? { useVocabulary: options.useVocabulary }
          : {}),
        ...(options.modelVersionId ? { modelVersionId: options.modelVersionId } : {}),
        ...(options.contentId ? { contentId: options.contentId } : {}),
        ...(options.diarize === false ? { diarize: false } : {}),
      },
      {
        requesterId: this.caller.clientId,
        assetId,
        contentId: options.contentId ?? null,
        idempotencyKey: options.idempotencyKey ?? null,
        webhookUrl: options.webhookUrl ?? null,
      },
    );
  }

  async synthesize(input: SynthesizeInput): Promise<Job> {
    const hasText = typeof input.text === 'string' && input.text.length > 0;
    if (hasText === Boolean(input.contentId)) {
      throw new DomainError('BAD_USER_INPUT', 'Give either text or contentId (one of them, not both)');
    }
    if (hasText && !/\p{L}|\p{N}/u.test(input.text!)) {
      throw new DomainError('BAD_USER_INPUT', 'text has no words to read');
    }
    if (input.contentId) {
      const item = await this.requireContent(input.contentId);
      if (!item.title.trim() && !item.body.trim()) {
        throw new DomainError('BAD_USER_INPUT', `Content item ${item.id} has no title or body to read`);
      }
    }
    if (input.voice) {
      const { voices } = await voiceCatalog();
      if (voices.length > 0 && !voices.some((v) => v.id === input.voice)) {
        const examples = voices
          .slice(0, 5)
          .map((v) => v.id)
          .join(', ');
        throw new DomainError(
          'BAD_USER_INPUT',
          `Unknown voice "${input.voice}"; speechVoices lists the ${voices.length} choices (e.g. ${examples})`,
        );
      }
    }
    return this.jobs.enqueue(
      this.caller.newsroomId,
      'speech.synthesize',
      {
        ...(hasText ? { text: input.text } : { contentId: input.contentId }),
        ...(input.voice ? { voice: input.voice } : {}),
        ...(input.language ? { language: input.language } : {}),
        format: input.format ?? 'mp3',
      },
      {
        requesterId: this.caller.clientId,
        contentId: input.contentId ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
      },
    );
  }

  buildVocabulary(input: BuildSpeechVocabularyInput = {}): Promise<Job> {
    return this.jobs.enqueue(
      this.caller.newsroomId,
      'speech.build-vocabulary',
      input.maxArticles ? { maxArticles: input.maxArticles } : {},
      { requesterId: this.caller.clientId },
    );
  }

  /**
   * Makes a speech-lm version the one transcriptions use (the registry retires the previous one in
   * the same transaction). Activating a RETIRED version rolls back to it.
   */
  async activate(id: string) {
    const version = await this.speechModel(id);
    return modelRegistry(this.db, this.caller.newsroomId).activate(SPEECH_AREA, id, {
      check: async () => {
        const keys = manifestKeys(version.artifact);
        if (keys.length === 0) {
          throw new DomainError(
            'CONFLICT',
            `${SPEECH_LM} v${version.version} has no model files recorded; build the vocabulary again`,
          );
        }
        for (const key of keys) {
          if (!(await this.storage.exists(key))) {
            throw new DomainError(
              'CONFLICT',
              `The files of ${SPEECH_LM} v${version.version} are missing from storage (${key}); build the vocabulary again`,
            );
          }
        }
      },
    });
  }

  private async speechModel(id: string) {
    const version = await this.db.modelVersion.findFirst({
      where: { id, area: SPEECH_AREA, name: SPEECH_LM },
    });
    if (!version) {
      throw new DomainError(
        'NOT_FOUND',
        `Speech vocabulary version ${id} was not found; modelVersions(filter: {area: "speech"}) lists them`,
      );
    }
    return version;
  }

  private async requireContent(id: string) {
    const item = await this.db.contentItem.findUnique({ where: { id } });
    if (!item) throw new DomainError('NOT_FOUND', `Content item ${id} was not found`);
    return item;
  }
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
