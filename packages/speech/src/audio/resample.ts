import { runChecked } from '../util/process.js';
import { pcmBytes, pcmFromBytes, type Pcm } from './pcm.js';

/** Resamples mono PCM with ffmpeg's resampler. */
export async function resamplePcm(pcm: Pcm, sampleRate: number, signal?: AbortSignal): Promise<Pcm> {
  if (pcm.sampleRate === sampleRate) return pcm;
  const { stdout } = await runChecked(
    'ffmpeg',
    [
      '-nostdin',
      '-v',
      'error',
      '-f',
      's16le',
      '-ar',
      String(pcm.sampleRate),
      '-ac',
      '1',
      '-i',
      'pipe:0',
      '-ar',
      String(sampleRate),
      '-f',
      's16le',
      'pipe:1',
    ],
    { stdin: pcmBytes(pcm), signal, timeoutMs: 120_000 },
  );
  return pcmFromBytes(stdout, sampleRate);
}
