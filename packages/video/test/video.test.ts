import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyzeVideoStructure,
  buildChapters,
  captionsAss,
  choosePoster,
  detectCuts,
  detectGradual,
  frameDurationsVary,
  integratedLoudness,
  loudnessReport,
  makeVideo,
  measureLoudness,
  planCrop,
  probeVideo,
  renderClip,
  renderPreview,
  runFfmpeg,
  scanVideo,
  thumbnailsVtt,
  type VideoErrorCode,
} from '../src/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'video-test-'));
const file = (name: string) => path.join(dir, name);
const head = (f: string) => readFileSync(f).subarray(0, 64);
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

let cuts: number[] = [];
beforeAll(async () => {
  // Three shots with cuts at 2.0 and 3.6 s; a moving pattern first, so motion is not taken for a cut.
  ({ cutsSec: cuts } = await makeVideo(
    file('three.mp4'),
    [
      { pattern: 'testsrc2', durationSec: 2 },
      { text: 'BREAKING', durationSec: 1.6 },
      { pattern: 'smptebars', durationSec: 1.4 },
    ],
    { width: 320, height: 180, toneDb: -30, fontFile: FONT },
  ));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(p: Promise<unknown>): Promise<VideoErrorCode> {
  const error = (await p.then(
    () => null,
    (e: unknown) => e,
  )) as { code: VideoErrorCode; message: string } | null;
  expect(error, 'expected a refusal').not.toBeNull();
  return error!.code;
}

describe('video structure', () => {
  it('finds the placed cuts, a sharp keyframe per scene and draws the sprite', async () => {
    const stages = new Set<string>();
    const s = await analyzeVideoStructure(file('three.mp4'), head(file('three.mp4')), {
      spriteFile: file('sprite.jpg'),
      onProgress: (stage) => stages.add(stage),
    });
    expect(s.info).toMatchObject({
      width: 320,
      height: 180,
      rotation: 0,
      hasAudio: true,
      variableFrameRate: false,
    });
    expect(s.info.durationSec).toBeCloseTo(5, 1);
    expect(s.scenes.map((x) => x.startSec)).toHaveLength(3);
    s.scenes
      .slice(1)
      .forEach((scene, i) => expect(Math.abs(scene.startSec - cuts[i])).toBeLessThanOrEqual(0.08));
    expect(s.scenes[2].endSec).toBeCloseTo(5, 1);
    for (const scene of s.scenes) {
      expect(scene.keyframe.timeSec).toBeGreaterThan(scene.startSec);
      expect(scene.keyframe.timeSec).toBeLessThan(scene.endSec);
      expect(scene.keyframe.sharpness).toBeGreaterThan(0);
      const meta = await sharp(scene.keyframe.jpeg).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 320, 180]);
    }
    expect([...stages]).toEqual(['probe', 'scan', 'keyframes']);
    // 5 s at one thumbnail every 2 s: three tiles of 160x90 in a row.
    expect(s.sprite).toMatchObject({
      intervalSec: 2,
      count: 3,
      columns: 3,
      rows: 1,
      tileWidth: 160,
      tileHeight: 90,
    });
    const sprite = await sharp(file('sprite.jpg')).metadata();
    expect([sprite.width, sprite.height]).toEqual([480, 90]);
    const vtt = thumbnailsVtt(s.sprite!, s.info.durationSec, 'sprite.jpg');
    expect(vtt.split('\n').slice(0, 6)).toEqual([
      'WEBVTT',
      '',
      '00:00:00.000 --> 00:00:02.000',
      'sprite.jpg#xywh=0,0,160,90',
      '',
      '00:00:02.000 --> 00:00:04.000',
    ]);
    expect(vtt).toContain('00:00:04.000 --> 00:00:05.000\nsprite.jpg#xywh=320,0,160,90');
  });

  it('refuses a truncated file, a file without a picture, a file that is not a video and one over the limit', async () => {
    const bytes = readFileSync(file('three.mp4'));
    writeFileSync(file('cut.mp4'), bytes.subarray(0, Math.floor(bytes.length / 3)));
    expect(await refusal(analyzeVideoStructure(file('cut.mp4'), head(file('cut.mp4'))))).toBe('CORRUPT');
    await runFfmpeg('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=d=1', '-y', file('tone.wav')]);
    expect(await refusal(probeVideo(file('tone.wav'), head(file('tone.wav'))))).toBe('NO_VIDEO_STREAM');
    writeFileSync(file('notes.mp4'), 'these are my notes, not a video');
    expect(await refusal(probeVideo(file('notes.mp4'), head(file('notes.mp4'))))).toBe('UNSUPPORTED');
    const long = analyzeVideoStructure(file('three.mp4'), head(file('three.mp4')), { maxDurationSec: 3 });
    await expect(long).rejects.toThrow(/lasts 5 s, over this platform's limit of 3 s/);
  });

  it('reads phone rotation, variable frame rates and analyses 4K at a smaller size', async () => {
    await makeVideo(file('rot.mp4'), [{ pattern: 'testsrc2', durationSec: 1 }], {
      width: 320,
      height: 180,
      rotation: 90,
    });
    const rot = await probeVideo(file('rot.mp4'), head(file('rot.mp4')));
    expect([90, 270]).toContain(rot.rotation);
    expect([rot.width, rot.height]).toEqual([180, 320]);
    const upright = await analyzeVideoStructure(file('rot.mp4'), head(file('rot.mp4')));
    expect([upright.scenes[0].keyframe.width, upright.scenes[0].keyframe.height]).toEqual([180, 320]);

    // Frames at irregular times, as a phone records them when the light changes.
    await runFfmpeg('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=160x90:r=30:d=2',
      '-vf',
      "setpts='N/30/TB+if(gt(N,20),N*0.01/TB,0)'",
      '-fps_mode',
      'vfr',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-y',
      file('vfr.mp4'),
    ]);
    expect((await probeVideo(file('vfr.mp4'), head(file('vfr.mp4')))).variableFrameRate).toBe(true);
    expect(frameDurationsVary([0, 0.04, 0.08, 0.12, 0.16, 0.2])).toBe(false);

    await makeVideo(file('uhd.mp4'), [{ pattern: 'testsrc2', durationSec: 0.4 }], {
      width: 3840,
      height: 2160,
      fps: 10,
    });
    const uhd = await analyzeVideoStructure(file('uhd.mp4'), head(file('uhd.mp4')));
    expect([uhd.info.width, uhd.scenes[0].keyframe.width, uhd.scenes[0].keyframe.height]).toEqual([
      3840, 1280, 720,
    ]);
  });
});

