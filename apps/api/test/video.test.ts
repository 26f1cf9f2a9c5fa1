import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataDir } from '@media-ai/core';
import { makeVideo, probeVideo } from '@media-ai/video';
import { startWorker, type WorkerRuntime } from '@media-ai/worker';
import {
  createNewsroom,
  finishedJob,
  uploadAsset,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';

/*
 * End to end: videos made with ffmpeg in the test (cuts at known times, a face of the shared photos,
 * shared speech) uploaded over HTTP, analysed by one in-process worker (video and vision queues),
 * searched and clipped through GraphQL.
 */

const FACES = sharedDataDir('vision/faces');
const SPEECH = sharedDataDir('speech');
if (!FACES || !SPEECH)
  console.log('video.test: the person and speech test is skipped, no ../shared/data/vision/faces or speech');

const config = testConfig({ WORKER_QUEUES: 'video:1,vision:1', VIDEO_MAX_DURATION_SEC: '6' });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'video-e2e-'));
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime;
let n: TestNewsroom;

beforeAll(async () => {
  api = await startTestApi(config);
  n = await createNewsroom(api.db, 'Video Desk');
  worker = await startWorker(config, silentLog());
});
afterAll(async () => {
  await worker?.close(1000);
  await api?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const upload = (body: Buffer, filename: string) => uploadAsset(api, n.keys.editor, body, filename);
const finished = (jobId: string) => finishedJob(api, n.keys.app, jobId, 300_000);

const ANALYZE = `mutation($id: ID!, $a: [VisionAnalysis!], $t: Boolean!) { analyzeVideo(assetId: $id, analyses: $a, transcribe: $t) { id type queue } }`;
const CLIP = `mutation($input: MakeClipInput!) { makeClip(input: $input) { id type } }`;
const download = (p: string) => fetch(api.url + p, { headers: { authorization: `Bearer ${n.keys.app}` } });

describe.skipIf(!FACES || !SPEECH)('video analysis, search and clips', () => {
  it('finds the scenes, the person, the burned-in text and the speech; clips the face scene to 9:16', async () => {
    const photo = (name: string) => fs.readFileSync(path.join(FACES!, name));
    const train = await Promise.all(
      ['train__obama__obama.jpg', 'train__obama__obama2.jpg'].map((f) => upload(photo(f), f)),
    );
    const { enrolPerson } = await api.ok(
      `mutation($input: EnrolPersonInput!) { enrolPerson(input: $input) { person { id } job { id } } }`,
      { input: { name: 'Barack Obama', assetIds: train } },
      n.keys.editor,
    );
    expect((await finished(enrolPerson.job.id)).status).toBe('COMPLETED');
    const obama = enrolPerson.person.id as string;

    const file = path.join(dir, 'report.mp4');
    const { cutsSec } = await makeVideo(
      file,
      [
        { pattern: 'testsrc2', durationSec: 1.5 },
        { text: 'BREAKING', durationSec: 1.5 },
        { image: path.join(FACES!, 'test__obama1.jpg'), durationSec: 2.5 },
      ],
      { width: 480, height: 270, audio: path.join(SPEECH!, 'lj_LJ001-0001.wav'), fontFile: FONT },
    );
    const videoId = await upload(fs.readFileSync(file), 'report.mp4');
    const { analyzeVideo } = await api.ok(
      ANALYZE,
      { id: videoId, a: ['FACES', 'OCR'], t: true },
      n.keys.editor,
    );
    expect(analyzeVideo).toMatchObject({ type: 'video.analyze', queue: 'video' });
    const job = await finished(analyzeVideo.id);
    expect(job.error).toBeNull();
    expect(job.status).toBe('COMPLETED');
    expect(job.result).toMatchObject({
      scenes: 3,
      width: 480,
      height: 270,
      posterScene: 2,
      downscaled: false,
    });
    expect(job.result.transcript.words).toBeGreaterThan(3);
    expect(job.result.realTimeFactor).toBeGreaterThan(0);

    const { videoAnalysis: v } = await api.ok(
      `query($id: ID!) { videoAnalysis(assetId: $id) {
        durationSec hasAudio transcriptId posterPath chaptersVttPath posterScene
        thumbnails { vttPath spritePath count }
        chapters { startSec endSec title titleFrom }
        models { name }
        scenes { index startSec endSec keyframeSec text tags people { id name } keyframe { kind vision { faces { box { x width } person { name } } } } }
      } }`,
      { id: videoId },
      n.keys.app,
    );
    expect(v.scenes.map((s: { startSec: number }) => s.startSec)).toHaveLength(3);
    v.scenes
      .slice(1)
      .forEach((s: { startSec: number }, i: number) =>
        expect(Math.abs(s.startSec - cutsSec[i])).toBeLessThan(0.1),
      );
    expect(v.scenes[1].text).toMatch(/BREAKING/);
    expect(v.scenes[2].people).toEqual([{ id: obama, name: 'Barack Obama' }]);
    expect(v.scenes[2].keyframe).toMatchObject({
      kind: 'image',
      vision: { faces: [{ person: { name: 'Barack Obama' } }] },
    });
    const face = v.scenes[2].keyframe.vision.faces[0].box as { x: number; width: number };
    expect(v.transcriptId).not.toBeNull();
    expect(v.chapters.length).toBeGreaterThan(0);
    expect(v.chapters[0].titleFrom).toBe('transcript');
    expect(v.models.map((m: { name: string }) => m.name).length).toBeGreaterThanOrEqual(2);

    // The thumbnails track and the sprite sheet are stored derivatives of the video, served to any key of the
    // newsroom; every cue, resolved against the track's own URL (as a player does), reaches the sprite.
    const track = await download(v.thumbnails.vttPath);
    expect(track.headers.get('content-type')).toMatch(/^text\/vtt/);
    const vtt = await track.text();
    expect(vtt).toMatch(/^WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n\S+#xywh=0,0,160,90\n/);
    const stored = await download(`/v1/assets/${videoId}/derivatives/thumbnails-vtt/content`);
    expect(await stored.text()).toBe(vtt);
    const cues = [...vtt.matchAll(/^(\S+)#xywh=/gm)].map((m) => m[1]);
    expect(cues).toHaveLength(v.thumbnails.count);
    for (const base of [v.thumbnails.vttPath, `/v1/assets/${videoId}/derivatives/thumbnails-vtt/content`]) {
      const sprite = await download(new URL(cues[0], api.url + base).pathname);
      expect([sprite.status, sprite.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
    }
    expect(new URL(cues[0], api.url + v.thumbnails.vttPath).pathname).toBe(v.thumbnails.spritePath);
    expect((await download(v.posterPath)).status).toBe(200);
    const chaptersTrack = await (await download(v.chaptersVttPath)).text();
    expect(chaptersTrack).toMatch(/^WEBVTT\n\n00:00:00.000 --> /);
    expect(await (await download(`/v1/assets/${videoId}/derivatives/chapters-vtt/content`)).text()).toBe(
      chaptersTrack,
    );
    expect((await fetch(api.url + v.thumbnails.vttPath)).status).toBe(401);

    const search = async (q: string, vars: Record<string, string>) => await api.ok(q, vars, n.keys.app);
    const byPerson = await search(
      `query($p: ID) { searchVideos(personId: $p) { totalCount edges { node { id } } } }`,
      { p: obama },
    );
    expect(byPerson.searchVideos.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([videoId]);
    const byText = await search(
      `query($t: String) { searchVideoScenes(text: $t) { edges { node { index video { id } } } } }`,
      { t: 'breaking' },
    );
    expect(byText.searchVideoScenes.edges.map((e: { node: { index: number } }) => e.node.index)).toEqual([1]);
    const none = await api.gql(`{ searchVideoScenes { totalCount } }`, {}, n.keys.app);
    expect(none.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // The clip of the face scene keeps the face (on the right half of the photo's frame) in a 9:16 window.
    const { makeClip } = await api.ok(
      CLIP,
      { input: { assetId: videoId, start: 2.5, end: 5.5, aspect: 'VERTICAL_9_16', captions: 'BURNED' } },
      n.keys.editor,
    );
    const clipJob = await finished(makeClip.id);
    expect(clipJob.error).toBeNull();
    const r = clipJob.result;
    expect(r).toMatchObject({ status: 'created', width: 152, height: 270, durationSec: 3 });
    expect(r.captions).toBeGreaterThan(0);
    expect(r.loudness).toMatchObject({ status: 'normalised', reason: null });
    expect(Math.abs(r.loudness.outputLufs + 16)).toBeLessThan(1.5);
    // The window in effect once the face scene starts (0.5 s into the clip) holds the whole face.
    const window = [...r.crop].reverse().find((k: { atSec: number }) => k.atSec <= 0.5);
    expect(window.width).toBe(152);
    expect(window.x).toBeLessThanOrEqual(face.x);
    expect(window.x + window.width).toBeGreaterThanOrEqual(face.x + face.width);
    const clipFile = path.join(dir, 'clip.mp4');
    fs.writeFileSync(
      clipFile,
      Buffer.from(await (await download(`/v1/assets/${r.clipAssetId}/content`)).arrayBuffer()),
    );
    const info = await probeVideo(clipFile, fs.readFileSync(clipFile).subarray(0, 64));
    expect(info).toMatchObject({ width: 152, height: 270, videoCodec: 'h264', audioCodec: 'aac' });
    const preview = await download(`/v1/assets/${r.clipAssetId}/derivatives/preview-webp/content`);
    expect([preview.status, preview.headers.get('content-type')]).toEqual([200, 'image/webp']);
  }, 600_000);
});

describe('bad video input', () => {
  it('refuses images, unanalysed clips, corrupt and over-long videos with what to fix', async () => {
    const image = await upload(
      Buffer.from(
        '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
          '1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d605e50000000049454e44ae426082',
        'hex',
      ),
      'dot.png',
    );
    const refused = await api.gql(ANALYZE, { id: image, t: true }, n.keys.editor);
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].message).toMatch(/is not a video/);

    const file = path.join(dir, 'long.mp4');
    await makeVideo(file, [{ pattern: 'testsrc2', durationSec: 7 }], { width: 160, height: 90, fps: 10 });
    const long = await upload(fs.readFileSync(file), 'long.mp4');
    const early = await api.gql(
      CLIP,
      { input: { assetId: long, start: 0, end: 3, aspect: 'SQUARE_1_1', captions: 'NONE' } },
      n.keys.editor,
    );
    expect(early.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringMatching(/run analyzeVideo first/),
    });
    const backwards = await api.gql(
      CLIP,
      { input: { assetId: long, start: 3, end: 1, aspect: 'SQUARE_1_1', captions: 'NONE' } },
      n.keys.editor,
    );
    expect(backwards.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const tooLong = await finished(
      (await api.ok(ANALYZE, { id: long, t: false }, n.keys.editor)).analyzeVideo.id,
    );
    expect(tooLong).toMatchObject({ status: 'FAILED', errorCode: 'TOO_LONG' });
    expect(tooLong.error).toMatch(/lasts 7 s, over this platform's limit of 6 s/);

    await makeVideo(file, [{ pattern: 'testsrc2', durationSec: 4 }], { width: 160, height: 90, fps: 10 });
    const bytes = fs.readFileSync(file);
    const cut = await upload(bytes.subarray(0, Math.floor(bytes.length / 2)), 'cut.mp4');
    const corrupt = await finished(
      (await api.ok(ANALYZE, { id: cut, t: false }, n.keys.editor)).analyzeVideo.id,
    );
    expect(corrupt).toMatchObject({ status: 'FAILED', errorCode: 'CORRUPT' });
    expect(corrupt.error).toMatch(/upload a complete file/);
    expect(await api.db.videoAnalysis.count({ where: { assetId: { in: [long, cut] } } })).toBe(0);
  }, 120_000);
});
