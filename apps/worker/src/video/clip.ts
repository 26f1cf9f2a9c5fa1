import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { storeMediaAsset, type Prisma } from '@media-ai/db';
import { PermanentJobError, type JobContext, type PayloadOf, type ResultOf } from '@media-ai/jobs';
import { hashFile } from '@media-ai/storage';
import { buildCues, type TranscriptSegment } from '@media-ai/speech';
import { focusFromDetections, type Box } from '@media-ai/vision';
import {
  CAPTION_CHARS,
  analysisSize,
  captionsAss,
  cuesForClip,
  integratedLoudness,
  loudnessReport,
  measureLoudness,
  planCrop,
  probeVideo,
  renderClip,
  renderPreview,
  type SceneFocus,
} from '@media-ai/video';
import { getStorage } from '../lib/deps.js';
import { derivedKey, upsertDerivative } from '@media-ai/vision-platform';
import { asJobError, loadVideoAsset, withLocalCopy } from './source.js';
import { captionStyleOf } from './caption-style.js';

type Payload = PayloadOf<'video.clip'>;
type Result = ResultOf<'video.clip'>;

/** Longest clip, seconds: social clips are short, and a long one would hold the queue. */
export const MAX_CLIP_SEC = 600;
export const PREVIEW_KIND = 'preview-webp';

/**
 * Makes a social clip from an analysed video: the crop follows each scene's faces and objects (the
 * stored keyframe analysis through the vision package's smart crop), captions come from the stored
 * transcript, loudness is measured then normalised. The MP4 becomes a video asset (its inputs in
 * metadata) with an animated WebP preview as its derivative.
 */