describe('cuts, posters and chapters', () => {
  it('takes a jump above the surrounding motion for a cut, not steady fast motion', () => {
    const motion = Array.from({ length: 50 }, (_, i) => (i === 0 ? 0 : 0.05 + (i % 3) * 0.01));
    motion[25] = 0.4;
    expect(detectCuts(motion, 25)).toEqual([25]);
    expect(
      detectCuts(
        Array.from({ length: 50 }, () => 0.12),
        25,
      ),
    ).toEqual([]);
  });

  it('takes a change that builds up one way over many frames for a dissolve, not motion', () => {
    // 3 s at 25 fps: still frames, a 1 s dissolve (small equal steps that add up), still frames.
    const scores = Array.from({ length: 75 }, (_, i) => (i === 0 ? 0 : i > 25 && i <= 50 ? 0.01 : 0.002));
    const dissolve = scores.map((_, i) =>
      i < 25 ? 0 : 0.01 * Math.max(0, Math.min(i, 50) - Math.max(i - 25, 25)),
    );
    const [found, ...rest] = detectGradual(scores, dissolve, 25);
    expect(rest).toEqual([]);
    expect(found.kind).toBe('gradual');
    expect(Math.abs(found.frame - 38)).toBeLessThanOrEqual(2);
    // The same steps that go back and forth (motion) change little across the window.
    const motion = scores.map((_, i) => (i < 25 ? 0 : 0.03));
    expect(detectGradual(scores, motion, 25)).toEqual([]);
  });

  it('finds dissolves beside the hard cuts of a made-up video', async () => {
    const { transitions } = await makeVideo(
      file('dissolves.mp4'),
      [
        { pattern: 'smptebars', durationSec: 1.6 },
        { text: 'NEWS', durationSec: 1.6, dissolveSec: 0.8 },
        { pattern: 'testsrc2', durationSec: 1.6 },
        { pattern: 'color', color: 'darkred', durationSec: 1.6, dissolveSec: 0.6 },
      ],
      { width: 160, height: 90, fontFile: FONT },
    );
    const f = file('dissolves.mp4');
    const scan = await scanVideo(f, await probeVideo(f, head(f)));
    const found = scan.scenes.slice(1);
    expect(found.map((s) => s.transition)).toEqual(
      transitions.map((t) => (t.kind === 'cut' ? 'cut' : 'gradual')),
    );
    found.forEach((s, i) => {
      expect(s.startSec).toBeGreaterThanOrEqual(transitions[i].startSec - 0.1);
      expect(s.startSec).toBeLessThanOrEqual(transitions[i].endSec + 0.1);
    });
  });

  it('prefers a sharp frame with a large face for the poster', () => {
    const p = choosePoster([
      { sharpness: 900, brightness: 120, faceAreas: [] },
      { sharpness: 30, brightness: 120, faceAreas: [0.2] },
      { sharpness: 150, brightness: 120, faceAreas: [0.15] },
      { sharpness: 1000, brightness: 10, faceAreas: [0.2] },
    ]);
    expect(p?.index).toBe(2);
  });

  it('joins short scenes into chapters titled by what is said, else by the text on screen', () => {
    const scenes = [0, 10, 20, 30, 40, 50].map((s, i) => ({
      startSec: s,
      endSec: s + 10,
      text: i === 3 ? 'ELECTION NIGHT\nlive' : null,
    }));
    const speech = [
      { start: 1, end: 8, text: 'the council met tonight. it voted on the budget.' },
      { start: 15, end: 24, text: 'a sentence that runs over a cut' },
    ];
    const chapters = buildChapters(scenes, speech, 60, { minSec: 15 });
    expect(chapters.map((c) => [c.startSec, c.endSec, c.title, c.titleFrom])).toEqual([
      [0, 30, 'The council met tonight.', 'transcript'],
      [30, 50, 'ELECTION NIGHT', 'on-screen text'],
      [50, 60, 'Part 3', 'position'],
    ]);
  });
});

