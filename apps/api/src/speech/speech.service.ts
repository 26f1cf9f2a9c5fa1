import { checkOutboundUrl, DomainError } from '@media-ai/core';
import { modelRegistry, Prisma, type Job, type TenantDb, type Transcript } from '@media-ai/db';
import type { JobService } from '@media-ai/jobs';
import { applyTranscriptEdit, type EditedSegment, type TranscriptSegment } from '@media-ai/speech';
import { manifestKeys, SPEECH_AREA, SPEECH_LM } from '@media-ai/speech-platform';
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
  durationSec: true,
  jobId: true,
  createdAt: true,
} satisfies Prisma.TranscriptSelect;

export type TranscriptRow = Omit<Transcript, 'segments' | 'editedSegments'> & {
  segments?: Prisma.JsonValue;
  editedSegments?: Prisma.JsonValue;
};

/** The segments downloads, players and searches use: the editor's version when there is one. */
export function currentSegments(row: {
  segments: Prisma.JsonValue;
  editedSegments: Prisma.JsonValue | null;
}): TranscriptSegment[] {
  const json = row.editedSegments ?? row.segments;
  return Array.isArray(json) ? (json as unknown as TranscriptSegment[]) : [];
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
