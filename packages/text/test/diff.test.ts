import { describe, expect, it } from 'vitest';
import { wordDiff } from '../src/index.js';

describe('wordDiff', () => {
  it('shows the words an editor changed, and both texts join back from the parts', () => {
    const before = 'The mayor said 9,999 people left the city on Monday.';
    const after = 'The mayor said 999 people left the old city on Monday.';
    const parts = wordDiff(before, after);
    expect(parts).toEqual([
      { op: 'equal', text: 'The mayor said ' },
      { op: 'delete', text: '9,999' },
      { op: 'insert', text: '999' },
      { op: 'equal', text: ' people left the' },
      { op: 'insert', text: ' old' },
      { op: 'equal', text: ' city on Monday.' },
    ]);
    expect(wordDiff('Fishermen welcomed it.', 'Fishermen welcomed it. The vote was 30 to 11.')).toEqual([
      { op: 'equal', text: 'Fishermen welcomed it.' },
      { op: 'insert', text: ' The vote was 30 to 11.' },
    ]);
    const join = (ops: string[]) =>
      parts
        .filter((p) => ops.includes(p.op))
        .map((p) => p.text)
        .join('');
    expect(join(['equal', 'delete'])).toBe(before);
    expect(join(['equal', 'insert'])).toBe(after);
  });

  it('answers one equal part for unchanged text and handles empty sides', () => {
    expect(wordDiff('same text', 'same text')).toEqual([{ op: 'equal', text: 'same text' }]);
    expect(wordDiff('', 'new')).toEqual([{ op: 'insert', text: 'new' }]);
    expect(wordDiff('old', '')).toEqual([{ op: 'delete', text: 'old' }]);
  });
});
