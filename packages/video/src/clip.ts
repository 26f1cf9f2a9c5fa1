import { chooseCropWindow, cropSize, parseAspect, type Box, type FocusBox } from '@media-ai/vision';
import { VideoError } from './errors.js';
import { runFfmpeg, ts } from './ffmpeg.js';
import type { VideoInfo } from './probe.js';

export type ClipAspect = '9:16' | '1:1' | '16:9';
export const CLIP_ASPECTS: readonly ClipAspect[] = ['9:16', '1:1', '16:9'];

/** What the crop knows of a scene: when it runs and what to keep in frame, in the keyframe's pixels. */
export interface SceneFocus {
  startSec: number;
  endSec: number;
  frame: { width: number; height: number };
  focus: FocusBox[];
}

export interface CropKey {
  /** Clip-relative second from which this window applies. */
  atSec: number;
  /** Window in the upright video's pixels. */
  crop: Box;
  /** From the scene's faces and objects, or centred for lack of them. */
  from: 'focus' | 'centre';
}

export interface CropPlan {
  width: number;
  height: number;
  keys: CropKey[];
}

/**
 * The crop window over time for a clip of [startSec, endSec): per scene, the window of the aspect that
 * keeps the most of its faces and objects (the vision package's smart crop, on the scene's keyframe),
 * held for the whole scene. A window that would move by less than an eighth of the frame from the
 * previous scene's stays put, so small differences between keyframes do not make the picture jitter;
 * bigger moves happen on the cut, where the viewer expects a change.
 */
export function planCrop(
  video: Pick<VideoInfo, 'width' | 'height'>,
  aspect: ClipAspect,
  scenes: SceneFocus[],
  startSec: number,
  endSec: number,
): CropPlan {
  const ratio = parseAspect(aspect);
  const size = cropSize(video.width, video.height, ratio);
  const centre: Box = {
    x: Math.round((video.width - size.width) / 2),
    y: Math.round((video.height - size.height) / 2),
    ...size,
  };
  const inClip = scenes
    .filter((s) => s.endSec > startSec && s.startSec < endSec)
    .sort((a, b) => a.startSec - b.startSec);
  const keys: CropKey[] = [];
  for (const scene of inClip) {
    const sx = video.width / scene.frame.width;
    const sy = video.height / scene.frame.height;
    const focus = scene.focus.map((f) => ({
      weight: f.weight,
      box: { x: f.box.x * sx, y: f.box.y * sy, width: f.box.width * sx, height: f.box.height * sy },
    }));
    const choice = chooseCropWindow(video, ratio, focus);
    let crop = choice ? choice.crop : centre;
    const prev = keys[keys.length - 1];
    if (prev) {
      const move = Math.max(Math.abs(prev.crop.x - crop.x), Math.abs(prev.crop.y - crop.y));
      if (move < Math.max(video.width, video.height) / 8) crop = prev.crop;
    }
    const atSec = Math.max(0, scene.startSec - startSec);
    if (prev && prev.crop.x === crop.x && prev.crop.y === crop.y) continue;
    keys.push({ atSec: Math.round(atSec * 1000) / 1000, crop, from: choice ? 'focus' : 'centre' });
  }
  if (keys.length === 0) keys.push({ atSec: 0, crop: centre, from: 'centre' });
  keys[0] = { ...keys[0], atSec: 0 };
  return { ...size, keys };
}

/** The crop filter for a plan: x and y step from key to key at their times (clip-relative `t`). */
export function cropFilter(plan: CropPlan): string {
  const expr = (axis: 'x' | 'y') => {
    let e = String(plan.keys[plan.keys.length - 1].crop[axis]);
    for (let i = plan.keys.length - 2; i >= 0; i--) {
      e = `if(lt(t,${plan.keys[i + 1].atSec}),${plan.keys[i].crop[axis]},${e})`;
    }
    return e;
  };
  return `crop=${plan.width}:${plan.height}:x='${expr('x')}':y='${expr('y')}'`;
}

/** Output size of a clip: the crop, scaled down so its long side is at most 1280 (even numbers). */
export function outputSize(plan: Pick<CropPlan, 'width' | 'height'>, maxSide = 1280) {
  const scale = Math.min(1, maxSide / Math.max(plan.width, plan.height));
  const even = (x: number) => Math.max(2, Math.floor(x / 2) * 2);
  return { width: even(plan.width * scale), height: even(plan.height * scale) };
}

/** The newsroom's caption look. Colours are #RRGGBB. */
export interface CaptionStyle {
  font: string;
  /** Text height as a fraction of the frame's height. */
  sizeFraction: number;
  color: string;
  /** Box behind the text, or null for an outline only. */
  background: string | null;
  /** Distance of the text's baseline from the bottom, as a fraction of the frame's height. */
  bottomFraction: number;
  bold: boolean;
}

export const DEFAULT_CAPTION_STYLE: CaptionStyle = {
  font: 'DejaVu Sans',
  sizeFraction: 0.045,
  color: '#FFFFFF',
  background: '#000000',
  bottomFraction: 0.14,
  bold: true,
};

