import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseWav } from '../audio/wav.js';
import { SpeechError } from '../errors.js';
import { runChecked } from '../util/process.js';
import { withTempDir } from '../util/tmp.js';
import type { PieceEngine, Voice } from './types.js';

const VOICE_ROOT = '/usr/share/festival/voices';

/** The Festival Speech Synthesis System (Debian festival + festvox voices), through its text2wave script. */
export class FestivalEngine implements PieceEngine {
  readonly id = 'festival';
  readonly version = '2.5';
  private list: Promise<Voice[]> | undefined;

  voices(): Promise<Voice[]> {
    this.list ??= (async () => {
      const voices: Voice[] = [];
      for (const lang of await readdir(VOICE_ROOT).catch(() => [] as string[])) {
        for (const name of await readdir(path.join(VOICE_ROOT, lang)).catch(() => [] as string[])) {
          voices.push({
            id: `festival/${name}`,
            name: `${name} (${lang})`,
            language: lang === 'english' ? 'en-US' : lang,
            engine: 'festival',
          });
        }
      }
      return voices;
    })();
    return this.list;
  }

  async defaultVoice(language: string): Promise<string | null> {
    if (!/^en\b/i.test(language)) return null;
    return (await this.voices()).find((v) => v.language === 'en-US')?.id ?? null;
  }

  async render(text: string, voice: string, options: { speed: number; signal?: AbortSignal }) {
    const name = voice.replace(/^festival\//, '');
    if (!/^[a-z0-9_]+$/i.test(name) || !(await this.voices()).some((v) => v.id === `festival/${name}`)) {
      throw new SpeechError('UNKNOWN_VOICE', `festival has no voice "${voice}"`, { voice });
    }
    return withTempDir(async (dir) => {
      const input = path.join(dir, 'in.txt');
      const output = path.join(dir, 'out.wav');
      await writeFile(input, text);
      const stretch = (1 / options.speed).toFixed(3);
      await runChecked(
        'text2wave',
        [
          '-eval',
          `(voice_${name})`,
          '-eval',
          `(Parameter.set 'Duration_Stretch ${stretch})`,
          '-o',
          output,
          input,
        ],
        { timeoutMs: 300_000, signal: options.signal },
      );
      const pcm = parseWav(await readFile(output));
      if (!pcm) throw new SpeechError('ENGINE_FAILED', 'festival wrote an unreadable WAV');
      return pcm;
    });
  }
}
