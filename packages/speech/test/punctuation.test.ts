import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MARKS,
  PERIOD,
  QUESTION,
  defaultPunctuationModel,
  punctuatedWords,
  punctuationScores,
  readableTranscript,
  writeMarks,
  type Mark,
} from '../src/index.js';
import { PUNCTUATION_MODEL_PATH } from '../src/punctuation/model.js';
import { alignMarks } from '../src/punctuation/score.js';
import { trainPunctuation } from '../src/punctuation/train.js';
import { hasPunctuationText, punctuationSplits, sharedDataDir } from '../scripts/punctuation-data.js';

const model = defaultPunctuationModel();
const punctuate = (text: string, pauses?: (number | null)[]) => {
  const words = text.split(' ');
  return writeMarks(words, model.punctuate(words, pauses ? { pauses } : {}));
};

describe('punctuation model', () => {
  it('ends questions with a question mark and statements with a full stop', () => {
    expect(punctuate('what did the minister say about the budget')).toMatch(/budget\?$/);
    expect(punctuate('do you think the vote will pass')).toMatch(/pass\?$/);
    expect(punctuate('is it true that the mayor resigned')).toMatch(/resigned\?$/);
    expect(punctuate('the minister said the budget would pass next week')).toMatch(/week\.$/);
    expect(punctuate('the police said two men were arrested on monday')).not.toContain('?');
  });

  it('finds a sentence end and a comma in words without pauses', () => {
    expect(
      punctuate('the police said two men were arrested on monday however the investigation continues'),
    ).toBe('the police said two men were arrested on monday. however, the investigation continues.');
  });

  it('reads pauses with the words: a long pause ends a sentence, a shorter one makes a comma', () => {
    const words = 'we met the mayor yesterday and we talked about the new bridge'.split(' ');
    const pauses: (number | null)[] = words.map(() => 0);
    pauses[4] = 0.9; // after "yesterday"
    pauses[pauses.length - 1] = null;
    const marks = model.punctuate(words, { pauses });
    expect(marks[4]).toBe(PERIOD);
    const noPause = model.punctuate(words, {
      pauses: words.map((_, i) => (i === words.length - 1 ? null : 0)),
    });
    expect(noPause[4]).not.toBe(PERIOD);
    const commaWords = 'in the end the council voted for the plan'.split(' ');
    const commaPauses: (number | null)[] = commaWords.map(() => 0);
    commaPauses[2] = 0.4; // after "end"
    commaPauses[commaWords.length - 1] = null;
    expect(writeMarks(commaWords, model.punctuate(commaWords, { pauses: commaPauses }))).toBe(
      'in the end, the council voted for the plan.',
    );
  });

  it('writes a transcript with question marks and capitals, its words as recognised', () => {
    const spoken = 'why did the council vote against the plan the mayor said it was a mistake'.split(' ');
    const words = spoken.map((w, i) => ({ word: w, start: i * 0.3, end: i * 0.3 + 0.25, confidence: null }));
    words.slice(8).forEach((w) => {
      w.start += 0.8;
      w.end += 0.8;
    }); // a pause after "plan"
    const t = {
      text: spoken.join(' '),
      segments: [{ id: 0, start: 0, end: words.at(-1)!.end, text: '', confidence: null, words }],
    };
    const r = readableTranscript(t, { truecase: new Map() });
    expect(r.text).toMatch(/^Why did the council vote against the plan\? The mayor said/);
    expect(r.text).toMatch(/mistake\.$/);
    expect(r.segments[0]!.words).toEqual(words);
  });

  it('reads written text as words and marks (abbreviations are not sentence ends)', () => {
    const p = punctuatedWords('Mr. Smith said: yes, it works! Does it? The U.S. agreed.');
    expect(p.words).toEqual([
      'mr',
      'smith',
      'said',
      'yes',
      'it',
      'works',
      'does',
      'it',
      'the',
      'u.s',
      'agreed',
    ]);
    expect(p.marks.map((m) => MARKS[m]).join('')).toBe(',,.?.');
    expect(writeMarks(p.words, p.marks)).toBe('mr smith said, yes, it works. does it? the u.s agreed.');
  });

  it('scores marks along a word alignment (a missed word keeps its reference mark)', () => {
    const ref = { words: ['so', 'we', 'left', 'then'], marks: [1, 0, 2, 2] as Mark[] };
    const hyp = { words: ['so', 'left', 'then'], marks: [1, 2, 2] as Mark[] };
    const aligned = alignMarks(ref, hyp);
    expect(aligned.reference).toEqual([1, 0, 2, 2]);
    expect(aligned.predicted).toEqual([1, 0, 2, 2]);
    const s = punctuationScores([aligned]);
    expect(s.comma.f1).toBe(1);
    expect(s.sentenceBoundary.f1).toBe(1);
  });

  it('trains the same weights from the same text, and learns a pattern it is shown', () => {
    const doc = punctuatedWords(
      Array.from(
        { length: 30 },
        (_, i) => `the report came out on day ${i} officials said. then, a vote followed.`,
      ).join(' '),
    );
    const lexicon = new Map<string, string>();
    const a = trainPunctuation([doc], { lexicon, epochs: 3 });
    const b = trainPunctuation([doc], { lexicon, epochs: 3 });
    expect([...a.weights]).toEqual([...b.weights]);
    const said = a.score(['b', 'w0=said', 'w+1=then']);
    expect(said.indexOf(Math.max(...said))).toBe(PERIOD);
  });

  it('is a compact file and punctuates an hour of speech in well under a second', () => {
    expect(statSync(PUNCTUATION_MODEL_PATH).size).toBeLessThan(2 * 1024 * 1024);
    expect(model.identity).toEqual({ name: 'punctuation-en', version: '1' });
    const words = Array.from(
      { length: 9000 },
      (_, i) => ['the', 'minister', 'said', 'what', 'we', 'will', 'see'][i % 7]!,
    );
    const t0 = performance.now();
    const marks = model.punctuate(words);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(marks.at(-1) === PERIOD || marks.at(-1) === QUESTION).toBe(true);
  });
});

describe.skipIf(
  !hasPunctuationText &&
    (console.warn(`[skip] punctuation on held-out text: ${sharedDataDir}/text is absent`), true),
)('punctuation of held-out news text', () => {
  it('restores full stops and commas in words it was never trained on, far above sentence ends from pauses', () => {
    const { heldOut } = punctuationSplits();
    const after = punctuationScores(
      heldOut.map((d) => ({ reference: d.marks, predicted: model.punctuate(d.words) })),
    );
    const before = punctuationScores(
      heldOut.map((d) => ({
        reference: d.marks,
        predicted: d.words.map((_, i): Mark => (i === d.words.length - 1 ? PERIOD : 0)),
      })),
    );
    expect(before.sentenceBoundary.f1).toBe(0);
    expect(after.sentenceBoundary.f1).toBeGreaterThan(0.3);
    expect(after.sentenceBoundary.precision).toBeGreaterThan(0.35);
    expect(after.period.f1).toBeGreaterThan(0.3);
    expect(after.comma.f1).toBeGreaterThan(0.28);
  });
});
