import { describe, expect, it } from 'vitest';
import { splitSentences } from '../src/index.js';

const texts = (input: string): string[] => splitSentences(input).map((p) => p.text);

describe('sentence segmentation', () => {
  it('splits on terminators followed by a capital and keeps abbreviations, initials and acronyms', () => {
    expect(
      texts(
        'Mr. Smith met Dr. J. K. Rowling in the U.S. on Monday. He said "Hello." Then he left!  Was it late? Yes.',
      ),
    ).toEqual([
      'Mr. Smith met Dr. J. K. Rowling in the U.S. on Monday.',
      'He said "Hello."',
      'Then he left!',
      'Was it late?',
      'Yes.',
    ]);
    expect(texts('El Sr. García llegó ayer. ¿Qué pasó? Nada.')).toEqual([
      'El Sr. García llegó ayer.',
      '¿Qué pasó?',
      'Nada.',
    ]);
    expect(texts('Prices rose 3.5 per cent. Markets fell.')).toEqual([
      'Prices rose 3.5 per cent.',
      'Markets fell.',
    ]);
  });

  it('splits full-width terminators without spaces and keeps closing placeholders with their sentence', () => {
    expect(texts('東京は大きい。大阪も大きい。')).toEqual(['東京は大きい。', '大阪も大きい。']);
    expect(texts('Read ⟦1⟧this.⟦2⟧ Then ⟦3⟧that⟦4⟧.')).toEqual(['Read ⟦1⟧this.⟦2⟧', 'Then ⟦3⟧that⟦4⟧.']);
  });

  it('reads "a. C." and "d. C." as one abbreviation, which ends a sentence only before a capital', () => {
    expect(texts('Julio César murió en el año 44 a. C. en Roma. Fue asesinado.')).toEqual([
      'Julio César murió en el año 44 a. C. en Roma.',
      'Fue asesinado.',
    ]);
    expect(texts('Vivió del 100 d. C. al 44 d. C. y murió. Nació en el 63 a. C. Augusto reinó.')).toEqual([
      'Vivió del 100 d. C. al 44 d. C. y murió.',
      'Nació en el 63 a. C.',
      'Augusto reinó.',
    ]);
    // lower-case single letters elsewhere still end sentences, capitals stay initials
    expect(texts('Plan b. Then J. K. Rowling spoke.')).toEqual(['Plan b.', 'Then J. K. Rowling spoke.']);
  });

  it('gives the input back when pieces are joined', () => {
    const input = 'One.  Two!\tThree? four. Five ';
    expect(
      splitSentences(input)
        .map((p) => p.text + p.separator)
        .join(''),
    ).toBe(input);
  });
});
