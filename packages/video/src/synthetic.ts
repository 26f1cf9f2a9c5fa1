import { rm } from 'node:fs/promises';
import { runFfmpeg } from './ffmpeg.js';

/** One shot of a made-up video: a still photo (slowly zooming) or one of ffmpeg's test patterns. */
export type Shot =
  | { image: string; durationSec: number }
  | {
      pattern: 'testsrc2' | 'smptebars' | 'mandelbrot' | 'rgbtestsrc' | 'color';
      color?: string;
      durationSec: number;
    }
  | { text: string; durationSec: number; color?: string };

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
 * Writes an H.264/AAC MP4 made of the given shots, each cut hard against the next: videos whose cuts
 * are known exactly, for tests and the benchmark. Photos move (a slow zoom), so consecutive frames of
 * a shot differ the way filmed ones do.
 */
export async function makeVideo(
  output: string,
  shots: Shot[],
  o: MakeVideoOptions,
): Promise<{ cutsSec: number[] }> {
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
          `trim=end_frame=${frames},setsar=1,format=yuv420p[v${i}]`,
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
        `[${i}:v]drawtext=${font}text='${shot.text.replace(/[':\\]/g, '')}':fontcolor=white:fontsize=${Math.round(h / 6)}:x=(w-tw)/2:y=(h-th)/2,setsar=1,format=yuv420p[v${i}]`,
      );
    } else {
      const src =
        shot.pattern === 'color'
          ? `color=c=${shot.color ?? 'gray'}:s=${w}x${h}:r=${fps}:d=${shot.durationSec}`
          : `${shot.pattern}=s=${w}x${h}:r=${fps}:d=${shot.durationSec}`;
      args.push('-f', 'lavfi', '-i', src);
      chains.push(`[${i}:v]setsar=1,format=yuv420p[v${i}]`);
    }
  });
  const total = shots.reduce((s, x) => s + Math.round(x.durationSec * fps), 0) / fps;
  chains.push(`${shots.map((_, i) => `[v${i}]`).join('')}concat=n=${shots.length}:v=1:a=0[v]`);
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
  const cutsSec: number[] = [];
  let at = 0;
  for (const shot of shots.slice(0, -1)) {
    at += Math.round(shot.durationSec * fps) / fps;
    cutsSec.push(Math.round(at * 1000) / 1000);
  }
  return { cutsSec };
}