describe('clips', () => {
  it("crops to each scene's focus, holds it against small moves, burns captions and normalises loudness", async () => {
    const info = await probeVideo(file('three.mp4'), head(file('three.mp4')));
    const frame = { width: 320, height: 180 };
    const plan = planCrop(
      info,
      '9:16',
      [
        {
          startSec: 0,
          endSec: 2,
          frame,
          focus: [{ box: { x: 250, y: 40, width: 40, height: 40 }, weight: 4 }],
        },
        {
          startSec: 2,
          endSec: 3.6,
          frame,
          focus: [{ box: { x: 245, y: 50, width: 40, height: 40 }, weight: 4 }],
        },
        { startSec: 3.6, endSec: 5, frame, focus: [] },
      ],
      0.5,
      5,
    );
    // A 9:16 window of a 320x180 frame is 101x180; the face at the right keeps it right, the faceless scene is centred.
    expect(plan.width).toBe(101);
    expect(plan.keys.map((k) => [k.atSec, k.crop.x, k.from])).toEqual([
      [0, 219, 'focus'],
      [3.1, 110, 'centre'],
    ]);

    const loud = await measureLoudness(file('three.mp4'), 0.5, 4.5);
    expect(loud!.integratedLufs).toBeLessThan(-25);
    writeFileSync(
      file('c.ass'),
      captionsAss(
        [{ start: 0, end: 2, lines: ['Hello'] }],
        { width: 100, height: 180 },
        {
          font: 'DejaVu Sans',
          sizeFraction: 0.08,
          color: '#FFFF00',
          background: '#000000',
          bottomFraction: 0.1,
          bold: true,
        },
      ),
    );
    const out = await renderClip({
      input: file('three.mp4'),
      output: file('clip.mp4'),
      info,
      startSec: 0.5,
      endSec: 5,
      plan,
      loudness: loud,
      captionsFile: file('c.ass'),
    });
    expect(out).toMatchObject({ width: 100, height: 180, fps: 25 });
    const clip = await probeVideo(file('clip.mp4'), head(file('clip.mp4')));
    expect(clip).toMatchObject({ width: 100, height: 180, videoCodec: 'h264', audioCodec: 'aac' });
    expect(clip.durationSec).toBeCloseTo(4.5, 0);
    expect(Math.abs((await integratedLoudness(file('clip.mp4')))! + 16)).toBeLessThan(1.5);
    // The caption is burned in: yellow pixels near the bottom of the first second.
    const { stdout } = await runFfmpeg('ffmpeg', [
      '-v',
      'error',
      '-ss',
      '0.5',
      '-i',
      file('clip.mp4'),
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ]);
    let yellow = 0;
    for (let i = 0; i < stdout.length; i += 3)
      if (stdout[i] > 200 && stdout[i + 1] > 200 && stdout[i + 2] < 80) yellow++;
    expect(yellow).toBeGreaterThan(30);
    expect(loudnessReport(true, loud, -16.2)).toMatchObject({ status: 'normalised', reason: null });
    await renderPreview(file('clip.mp4'), file('clip.webp'));
    expect(existsSync(file('clip.webp'))).toBe(true);
    const preview = await sharp(file('clip.webp'), { animated: true }).metadata();
    expect(preview.format).toBe('webp');
    expect(preview.pages).toBeGreaterThan(10);
  });

  it('reports a silent clip as silent and leaves it silent, with no loudness figure', async () => {
    // Digital silence, and a hum far below speech (about -64 LUFS): neither is raised to -16 LUFS.
    for (const [name, toneDb] of [
      ['silent.mp4', -200],
      ['hum.mp4', -42],
    ] as const) {
      await makeVideo(file(name), [{ pattern: 'smptebars', durationSec: 1.5 }], {
        width: 160,
        height: 90,
        toneDb,
      });
      const info = await probeVideo(file(name), head(file(name)));
      expect(info.hasAudio).toBe(true);
      const measured = await measureLoudness(file(name), 0, 1.5);
      expect(measured).toBeNull();
      const plan = planCrop(info, '1:1', [], 0, 1.5);
      const out = file(`clip-${name}`);
      await renderClip({
        input: file(name),
        output: out,
        info,
        startSec: 0,
        endSec: 1.5,
        plan,
        loudness: null,
      });
      // Left as it was: digital silence has no loudness (not the meter's -70 floor), the hum stays a hum.
      const after = await integratedLoudness(out);
      if (toneDb === -200) expect(after).toBeNull();
      else expect(after!).toBeLessThan(-60);
      const report = loudnessReport(info.hasAudio, measured, null);
      expect(report).toMatchObject({ status: 'silent', measuredLufs: null, outputLufs: null });
      expect(report.reason).toMatch(/silent/);
    }
  });
});
