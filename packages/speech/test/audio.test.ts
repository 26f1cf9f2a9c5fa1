import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  concatPcm,
  decodeAudio,
  encodeWav,
  isSpeechError,
  parseWav,
  silence,
  type SpeechErrorCode,
} from '../src/index.js';
import { hasFormats, noise, reportSkip, sine, speechDataDir, withTmp } from './helpers.js';

async function expectCode(promise: Promise<unknown>, code: SpeechErrorCode): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (!isSpeechError(error)) throw error;
    expect(error.code).toBe(code);
    return error.message;
  }
  throw new Error(`expected a ${code} error`);
}

describe.skipIf(reportSkip(hasFormats, 'decoding of speech/formats'))(
  'decoding real files in every format',
  () => {
    const formats = path.join(speechDataDir, 'formats');
    const expected: Record<string, number> = { fmt_jfk: 11.0, fmt_lj1: 9.66 };

    for (const file of [
      'fmt_jfk.flac',
      'fmt_jfk.mp3',
      'fmt_jfk.ogg',
      'fmt_jfk.opus',
      'fmt_lj1.flac',
      'fmt_lj1.mp3',
    ]) {
      it(`decodes ${file} to 16 kHz mono with the right length`, async () => {
        const decoded = await decodeAudio(path.join(formats, file));
        expect(decoded.pcm.sampleRate).toBe(16_000);
        expect(decoded.durationSec).toBeGreaterThan(expected[file.split('.')[0]] - 0.15);
        expect(decoded.durationSec).toBeLessThan(expected[file.split('.')[0]] + 0.15);
        expect(decoded.rmsDb).toBeGreaterThan(-40);
      });
    }

    it('decodes m4a (AAC) and the audio track of an mp4 video, also from bytes', async () => {
      await withTmp(async (dir) => {
        const src = path.join(formats, 'fmt_jfk.flac');
        const m4a = path.join(dir, 'clip.m4a');
        const mp4 = path.join(dir, 'clip.mp4');
        execFileSync('ffmpeg', ['-v', 'error', '-i', src, '-t', '4', '-c:a', 'aac', '-b:a', '64k', m4a]);
        execFileSync('ffmpeg', [
          '-v',
          'error',
          '-f',
          'lavfi',
          '-i',
          'color=c=blue:s=64x64:d=4',
          '-i',
          src,
          '-t',
          '4',
          '-c:v',
          'libx264',
          '-c:a',
          'aac',
          '-shortest',
          mp4,
        ]);
        const fromFile = await decodeAudio(m4a);
        expect(fromFile.info.format).toContain('m4a');
        expect(fromFile.durationSec).toBeCloseTo(4, 0);
        const fromBytes = await decodeAudio(await readFile(mp4));
        expect(fromBytes.info.hasVideo).toBe(true);
        expect(fromBytes.durationSec).toBeGreaterThan(3.8);
        expect(fromBytes.pcm.sampleRate).toBe(16_000);
      });
    });
  },
);

describe.skipIf(reportSkip(hasFormats, 'in-process WAV reading'))('plain WAV recordings', () => {
  const ffmpegPcm = (file: string) =>
    execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-ac', '1', '-ar', '16000', '-f', 's16le', 'pipe:1']);

  for (const name of ['jfk.wav', 'lj_LJ001-0002.wav']) {
    it(`reads ${name} without ffprobe to exactly what ffmpeg decodes`, async () => {
      const file = path.join(speechDataDir, name);
      const decoded = await decodeAudio(file);
      expect(decoded.info.format).toBe('wav');
      expect(decoded.pcm.sampleRate).toBe(16_000);
      const reference = ffmpegPcm(file);
      expect(decoded.pcm.samples.length).toBe(reference.length / 2);
      expect(Buffer.from(decoded.pcm.samples.buffer).equals(reference)).toBe(true);
    });
  }

  it('still sends a truncated WAV file through ffmpeg', async () => {
    const mono = encodeWav(sine(300, 2, 16_000, 0.3));
    // announces 2 s, holds 1 s: ffmpeg reads what is there
    const cut = await decodeAudio(mono.subarray(0, 44 + 32_000));
    expect(cut.durationSec).toBeCloseTo(1, 1);
    expect(cut.info.audio[0].codec).toBe('pcm_s16le');
  });
});

