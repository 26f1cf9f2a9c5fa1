import { describe, expect, it } from 'vitest';
import {
  buildCues,
  formatTimestamp,
  toPlainText,
  toSrt,
  toWebVtt,
  type Transcript,
  type WordTiming,
} from '../src/index.js';

function words(text: string, start: number, step = 0.4): WordTiming[] {
  return text.split(' ').map((word, i) => ({
    word,
    start: start + i * step,
    end: start + i * step + step * 0.9,
    confidence: 0.9,
  }));
}

const transcript: Pick<Transcript, 'segments'> = {
  segments: [
    {
      id: 0,
      start: 0.5,
      end: 9.3,
      text: '',
      confidence: 0.9,
      words: words(
        'and so my fellow americans ask not what your country can do for you ask what you can do for your country',
        0.5,
      ),
    },
    { id: 1, start: 3725.25, end: 3727.1, text: 'breaking news <now> & later', confidence: null, words: [] },
  ],
};
transcript.segments[0].text = transcript.segments[0].words.map((w) => w.word).join(' ');

describe('subtitle timestamps', () => {
  it('formats SRT with a comma and WebVTT with a point, hours always present', () => {
    expect(formatTimestamp(0, 'srt')).toBe('00:00:00,000');
    expect(formatTimestamp(3725.2506, 'srt')).toBe('01:02:05,251');
    expect(formatTimestamp(59.9999, 'vtt')).toBe('00:01:00.000');
    expect(formatTimestamp(36_000.5, 'vtt')).toBe('10:00:00.500');
  });
});

describe('cues', () => {
  it('keeps lines within 42 characters, at most two lines, and at most 7 seconds', () => {
    const cues = buildCues(transcript);
    expect(cues.length).toBeGreaterThanOrEqual(3);
    for (const cue of cues) {
      expect(cue.lines.length).toBeLessThanOrEqual(2);
      for (const line of cue.lines) expect(line.length).toBeLessThanOrEqual(42);
      expect(cue.end - cue.start).toBeLessThanOrEqual(7.0001);
      expect(cue.end).toBeGreaterThan(cue.start);
    }
    // Cues are in order and do not overlap.
    for (let i = 1; i < cues.length; i++) expect(cues[i].start).toBeGreaterThanOrEqual(cues[i - 1].end);
    // No word is lost.
    const all = cues.flatMap((c) => c.lines.join(' ').split(' '));
    const first = transcript.segments[0].words.length;
    expect(all.slice(0, first).join(' ')).toBe(transcript.segments[0].text);
  });

  it('honours a shorter line limit', () => {
    for (const cue of buildCues(transcript, { maxCharsPerLine: 20, maxLines: 1 })) {
      expect(cue.lines).toHaveLength(1);
      expect(cue.lines[0].length).toBeLessThanOrEqual(20);
    }
  });
});

describe('SRT and WebVTT files', () => {
  it('writes numbered SRT blocks separated by blank lines', () => {
    const srt = toSrt(transcript);
    const blocks = srt.trim().split('\n\n');
    expect(blocks.length).toBe(buildCues(transcript).length);
    blocks.forEach((block, i) => {
      const lines = block.split('\n');
      expect(lines[0]).toBe(String(i + 1));
      expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d$/);
      expect(lines.length).toBeGreaterThanOrEqual(3);
    });
    expect(srt).toContain('01:02:05,250 --> ');
  });

  it('writes a WEBVTT header, dotted timestamps and escapes markup characters', () => {
    const vtt = toWebVtt(transcript);
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    expect(vtt).toMatch(/\n00:00:00\.500 --> 00:00:0\d\.\d\d\d\n/);
    expect(vtt).toContain('breaking news &lt;now&gt; &amp; later');
    expect(vtt).not.toMatch(/\d,\d\d\d/);
  });

  it('writes plain text with a paragraph break at long pauses', () => {
    expect(toPlainText(transcript)).toBe(`${transcript.segments[0].text}\n\nbreaking news <now> & later\n`);
  });
});
