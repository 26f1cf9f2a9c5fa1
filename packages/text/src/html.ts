import { decodeHTML } from 'entities';

/** Tags that end a paragraph (or a block standing for one): they become a blank line. */
const BLOCK_END =
  /<\/(?:p|div|h[1-6]|li|ul|ol|blockquote|section|article|header|footer|figure|figcaption|tr|table|pre)\s*>/gi;
const BLOCK_START =
  /<(?:p|div|h[1-6]|li|ul|ol|blockquote|section|article|header|footer|figure|figcaption|tr|table|pre)\b[^>]*>/gi;
const LOOKS_LIKE_HTML = /<[a-z!/][^>]*>/i;

/**
 * The words of an article body that may be HTML: scripts, styles and comments dropped, tags removed,
 * paragraphs and blocks separated by a blank line, `<br>` by a line break, and every character
 * reference decoded (named, decimal and hex; a reference to an invalid code point, such as
 * `&#99999999;` or a lone surrogate, becomes U+FFFD instead of failing). Plain text keeps its lines
 * and only has its character references decoded.
 */
export function htmlToText(body: string): string {
  if (!LOOKS_LIKE_HTML.test(body)) return decodeHTML(body).trim();
  const text = body
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(BLOCK_END, '\n\n')
    .replace(BLOCK_START, '\n\n')
    .replace(/<[^>]*>/g, ' ');
  return decodeHTML(text)
    .replace(/\u00A0/g, ' ')
    .replace(/[ \t\r\f\v]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Decodes HTML character references only (named, decimal, hex); invalid code points become U+FFFD. */
export function decodeEntities(text: string): string {
  return decodeHTML(text);
}
