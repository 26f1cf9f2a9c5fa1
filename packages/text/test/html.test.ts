import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../src/index.js';

describe('htmlToText', () => {
  it('turns an invalid code point into U+FFFD instead of throwing', () => {
    expect(htmlToText('<p>Price &#99999999; up</p>')).toBe('Price \uFFFD up');
    expect(htmlToText('Plain &#99999999; text')).toBe('Plain \uFFFD text');
    expect(htmlToText('<p>&#xD800;&#0;&#x110000;</p>')).toBe('\uFFFD\uFFFD\uFFFD');
  });

  it('decodes hex, decimal and named references', () => {
    expect(
      htmlToText('<p>&#x41;&#X42;&#67; &eacute;t&eacute; &amp; &lt;b&gt; &hellip;&nbsp;&#x1F600;</p>'),
    ).toBe('ABC été & <b> … 😀');
    expect(decodeEntities('caf&#xe9; &quot;ok&quot; &#39;x&#39; &apos;y&apos;')).toBe(`café "ok" 'x' 'y'`);
  });

  it('keeps paragraphs and line breaks, drops scripts, styles and comments', () => {
    const html =
      '<h1>Title</h1><p>First  para<br>next line.</p><script>alert("x")</script><style>p{}</style>' +
      '<!-- note --><ul><li>one</li><li>two</li></ul><p>Last <b>bold</b> word.</p>';
    expect(htmlToText(html)).toBe('Title\n\nFirst para\nnext line.\n\none\n\ntwo\n\nLast bold word.');
  });

  it('leaves plain text lines as they are', () => {
    expect(htmlToText('  Line one.\nLine two & three.  ')).toBe('Line one.\nLine two & three.');
  });
});