describe('rejecting bad input with clear errors', () => {
  it('rejects an empty file as CORRUPT', async () => {
    await withTmp(async (dir) => {
      await writeFile(path.join(dir, 'empty.wav'), '');
      expect(await expectCode(decodeAudio(path.join(dir, 'empty.wav')), 'CORRUPT')).toMatch(/empty/);
    });
  });

  it('rejects a WAV header followed by garbage as CORRUPT', async () => {
    const header = encodeWav(sine(440, 0.01)).subarray(0, 12);
    const garbage = Buffer.alloc(20_000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 251;
    await expectCode(decodeAudio(Buffer.concat([header, garbage])), 'CORRUPT');
  });

  it('rejects a truncated FLAC as CORRUPT, saying how much could be read', async () => {
    await withTmp(async (dir) => {
      const wav = path.join(dir, 'tone.wav');
      const flac = path.join(dir, 'tone.flac');
      await writeFile(wav, encodeWav(concatPcm([sine(300, 4), noise(4, -20)])));
      execFileSync('ffmpeg', ['-v', 'error', '-i', wav, flac]);
      const bytes = await readFile(flac);
      const message = await expectCode(
        decodeAudio(bytes.subarray(0, Math.floor(bytes.length / 4))),
        'CORRUPT',
      );
      expect(message).toMatch(/truncated|damaged/);
    });
  });

  it('rejects text, images and silent videos as UNSUPPORTED_MEDIA', async () => {
    await expectCode(decodeAudio(Buffer.from('This is a press release, not audio.\n')), 'UNSUPPORTED_MEDIA');
    await withTmp(async (dir) => {
      const png = path.join(dir, 'a.png');
      const mp4 = path.join(dir, 'v.mp4');
      execFileSync('ffmpeg', [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        'color=c=red:s=32x32',
        '-frames:v',
        '1',
        png,
      ]);
      execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=s=32x32:d=1', mp4]);
      await expectCode(decodeAudio(png), 'UNSUPPORTED_MEDIA');
      expect(await expectCode(decodeAudio(mp4), 'UNSUPPORTED_MEDIA')).toMatch(/no audio track/);
    });
  });

  it('rejects digital silence and near-silence as SILENT, but accepts quiet speech-level audio', async () => {
    await expectCode(decodeAudio(encodeWav(silence(3, 16_000))), 'SILENT');
    await expectCode(decodeAudio(encodeWav(noise(3, -72))), 'SILENT');
    const quiet = await decodeAudio(encodeWav(concatPcm([silence(1, 16_000), sine(200, 1, 16_000, 0.02)])));
    expect(quiet.durationSec).toBeCloseTo(2, 1);
  });

  it('rejects audio over the duration limit as TOO_LONG before decoding it', async () => {
    const message = await expectCode(decodeAudio(encodeWav(sine(440, 5)), { maxDurationSec: 2 }), 'TOO_LONG');
    expect(message).toMatch(/limit is 2 s/);
  });

  it('reports a missing file as INVALID_INPUT', async () => {
    await expectCode(decodeAudio('/nonexistent/recording.wav'), 'INVALID_INPUT');
  });

  it('round-trips PCM through the WAV writer and reader', () => {
    const pcm = sine(1000, 0.1, 22_050);
    const back = parseWav(encodeWav(pcm));
    expect(back?.sampleRate).toBe(22_050);
    expect(Array.from(back?.samples ?? [])).toEqual(Array.from(pcm.samples));
  });
});
