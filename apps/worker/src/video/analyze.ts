import { rm } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { derivativeContentPath, storeMediaAsset, type Prisma } from '@media-ai/db';
import { progressRange, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import { ANALYSES } from '@media-ai/vision';
import {
  analyzeVideoStructure,
  buildChapters,
  chaptersVtt,
  choosePoster,
  thumbnailsVtt,
  type ChapterSpeech,
  type SceneWithKeyframe,
} from '@media-ai/video';
import { getStorage, workerConfig } from '../lib/deps.js';
import { runAnalyze } from '../vision/analyze.js';
import { derivedKey, upsertDerivative } from '@media-ai/vision-platform';
import { runTranscribe } from '../speech/transcribe.js';
import { asJobError, loadVideoAsset, withLocalCopy } from './source.js';

type Payload = PayloadOf<'video.analyze'>;
type Result = ResultOf<'video.analyze'>;
type ModelRef = Result['models'][number];
type VisionAnalysis = NonNullable<Payload['analyses']>[number];

/** Keyframe analyses by default: everything but the perceptual hash, which matters for photo archives. */
const DEFAULT_ANALYSES: VisionAnalysis[] = ANALYSES.filter((a) => a !== 'phash') as VisionAnalysis[];

/** Derivative kinds of a video asset. */
export const POSTER_KIND = 'poster';
export const THUMBNAILS_KIND = 'thumbnails';
/** The WebVTT tracks: scrubbing thumbnails (cues at the sprite sheet's tiles) and chapters. */
export const THUMBNAILS_VTT_KIND = 'thumbnails-vtt';
export const CHAPTERS_VTT_KIND = 'chapters-vtt';

/**
 * Analyses a video: the package finds its structure (probe, cuts, keyframes, sprite), each keyframe
 * becomes an image asset analysed by the vision job function (tags, faces matched to the people
 * registry, OCR, moderation), the audio goes through the speech job function; then the poster,
 * chapters and scenes are stored. Progress: structure to 25%, keyframes to 70%, transcript to 95%.
 */
export async function runVideoAnalyze(payload: Payload, ctx: JobContext): Promise<Result> {
  const started = performance.now();
  const db = ctx.db;
  const video = await loadVideoAsset(db, payload.assetId);
  const analyses = payload.analyses?.length ? [...new Set(payload.analyses)] : DEFAULT_ANALYSES;
  const job = await db.job.findUnique({ where: { id: ctx.jobId }, select: { requesterId: true } });
  const storage = getStorage();
  const spriteFile = path.join(await storage.tempDir(), `sprite-${randomUUID()}.jpg`);
  ctx.progress(0.01, 'Reading the video');

  try {
    const structure = await withLocalCopy(video, (file, head) =>
      analyzeVideoStructure(file, head, {
        maxDurationSec: workerConfig().VIDEO_MAX_DURATION_SEC,
        spriteFile,
        signal: ctx.signal,
        onProgress: (stage, f, message) => {
          const [from, to] = stage === 'probe' ? [0.01, 0.03] : stage === 'scan' ? [0.03, 0.2] : [0.2, 0.25];
          ctx.progress(from + (to - from) * f, message, { stage });
        },
      }).catch((error: unknown) => {
        throw asJobError(error);
      }),
    );
    const { info, scenes } = structure;
    const structureMs = performance.now() - started;

    // Each keyframe is an image asset of its own, analysed by the vision area as any photo is.
    const keyframeIds: string[] = [];
    const models = new Map<string, ModelRef>();
    const stem = video.filename.replace(/\.[^.]+$/, '');
    let t0 = performance.now();
    for (const [i, scene] of scenes.entries()) {
      const { asset } = await storeMediaAsset(db, storage, {
        source: scene.keyframe.jpeg,
        prefix: `${ctx.newsroomId}/derived/video/keyframes`,
        ext: 'jpg',
        filename: `${stem}-scene-${i + 1}.jpg`,
        mimeType: 'image/jpeg',
        kind: 'image',
        uploadedById: job?.requesterId ?? null,
        metadata: {
          videoKeyframe: { videoAssetId: video.id, sceneIndex: i, timeSec: scene.keyframe.timeSec },
        },
      });
      keyframeIds.push(asset.id);
      const from = 0.25 + (0.45 * i) / scenes.length;
      const result = await runAnalyze(
        { assetId: asset.id, analyses },
        progressRange(ctx, from, from + 0.45 / scenes.length, `scene ${i + 1} of ${scenes.length}: `),
      );
      for (const m of result.models) models.set(`${m.name}@${m.version}`, m);
    }
    const visionMs = performance.now() - t0;

    t0 = performance.now();
    let transcript: Result['transcript'] = null;
    if (info.hasAudio && payload.transcribe !== false) {
      const r = await runTranscribe({ assetId: video.id }, progressRange(ctx, 0.7, 0.95, 'transcript: '));
      transcript = { status: r.status, transcriptId: r.transcriptId, words: r.words };
    }
    const speechMs = performance.now() - t0;
    ctx.progress(0.95, 'Choosing the poster and chapters');

    const [faces, ocr, segments] = await Promise.all([
      db.face.findMany({ where: { assetId: { in: keyframeIds } }, select: { assetId: true, box: true } }),
      db.imageAnalysis.findMany({
        where: { assetId: { in: keyframeIds }, kind: 'ocr' },
        select: { assetId: true, result: true },
      }),
      transcript?.transcriptId
        ? db.transcript.findUnique({ where: { id: transcript.transcriptId }, select: { segments: true } })
        : null,
    ]);
    const frameArea = (s: SceneWithKeyframe) => s.keyframe.width * s.keyframe.height;
    const poster = choosePoster(
      scenes.map((s, i) => ({
        sharpness: s.keyframe.sharpness,
        brightness: s.keyframe.brightness,
        faceAreas: faces
          .filter((f) => f.assetId === keyframeIds[i])
          .map((f) => {
            const b = f.box as { width: number; height: number };
            return (b.width * b.height) / frameArea(s);
          }),
      })),
    );
    const textOf = (assetId: string) =>
      (ocr.find((o) => o.assetId === assetId)?.result as { text?: string } | undefined)?.text ?? null;
    const speech = ((segments?.segments ?? []) as unknown as ChapterSpeech[]).filter((s) => s.text?.trim());
    const chapters = buildChapters(
      scenes.map((s, i) => ({ startSec: s.startSec, endSec: s.endSec, text: textOf(keyframeIds[i]) })),
      speech,
      info.durationSec,
    );

    // Poster and thumbnail sprite are derived files of the video.
    if (poster) {
      const jpeg = scenes[poster.index].keyframe.jpeg;
      const key = derivedKey(ctx.newsroomId, video.id, POSTER_KIND, 'jpeg');
      await storage.putBuffer(key, jpeg);
      const k = scenes[poster.index].keyframe;
      await upsertDerivative(db, {
        assetId: video.id,
        kind: POSTER_KIND,
        storageKey: key,
        mimeType: 'image/jpeg',
        width: k.width,
        height: k.height,
        sizeBytes: jpeg.length,
      });
    }
    const sprite = structure.sprite ? await readFile(spriteFile).catch(() => null) : null;
    if (sprite && structure.sprite) {
      const key = derivedKey(ctx.newsroomId, video.id, THUMBNAILS_KIND, 'jpeg');
      await storage.putBuffer(key, sprite);
      const l = structure.sprite;
      await upsertDerivative(db, {
        assetId: video.id,
        kind: THUMBNAILS_KIND,
        storageKey: key,
        mimeType: 'image/jpeg',
        width: l.columns * l.tileWidth,
        height: l.rows * l.tileHeight,
        sizeBytes: sprite.length,
      });
      // Cues name the sprite by its API path, so they resolve from wherever the track is fetched.
      const vtt = thumbnailsVtt(l, info.durationSec, derivativeContentPath(video.id, THUMBNAILS_KIND));
      await storeVtt(ctx, video.id, THUMBNAILS_VTT_KIND, vtt);
    }
    await storeVtt(ctx, video.id, CHAPTERS_VTT_KIND, chaptersVtt(chapters));

    const elapsedSec = (performance.now() - started) / 1000;
    const timings = {
      ...structure.timings,
      structure: Math.round(structureMs),
      vision: Math.round(visionMs),
      speech: Math.round(speechMs),
      total: Math.round(elapsedSec * 1000),
    };
    const data = {
      durationSec: info.durationSec,
      width: info.width,
      height: info.height,
      rotation: info.rotation,
      fps: info.fps,
      variableFrameRate: info.variableFrameRate,
      hasAudio: info.hasAudio,
      probe: {
        format: info.format,
        videoCodec: info.videoCodec,
        audioCodec: info.audioCodec,
        bitRate: info.bitRate,
        codedWidth: info.codedWidth,
        codedHeight: info.codedHeight,
        sampleFps: structure.sampleFps,
      },
      transcriptId: transcript?.transcriptId ?? null,
      chapters: chapters as unknown as Prisma.InputJsonValue,
      posterScene: poster?.index ?? null,
      posterReason: poster?.reason ?? null,
      thumbnails:
        sprite && structure.sprite ? (structure.sprite as unknown as Prisma.InputJsonValue) : undefined,
      models: [...models.values()] as unknown as Prisma.InputJsonValue,
      timings,
      jobId: ctx.jobId,
    };
    await db.$transaction(async (tx) => {
      const analysis = await tx.videoAnalysis.upsert({
        where: { assetId: video.id },
        create: { assetId: video.id, ...data },
        update: data,
      });
      await tx.videoScene.deleteMany({ where: { analysisId: analysis.id } });
      await tx.videoScene.createMany({
        data: scenes.map((s, i) => ({
          analysisId: analysis.id,
          videoAssetId: video.id,
          index: i,
          startSec: s.startSec,
          endSec: s.endSec,
          cutScore: s.cutScore,
          keyframeAssetId: keyframeIds[i],
          keyframeSec: s.keyframe.timeSec,
          sharpness: s.keyframe.sharpness,
          brightness: s.keyframe.brightness,
        })),
      });
    });
    ctx.progress(1, 'Analysed');
    return {
      status: 'analyzed',
      assetId: video.id,
      durationSec: info.durationSec,
      width: info.width,
      height: info.height,
      rotation: info.rotation,
      variableFrameRate: info.variableFrameRate,
      downscaled: scenes.length > 0 && scenes[0].keyframe.width < info.width,
      scenes: scenes.length,
      chapters: chapters.length,
      keyframeAssetIds: keyframeIds,
      posterScene: poster?.index ?? null,
      transcript,
      models: [...models.values()],
      realTimeFactor: Math.round((info.durationSec / elapsedSec) * 100) / 100,
      timings,
    };
  } finally {
    await rm(spriteFile, { force: true });
  }
}

/** A WebVTT track as a derived file of the video (text/vtt, served like any derivative). */
async function storeVtt(ctx: JobContext, videoId: string, kind: string, text: string): Promise<void> {
  const body = Buffer.from(text, 'utf8');
  const key = derivedKey(ctx.newsroomId, videoId, kind, 'vtt');
  await getStorage().putBuffer(key, body);
  await upsertDerivative(ctx.db, {
    assetId: videoId,
    kind,
    storageKey: key,
    mimeType: 'text/vtt; charset=utf-8',
    width: 0,
    height: 0,
    sizeBytes: body.length,
  });
}
