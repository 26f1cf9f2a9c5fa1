import { describe, expect, it } from 'vitest';
import { abbreviationKind, sentencePieces, splitSentences } from '../src/index.js';

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

  it('splits after full-width and non-Latin terminators, and before letters of scripts without case', () => {
    expect(texts('東京は大きい。大阪も大きい。')).toEqual(['東京は大きい。', '大阪も大きい。']);
    expect(texts('Tout va bien? Oui. ¿Y tú? Sí.', 'es')).toEqual(['Tout va bien?', 'Oui.', '¿Y tú?', 'Sí.']);
    expect(texts('क्या हाल है। सब ठीक है।')).toEqual(['क्या हाल है।', 'सब ठीक है।']);
  });

  it('keeps inline markers with the sentence they close and reads the word after opening ones', () => {
    const inline = /\u27E6\d+\u27E7/y;
    const split = (t: string) => splitSentences(t, { inline }).map((s) => s.text);
    expect(split('Read ⟦1⟧this.⟦2⟧ Then ⟦3⟧that⟦4⟧.')).toEqual(['Read ⟦1⟧this.⟦2⟧', 'Then ⟦3⟧that⟦4⟧.']);
    expect(split('Ask ⟦1⟧Mr.⟦2⟧ Smith. ⟦3⟧Then go.')).toEqual(['Ask ⟦1⟧Mr.⟦2⟧ Smith.', '⟦3⟧Then go.']);
    // Without the option the markers are text, and "Mr.⟦2⟧" is not read as a title.
    expect(texts('Ask Mr.⟦2⟧ Smith.')).toEqual(['Ask Mr.⟦2⟧ Smith.']);
  });

  it('reads a spaced dash as punctuation, not as an opener', () => {
    expect(texts('The ring is 27km long! - is needed for that. Next one.')).toEqual([
      'The ring is 27km long! - is needed for that.',
      'Next one.',
    ]);
  });

  it('with abbreviations: false, ends sentences at every period before a capital (normalised speech text)', () => {
    const t = 'Doctor Smith arrived at nine A M. He left. "Why?" she asked.';
    expect(splitSentences(t, { abbreviations: false }).map((s) => s.text)).toEqual([
      'Doctor Smith arrived at nine A M.',
      'He left.',
      '"Why?" she asked.',
    ]);
    expect(texts(t)).toEqual(['Doctor Smith arrived at nine A M. He left.', '"Why?" she asked.']);
  });

  it('gives the input back from its pieces, whitespace included', () => {
    for (const input of ['One.  Two!\tThree? four. Five ', '  lead. Then more.\n', '   ', '']) {
      const pieces = sentencePieces(input);
      expect(pieces.map((p) => p.text + p.separator).join('')).toBe(input);
      for (const p of pieces) expect(p.separator.trim()).toBe('');
    }
    expect(sentencePieces('One.  Two!').map((p) => p.text)).toEqual(['One.', 'Two!']);
  });

  it('one abbreviation list for every language', () => {
    expect(abbreviationKind('mr', 'en')).toBe('title');
    expect(abbreviationKind('mr', 'de')).toBe('title');
    expect(abbreviationKind('vds', 'es')).toBe('title');
    expect(abbreviationKind('u.s', 'fr')).toBe('other');
    expect(abbreviationKind('house', 'en')).toBe('none');
  });
});
