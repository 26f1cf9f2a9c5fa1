import { rm } from 'node:fs/promises';
import { runFfmpeg } from './ffmpeg.js';

/**
 * One shot of a made-up video: a still photo (slowly zooming) or one of ffmpeg's test patterns. A shot
 * with `dissolveSec` enters by a cross-dissolve of that length over the end of the previous shot (a
 * gradual transition); without it, by a hard cut.
 */
export type Shot = (
  | { image: string; durationSec: number }
  | {
      pattern: 'testsrc2' | 'smptebars' | 'mandelbrot' | 'rgbtestsrc' | 'color';
      color?: string;
      durationSec: number;
    }
  | { text: string; durationSec: number; color?: string }
) & { dissolveSec?: number };

/** A transition placed in a made-up video: a hard cut at atSec, or a dissolve from startSec to endSec. */
export interface PlacedTransition {
  kind: 'cut' | 'dissolve';
  /** The cut, or the middle of the dissolve. */
  atSec: number;
  startSec: number;
  endSec: number;
}

export interface MakeVideoOptions {
  width: number;
  height: number;
  fps?: number;
  /** Speech or any sound laid under the picture (cut or padded with silence to the picture's length). */
  audio?: string;
  /** A 440 Hz tone at this volume (dBFS) when no audio file is given; nothing when both are absent. */
  toneDb?: number;
  /** Container rotation metadata (degrees), as phones write it. */
  rotation?: 90 | 180 | 270;
  /** Font file for text shots. */
  fontFile?: string;
  signal?: AbortSignal;
}

/**
 * Writes an H.264/AAC MP4 made of the given shots, each cut hard against the next or dissolved into it:
 * videos whose transitions are known exactly, for tests and the benchmark. Photos move (a slow zoom),
 * so consecutive frames of a shot differ the way filmed ones do. `cutsSec` has the time of each
 * transition (a dissolve's middle), `transitions` their kind and extent.
 */
export async function makeVideo(
  output: string,
  shots: Shot[],
  o: MakeVideoOptions,
): Promise<{ cutsSec: number[]; transitions: PlacedTransition[] }> {
  const fps = o.fps ?? 25;
  const { width: w, height: h } = o;
  const args: string[] = ['-v', 'error'];
  const chains: string[] = [];
  shots.forEach((shot, i) => {
    const frames = Math.round(shot.durationSec * fps);
    if ('image' in shot) {
      args.push('-loop', '1', '-framerate', String(fps), '-t', String(shot.durationSec), '-i', shot.image);
      chains.push(
        `[${i}:v]scale=${w * 2}:${h * 2}:force_original_aspect_ratio=increase,crop=${w * 2}:${h * 2},` +
          `zoompan=z='min(1.0+0.0015*on,1.3)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=${w}x${h}:fps=${fps},` +
          `trim=end_frame=${frames},setsar=1,format=yuv420p,fps=${fps}[v${i}]`,
      );
    } else if ('text' in shot) {
      args.push(
        '-f',
        'lavfi',
        '-i',
        `color=c=${shot.color ?? 'navy'}:s=${w}x${h}:r=${fps}:d=${shot.durationSec}`,
      );
      const font = o.fontFile ? `fontfile=${o.fontFile}:` : '';
      chains.push(
        `[${i}:v]drawtext=${font}text='${shot.text.replace(/[':\\]/g, '')}':fontcolor=white:fontsize=${Math.round(h / 6)}:x=(w-tw)/2:y=(h-th)/2,setsar=1,format=yuv420p,fps=${fps}[v${i}]`,
      );
    } else {
      const src =
        shot.pattern === 'color'
          ? `color=c=${shot.color ?? 'gray'}:s=${w}x${h}:r=${fps}:d=${shot.durationSec}`
          : `${shot.pattern}=s=${w}x${h}:r=${fps}:d=${shot.durationSec}`;
      args.push('-f', 'lavfi', '-i', src);
      chains.push(`[${i}:v]setsar=1,format=yuv420p,fps=${fps}[v${i}]`);
    }
  });
  // Each shot starts where the previous one ends, less the dissolve it enters with (in whole frames).
  const transitions: PlacedTransition[] = [];
  let at = Math.round(shots[0].durationSec * fps);
  let joined = 'v0';
  shots.slice(1).forEach((shot, k) => {
    const i = k + 1;
    const overlap = Math.min(
      Math.round((shot.dissolveSec ?? 0) * fps),
      Math.round(shots[k].durationSec * fps) - 1,
      Math.round(shot.durationSec * fps) - 1,
    );
    const start = at - Math.max(0, overlap);
    const sec = (frames: number) => Math.round((frames / fps) * 1000) / 1000;
    if (overlap > 0) {
      chains.push(
        `[${joined}][v${i}]xfade=transition=fade:duration=${overlap / fps}:offset=${start / fps},settb=1/${fps}[j${i}]`,
      );
      transitions.push({
        kind: 'dissolve',
        atSec: sec(start + overlap / 2),
        startSec: sec(start),
        endSec: sec(start + overlap),
      });
    } else {
      chains.push(`[${joined}][v${i}]concat=n=2:v=1:a=0,settb=1/${fps}[j${i}]`);
      transitions.push({ kind: 'cut', atSec: sec(start), startSec: sec(start), endSec: sec(start) });
    }
    joined = `j${i}`;
    at = start + Math.round(shot.durationSec * fps);
  });
  const total = at / fps;
  chains.push(`[${joined}]null[v]`);
  const maps = ['-map', '[v]'];
  if (o.audio) {
    args.push('-i', o.audio);
    chains.push(`[${shots.length}:a]apad,atrim=0:${total},aresample=48000[a]`);
    maps.push('-map', '[a]');
  } else if (o.toneDb !== undefined) {
    args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:d=${total}`);
    chains.push(`[${shots.length}:a]volume=${o.toneDb}dB[a]`);
    maps.push('-map', '[a]');
  }
  args.push(
    '-filter_complex',
    chains.join(';'),
    ...maps,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '23',
  );
  args.push('-g', String(fps * 2), '-pix_fmt', 'yuv420p');
  if (maps.length > 2) args.push('-c:a', 'aac', '-b:a', '96k');
  args.push('-movflags', '+faststart', '-y', o.rotation ? `${output}.tmp.mp4` : output);
  await runFfmpeg('ffmpeg', args, { signal: o.signal, timeoutMs: 10 * 60_000 });
  if (o.rotation) {
    // Rotation is container metadata: written by a remux, as a phone writes it beside unrotated frames.
    await runFfmpeg('ffmpeg', [
      '-v',
      'error',
      '-i',
      `${output}.tmp.mp4`,
      '-c',
      'copy',
      '-metadata:s:v:0',
      `rotate=${o.rotation}`,
      '-y',
      output,
    ]);
    await rm(`${output}.tmp.mp4`, { force: true });
  }
  return { cutsSec: transitions.map((t) => t.atSec), transitions };
}
