import { describe, expect, it } from 'vitest';
import { splitSentences } from '../src/index.js';

const texts = (t: string, lang?: string) => splitSentences(t, lang ? { lang } : {}).map((s) => s.text);

describe('splitSentences', () => {
  it('keeps titles, initials, decimals and U.S. inside sentences', () => {
    expect(
      texts(
        'Mr. Smith paid $12.5 million to Dr. J. R. Jones of Acme Corp. on Monday. Shares rose 3.2% in the U.S. The deal closes in Q3.',
      ),
    ).toEqual([
      'Mr. Smith paid $12.5 million to Dr. J. R. Jones of Acme Corp. on Monday.',
      'Shares rose 3.2% in the U.S.',
      'The deal closes in Q3.',
    ]);
  });

  it('does not split "U.S. President", "e.g." or "No. 5"', () => {
    expect(
      texts('The U.S. President met him, e.g. at the summit. He was ranked No. 5 in the world.'),
    ).toEqual(['The U.S. President met him, e.g. at the summit.', 'He was ranked No. 5 in the world.']);
  });

  it('keeps closing quotes with their sentence and does not split before a lower-case attribution', () => {
    expect(
      texts('"We are suffering," she said. "Help!" he shouted. He said: "It is over." Then he left.'),
    ).toEqual([
      '"We are suffering," she said.',
      '"Help!" he shouted.',
      'He said: "It is over."',
      'Then he left.',
    ]);
  });

  it('handles ellipses, ?! and paragraph breaks', () => {
    expect(
      texts(
        'Wait... what happened? Nobody knows!? Really.\n\nNew paragraph without a stop\nNext line continues.',
      ),
    ).toEqual([
      'Wait... what happened?',
      'Nobody knows!?',
      'Really.',
      'New paragraph without a stop\nNext line continues.',
    ]);
  });

  it('Spanish: ¿ ¡ and abbreviations', () => {
    expect(texts('¿Dónde está el Sr. García? ¡No lo sé! La Dra. Pérez llegó a EE.UU. ayer.', 'es')).toEqual([
      '¿Dónde está el Sr. García?',
      '¡No lo sé!',
      'La Dra. Pérez llegó a EE.UU. ayer.',
    ]);
  });

  it('French: « » with spaces and M. / Mme', () => {
    expect(
      texts(
        'M. Dupont a déclaré : « C’est fini. » Mme Martin est partie. Pourquoi ? Personne ne sait.',
        'fr',
      ),
    ).toEqual([
      'M. Dupont a déclaré : « C’est fini. »',
      'Mme Martin est partie.',
      'Pourquoi ?',
      'Personne ne sait.',
    ]);
  });

  it('German: ordinals before month names and z.B.', () => {
    expect(
      texts('Am 3. Oktober feiert Deutschland. Es gibt z.B. Konzerte in Berlin. Dr. Müller kommt.', 'de'),
    ).toEqual(['Am 3. Oktober feiert Deutschland.', 'Es gibt z.B. Konzerte in Berlin.', 'Dr. Müller kommt.']);
  });

  it('lower-cased tokenized text (CNN/DailyMail style)', () => {
    const t =
      "( cnn ) two heroes survived . `` we are suffering , '' said koirala . dr. laura stachel 's group helped .";
    expect(texts(t)).toEqual([
      '( cnn ) two heroes survived .',
      "`` we are suffering , '' said koirala .",
      "dr. laura stachel 's group helped .",
    ]);
  });

  it('returns offsets into the original text', () => {
    const src = '  First one.   Second one!  ';
    for (const s of splitSentences(src)) expect(src.slice(s.start, s.end)).toBe(s.text);
    expect(splitSentences(src).map((s) => s.index)).toEqual([0, 1]);
  });
});
