import { checkOutboundUrl } from '@media-ai/core';
import type { Job, TenantDb, Transcript } from '@media-ai/db';
import type { JobService } from '@media-ai/jobs';
import type { EditedSegment, TranscriptSegment } from '@media-ai/speech';
import {
  activateSpeechModel,
  checkSynthesizeRequest,
  checkTranscribeRequest,
  editTranscript,
  findTranscript,
  revertTranscriptEdit,
  TRANSCRIPT_LIST_SELECT,
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