export async function runVideoClip(payload: Payload, ctx: JobContext): Promise<Result> {
  const db = ctx.db;
  const video = await loadVideoAsset(db, payload.assetId);
  const analysis = await db.videoAnalysis.findUnique({
    where: { assetId: video.id },
    include: { scenes: { orderBy: { index: 'asc' } } },
  });
  if (!analysis) {
    throw new PermanentJobError(
      `Video ${video.id} has not been analysed yet: run analyzeVideo on it first`,
      'NOT_ANALYZED',
    );
  }
  const { startSec, aspect } = payload;
  const endSec = Math.min(payload.endSec, analysis.durationSec);
  if (startSec >= analysis.durationSec - 0.1 || endSec - startSec < 0.5) {
    throw new PermanentJobError(
      `The clip ${startSec}-${payload.endSec} s is outside the video (0-${analysis.durationSec.toFixed(1)} s) or shorter than half a second`,
      'BAD_RANGE',
    );
  }
  if (endSec - startSec > MAX_CLIP_SEC) {
    throw new PermanentJobError(
      `A clip lasts at most ${MAX_CLIP_SEC} s; choose a shorter range`,
      'BAD_RANGE',
    );
  }
  ctx.progress(0.02, 'Planning the crop');

  // What to keep in frame in each scene: the faces and tagged objects of its keyframe.
  const keyframeIds = analysis.scenes.map((s) => s.keyframeAssetId);
  const [faces, tags] = await Promise.all([
    db.face.findMany({ where: { assetId: { in: keyframeIds } }, select: { assetId: true, box: true } }),
    db.assetTag.findMany({
      where: { assetId: { in: keyframeIds }, source: 'objects', box: { not: undefined } },
      select: { assetId: true, label: true, confidence: true, box: true },
    }),
  ]);
  const frame = analysisSize(analysis);
  const scenes: SceneFocus[] = analysis.scenes.map((s) => ({
    startSec: s.startSec,
    endSec: s.endSec,
    frame,
    focus: focusFromDetections({
      faces: faces
        .filter((f) => f.assetId === s.keyframeAssetId)
        .map((f) => ({ box: f.box as unknown as Box })),
      objects: tags
        .filter((t) => t.assetId === s.keyframeAssetId && t.box)
        .map((t) => ({ label: t.label, score: t.confidence, box: t.box as unknown as Box })),
    }),
  }));
  const plan = planCrop(analysis, aspect, scenes, startSec, endSec);

  const storage = getStorage();
  const work = path.join(await storage.tempDir(), `clip-${randomUUID()}`);
  await mkdir(work, { recursive: true });
  try {
    let captionCount = 0;
    let captionsFile: string | undefined;
    if (payload.captions === 'burned' && analysis.transcriptId) {
      const transcript = await db.transcript.findUnique({
        where: { id: analysis.transcriptId },
        select: { segments: true },
      });
      const cues = cuesForClip(
        buildCues(
          { segments: (transcript?.segments ?? []) as unknown as TranscriptSegment[] },
          { maxCharsPerLine: CAPTION_CHARS[aspect], maxLines: 2, maxCueSec: 4 },
        ),
        startSec,
        endSec,
      );
      if (cues.length) {
        const newsroom = await db.newsroom.findFirst({ select: { settings: true } });
        captionsFile = path.join(work, 'captions.ass');
        const size = { width: plan.width, height: plan.height };
        await writeFile(captionsFile, captionsAss(cues, size, captionStyleOf(newsroom?.settings)));
        captionCount = cues.length;
      }
    }

    const output = path.join(work, 'clip.mp4');
    const preview = path.join(work, 'preview.webp');
    const t0 = performance.now();
    const { loudness, size } = await withLocalCopy(video, async (file, head) => {
      try {
        const info = await probeVideo(file, head, ctx.signal);
        const measured = info.hasAudio
          ? await measureLoudness(file, startSec, endSec - startSec, ctx.signal)
          : null;
        ctx.progress(0.1, 'Rendering');
        const size = await renderClip({
          input: file,
          output,
          info,
          startSec,
          endSec,
          plan,
          captionsFile,
          loudness: measured,
          signal: ctx.signal,
          onProgress: (f) => ctx.progress(0.1 + 0.75 * f, `Rendering: ${Math.round(f * 100)}%`),
        });
        ctx.progress(0.87, 'Checking loudness and making the preview');
        // Silence stays silence: not normalised above, and reported as silent rather than a meter's floor.
        const outputLufs = measured ? await integratedLoudness(output, ctx.signal) : null;
        await renderPreview(output, preview, ctx.signal);
        return { loudness: loudnessReport(info.hasAudio, measured, outputLufs), size };
      } catch (error) {
        throw asJobError(error);
      }
    });
    const renderMs = Math.round(performance.now() - t0);

    ctx.progress(0.95, 'Storing the clip');
    const job = await db.job.findUnique({ where: { id: ctx.jobId }, select: { requesterId: true } });
    const crop = plan.keys.map((k) => ({ atSec: k.atSec, ...k.crop, from: k.from }));
    const durationSec = Math.round((endSec - startSec) * 1000) / 1000;
    const { asset: clip } = await storeMediaAsset(db, storage, {
      source: { file: output, ...(await hashFile(output)) },
      prefix: `${ctx.newsroomId}/derived/video/clips`,
      ext: 'mp4',
      filename: `${video.filename.replace(/\.[^.]+$/, '')}-${aspect.replace(':', 'x')}-${Math.round(startSec)}-${Math.round(endSec)}.mp4`,
      mimeType: 'video/mp4',
      kind: 'video',
      uploadedById: job?.requesterId ?? null,
      metadata: {
        clipOf: { assetId: video.id, startSec, endSec, aspect, captions: payload.captions },
        crop,
        loudness,
        jobId: ctx.jobId,
      } as unknown as Prisma.InputJsonValue,
    });
    const webp = await readFile(preview);
    const key = derivedKey(ctx.newsroomId, clip.id, PREVIEW_KIND, 'webp');
    await storage.putBuffer(key, webp);
    await upsertDerivative(db, {
      assetId: clip.id,
      kind: PREVIEW_KIND,
      storageKey: key,
      mimeType: 'image/webp',
      width: 240,
      height: Math.round((240 * size.height) / size.width / 2) * 2,
      sizeBytes: webp.length,
    });
    ctx.progress(1, 'Clip ready');
    return {
      status: 'created',
      assetId: video.id,
      clipAssetId: clip.id,
      width: size.width,
      height: size.height,
      durationSec,
      crop,
      captions: captionCount,
      loudness,
      previewKind: PREVIEW_KIND,
      renderMs,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