export interface CaptionCue {
  start: number;
  end: number;
  lines: string[];
}

/** Characters per caption line for each aspect (narrow frames hold fewer). */
export const CAPTION_CHARS: Record<ClipAspect, number> = { '9:16': 22, '1:1': 30, '16:9': 42 };

/** Cues of the source's timeline moved into the clip's (clip-relative seconds), cut at its edges. */
export function cuesForClip(cues: CaptionCue[], startSec: number, endSec: number): CaptionCue[] {
  return cues
    .filter((c) => c.end > startSec && c.start < endSec)
    .map((c) => ({
      lines: c.lines,
      start: Math.max(0, c.start - startSec),
      end: Math.min(endSec, c.end) - startSec,
    }));
}

const assColour = (hex: string, alpha = 0) => {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new VideoError('BAD_RANGE', `Caption colour ${hex} is not #RRGGBB`);
  return `&H${alpha.toString(16).padStart(2, '0')}${m[3]}${m[2]}${m[1]}`.toUpperCase();
};

const assTime = (sec: number) => {
  const cs = Math.round(Math.max(0, sec) * 100);
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
};

/** An ASS subtitle script that libass burns into the frames, in the newsroom's style. */
export function captionsAss(
  cues: CaptionCue[],
  size: { width: number; height: number },
  style: CaptionStyle,
): string {
  const fontSize = Math.max(12, Math.round(size.height * style.sizeFraction));
  const margin = Math.round(size.height * style.bottomFraction);
  const boxed = style.background !== null;
  const back = assColour(style.background ?? '#000000', boxed ? 0x40 : 0x80);
  const header = [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${size.width}`,
    `PlayResY: ${size.height}`,
    'WrapStyle: 2',
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: Caption,${style.font.replace(/,/g, ' ')},${fontSize},${assColour(style.color)},${assColour(style.color)},${boxed ? back : '&H00000000'},${back},${style.bold ? -1 : 0},0,0,0,100,100,0,0,${boxed ? 3 : 1},${boxed ? Math.round(fontSize * 0.25) : Math.max(2, Math.round(fontSize / 12))},0,2,${Math.round(size.width * 0.06)},${Math.round(size.width * 0.06)},${margin},1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
  ];
  const events = cues.map(
    (c) =>
      `Dialogue: 0,${assTime(c.start)},${assTime(c.end)},Caption,,0,0,0,,${c.lines.map((l) => l.replace(/[{}\\]/g, '')).join('\\N')}`,
  );
  return [...header, ...events, ''].join('\n');
}

export interface Loudness {
  integratedLufs: number;
  truePeakDb: number;
  lra: number;
  threshold: number;
  offset: number;
}

/** Online video's loudness: -16 LUFS integrated, true peak at most -1.5 dBTP (EBU R128 measurement). */
export const LOUDNESS_TARGET = { integratedLufs: -16, truePeakDb: -1.5, lra: 11 };

/**
 * Audio quieter than this (integrated, LUFS) is silence for a clip: digital silence, room tone or
 * encoder noise. It is reported as silent and left as it is: raising it 40 dB or more to the target
 * would only make the noise loud. (EBU R128's own absolute gate, -70 LUFS, is what a meter prints for
 * digital silence; it is not a loudness.)
 */
export const SILENCE_LUFS = -60;

/** What a clip's loudness came to: normalised with both measurements, or why it was not. */
export type LoudnessReport =
  | {
      status: 'normalised';
      targetLufs: number;
      measuredLufs: number;
      outputLufs: number | null;
      reason: null;
    }
  | {
      status: 'silent' | 'no-audio';
      targetLufs: number;
      measuredLufs: null;
      outputLufs: null;
      reason: string;
    };

export function loudnessReport(
  hasAudio: boolean,
  measured: Loudness | null,
  outputLufs: number | null,
): LoudnessReport {
  const targetLufs = LOUDNESS_TARGET.integratedLufs;
  if (!hasAudio)
    return {
      status: 'no-audio',
      targetLufs,
      measuredLufs: null,
      outputLufs: null,
      reason: 'The video has no audio track',
    };
  if (!measured)
    return {
      status: 'silent',
      targetLufs,
      measuredLufs: null,
      outputLufs: null,
      reason: `The clip's audio is silent (below ${SILENCE_LUFS} LUFS): kept as it is, not normalised`,
    };
  return {
    status: 'normalised',
    targetLufs,
    measuredLufs: measured.integratedLufs,
    outputLufs,
    reason: null,
  };
}

