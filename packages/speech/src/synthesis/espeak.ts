import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseWav } from '../audio/wav.js';
import { SpeechError } from '../errors.js';
import { runChecked } from '../util/process.js';
import { withTempDir } from '../util/tmp.js';
import type { PieceEngine, Voice } from './types.js';

/** eSpeak NG (Debian espeak-ng): robotic but speaks ~100 languages; the engine for everything but English. */
export class EspeakEngine implements PieceEngine {
  readonly id = 'espeak-ng';
  readonly version = '1.51';
  private list: Promise<Voice[]> | undefined;

  voices(): Promise<Voice[]> {
    this.list ??= (async () => {
      const { stdout } = await runChecked('espeak-ng', ['--voices'], { timeoutMs: 30_000 });
      const voices: Voice[] = [];
      const seen = new Set<string>();
      for (const line of stdout.toString('utf8').split('\n').slice(1)) {
        const m = /^\s*\d+\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/.exec(line);
        if (!m) continue;
        const [, lang, ageGender, name, file] = m;
        if (file.startsWith('mb/') || seen.has(lang)) continue; // mbrola voices need the mbrola package
        seen.add(lang);
        const g = ageGender.split('/')[1];
        voices.push({
          id: `espeak/${lang}`,
          name: name.replace(/_/g, ' '),
          language: lang,
          gender: g === 'F' ? 'female' : g === 'M' ? 'male' : undefined,
          engine: 'espeak-ng',
        });
      }
      return voices;
    })();
    this.list.catch(() => (this.list = undefined));
    return this.list;
  }

  async defaultVoice(language: string): Promise<string | null> {
    const voices = await this.voices();
    const want = language.toLowerCase();
    const exact = voices.find((v) => v.language.toLowerCase() === want);
    const base = voices.find((v) => v.language.toLowerCase() === want.split('-')[0]);
    return (exact ?? base)?.id ?? null;
  }

  async render(text: string, voice: string, options: { speed: number; signal?: AbortSignal }) {
    const lang = voice.replace(/^espeak\//, '');
    if (!(await this.voices()).some((v) => v.id === `espeak/${lang}`)) {
      throw new SpeechError('UNKNOWN_VOICE', `espeak-ng has no voice "${voice}"`, { voice });
    }
    return withTempDir(async (dir) => {
      const input = path.join(dir, 'in.txt');
      const output = path.join(dir, 'out.wav');
      await writeFile(input, text);
      const wpm = Math.round(165 * options.speed);
      await runChecked('espeak-ng', ['-v', lang, '-s', String(wpm), '-f', input, '-w', output], {
        timeoutMs: 120_000,
        signal: options.signal,
      });
      const pcm = parseWav(await readFile(output));
      if (!pcm) throw new SpeechError('ENGINE_FAILED', 'espeak-ng wrote an unreadable WAV');
      return pcm;
    });
  }
}
