import { describe, expect, it } from 'vitest';
import { concatPcm, detectSpeech, planChunks, silence } from '../src/index.js';
import { noise, sine } from './helpers.js';

/** A syllable-like burst: a tone with a 4 Hz amplitude envelope, as speech rises and falls. */
function burst(seconds: number, freq = 220) {
  const pcm = sine(freq, seconds, 16_000, 0.3);
  for (let i = 0; i < pcm.samples.length; i++) {
    pcm.samples[i] = Math.round(pcm.samples[i] * (0.55 + 0.45 * Math.sin((2 * Math.PI * 4 * i) / 16_000)));
  }
  return pcm;
}

describe('voice activity detection', () => {
  it('finds speech between pauses over a noise floor', () => {
    const floor = (s: number) => noise(s, -60);
    const pcm = concatPcm([floor(1), burst(2), floor(1.5), burst(1), floor(1)]);
    const { regions } = detectSpeech(pcm);
    expect(regions).toHaveLength(2);
    expect(regions[0].start).toBeCloseTo(1 - 0.25, 1);
    expect(regions[0].end).toBeCloseTo(3 + 0.25, 1);
    expect(regions[1].start).toBeCloseTo(4.5 - 0.25, 1);
  });

  it('bridges short pauses and ignores clicks', () => {
    const pcm = concatPcm([
      silence(1, 16_000),
      burst(1),
      silence(0.15, 16_000),
      burst(1),
      silence(1, 16_000),
      burst(0.03),
      silence(1, 16_000),
    ]);
    expect(detectSpeech(pcm).regions).toHaveLength(1);
  });

  it('finds nothing in steady noise, however loud', () => {
    expect(detectSpeech(noise(5, -20)).regions).toHaveLength(0);
  });
});

describe('chunk planning', () => {
  it('never exceeds the maximum chunk length and splits a long monologue at its quietest point', () => {
    const parts = [];
    for (let i = 0; i < 12; i++) parts.push(burst(4), noise(0.12, -45, 16_000, i + 2));
    const pcm = concatPcm(parts);
    const { chunks } = planChunks(pcm, { maxChunkSec: 10 });
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    for (const c of chunks) expect(c.end - c.start).toBeLessThanOrEqual(10.0001);
    for (let i = 1; i < chunks.length; i++)
      expect(chunks[i].start).toBeGreaterThanOrEqual(chunks[i - 1].end - 1e-9);
  });

  it('keeps silence out of chunks and breaks at long pauses', () => {
    const pcm = concatPcm([silence(2, 16_000), burst(5), silence(3, 16_000), burst(5), silence(2, 16_000)]);
    const { chunks } = planChunks(pcm);
    expect(chunks).toHaveLength(2);
    expect(chunks[0].start).toBeGreaterThan(1.5);
    expect(chunks[1].start).toBeGreaterThan(9.5);
  });
});