/** First pass of two-pass loudnorm: what the clip's audio measures. Null for silence (below SILENCE_LUFS). */
export async function measureLoudness(
  file: string,
  startSec: number,
  durationSec: number,
  signal?: AbortSignal,
): Promise<Loudness | null> {
  const t = LOUDNESS_TARGET;
  const { stderr } = await runFfmpeg(
    'ffmpeg',
    [
      '-v',
      'info',
      '-ss',
      ts(startSec),
      '-t',
      ts(durationSec),
      '-i',
      file,
      '-map',
      '0:a:0',
      '-vn',
      '-af',
      `loudnorm=I=${t.integratedLufs}:TP=${t.truePeakDb}:LRA=${t.lra}:print_format=json`,
      '-f',
      'null',
      '-',
    ],
    { signal, timeoutMs: 10 * 60_000 },
  );
  const json = stderr.slice(stderr.lastIndexOf('{'), stderr.lastIndexOf('}') + 1);
  const m = JSON.parse(json) as Record<string, string>;
  const integrated = Number(m.input_i);
  if (!Number.isFinite(integrated) || integrated < SILENCE_LUFS) return null;
  return {
    integratedLufs: integrated,
    truePeakDb: Number(m.input_tp),
    lra: Number(m.input_lra),
    threshold: Number(m.input_thresh),
    offset: Number(m.target_offset),
  };
}

/**
 * Integrated loudness of a finished file's audio (ffmpeg's EBU R128 meter); null for silence, which the
 * meter prints as its -70 LUFS gate.
 */
export async function integratedLoudness(file: string, signal?: AbortSignal): Promise<number | null> {
  const { stderr } = await runFfmpeg(
    'ffmpeg',
    ['-v', 'info', '-i', file, '-map', '0:a:0', '-af', 'ebur128=framelog=verbose', '-f', 'null', '-'],
    { signal, timeoutMs: 10 * 60_000 },
  );
  const m = /Integrated loudness:\s*I:\s*(-?[\d.]+|-inf) LUFS/.exec(
    stderr.slice(stderr.lastIndexOf('Summary')),
  );
  const v = m ? Number(m[1]) : NaN;
  return Number.isFinite(v) && v > -70 ? v : null;
}

export interface RenderClipOptions {
  input: string;
  output: string;
  info: VideoInfo;
  startSec: number;
  endSec: number;
  plan: CropPlan;
  /** ASS script file to burn in, or none. */
  captionsFile?: string;
  loudness: Loudness | null;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * Renders the clip: cut, cropped along the plan, scaled, captions burned in, audio normalised to the
 * loudness target (second, linear pass of loudnorm), constant frame rate (at most 30), H.264/AAC MP4
 * with the index at the front for streaming.
 */
export async function renderClip(
  o: RenderClipOptions,
): Promise<{ width: number; height: number; fps: number }> {
  const size = outputSize(o.plan);
  const fps = Math.min(30, Math.max(1, Math.round(o.info.fps)));
  const duration = o.endSec - o.startSec;
  const video = [cropFilter(o.plan), `scale=${size.width}:${size.height}:flags=lanczos`, 'setsar=1'];
  if (o.captionsFile) video.push(`ass=${o.captionsFile}`);
  const graph = [`[0:v:0]${video.join(',')}[v]`];
  const t = LOUDNESS_TARGET;
  if (o.info.hasAudio) {
    const norm = o.loudness
      ? `loudnorm=I=${t.integratedLufs}:TP=${t.truePeakDb}:LRA=${t.lra}:measured_I=${o.loudness.integratedLufs}:measured_TP=${o.loudness.truePeakDb}:measured_LRA=${o.loudness.lra}:measured_thresh=${o.loudness.threshold}:offset=${o.loudness.offset}:linear=true,`
      : '';
    graph.push(`[0:a:0]${norm}aresample=48000[a]`);
  }
  let buffered = '';
  await runFfmpeg(
    'ffmpeg',
    [
      '-v',
      'error',
      '-ss',
      ts(o.startSec),
      '-t',
      ts(duration),
      '-i',
      o.input,
      '-filter_complex',
      graph.join(';'),
      '-map',
      '[v]',
      ...(o.info.hasAudio ? ['-map', '[a]'] : []),
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '21',
      '-pix_fmt',
      'yuv420p',
      '-profile:v',
      'high',
      '-fps_mode',
      'cfr',
      '-r',
      String(fps),
      ...(o.info.hasAudio ? ['-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2'] : []),
      '-movflags',
      '+faststart',
      '-progress',
      'pipe:1',
      '-y',
      o.output,
    ],
    {
      signal: o.signal,
      timeoutMs: 30 * 60_000,
      onStdout: (chunk) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const m = /^out_time_us=(\d+)/.exec(line);
          if (m) o.onProgress?.(Math.min(1, Number(m[1]) / 1e6 / duration));
        }
      },
    },
  );
  return { ...size, fps };
}

/** A looping animated WebP of the clip's first seconds, 240 px wide, for previews in lists. */
export async function renderPreview(input: string, output: string, signal?: AbortSignal): Promise<void> {
  await runFfmpeg(
    'ffmpeg',
    [
      '-v',
      'error',
      '-t',
      '4',
      '-i',
      input,
      '-an',
      '-vf',
      'fps=8,scale=240:-2:flags=lanczos',
      '-c:v',
      'libwebp',
      '-quality',
      '60',
      '-loop',
      '0',
      '-y',
      output,
    ],
    { signal, timeoutMs: 5 * 60_000 },
  );
}
