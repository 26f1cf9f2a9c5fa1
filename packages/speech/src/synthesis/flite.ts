import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseWav } from '../audio/wav.js';
import { SpeechError } from '../errors.js';
import { runChecked } from '../util/process.js';
import { withTempDir } from '../util/tmp.js';
import type { PieceEngine, Voice } from './types.js';

const FLITE_VOICES: Voice[] = [
  { id: 'flite/slt', name: 'SLT (US English, female)', language: 'en-US', gender: 'female', engine: 'flite' },
  { id: 'flite/rms', name: 'RMS (US English, male)', language: 'en-US', gender: 'male', engine: 'flite' },
  {
    id: 'flite/awb',
    name: 'AWB (Scottish English, male)',
    language: 'en-GB',
    gender: 'male',
    engine: 'flite',
  },
  {
    id: 'flite/kal16',
    name: 'KAL (US English, male, diphone)',
    language: 'en-US',
    gender: 'male',
    engine: 'flite',
  },
];

/** CMU Flite (Debian flite): fast, intelligible English; slt is the default voice. */
export class FliteEngine implements PieceEngine {
  readonly id = 'flite';
  readonly version = '2.2';

  async voices(): Promise<Voice[]> {
    return FLITE_VOICES;
  }

  async defaultVoice(language: string): Promise<string | null> {
    return /^en\b/i.test(language) ? 'flite/slt' : null;
  }

  async render(text: string, voice: string, options: { speed: number; signal?: AbortSignal }) {
    const name = voice.replace(/^flite\//, '');
    if (!FLITE_VOICES.some((v) => v.id === `flite/${name}`)) {
      throw new SpeechError('UNKNOWN_VOICE', `flite has no voice "${voice}"`, { voice });
    }
    return withTempDir(async (dir) => {
      const input = path.join(dir, 'in.txt');
      const output = path.join(dir, 'out.wav');
      await writeFile(input, text);
      await runChecked(
        'flite',
        [
          '-voice',
          name,
          '--setf',
          `duration_stretch=${(1 / options.speed).toFixed(3)}`,
          '-f',
          input,
          '-o',
          output,
        ],
        { timeoutMs: 120_000, signal: options.signal },
      );
      const pcm = parseWav(await readFile(output));
      if (!pcm) throw new SpeechError('ENGINE_FAILED', 'flite wrote an unreadable WAV');
      return pcm;
    });
  }
}
