import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { DocumentTemplate, Run, type Part } from './template.js';

type Token =
  | { kind: 'text'; raw: string }
  | { kind: 'start'; raw: string; name: string; selfClosing: boolean }
  | { kind: 'end'; raw: string; name: string }
  | { kind: 'other'; raw: string }; // comment, doctype, CDATA, processing instruction, broken tag

/** Elements that flow inside a sentence: they become placeholders. */
const INLINE = new Set([
  'a',
  'abbr',
  'acronym',
  'b',
  'bdi',
  'bdo',
  'big',
  'cite',
  'data',
  'del',
  'dfn',
  'em',
  'font',
  'i',
  'img',
  'ins',
  'label',
  'mark',
  'nobr',
  'q',
  's',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'time',
  'tt',
  'u',
  'wbr',
  'abbr',
  'ruby',
  'rt',
  'rp',
  'picture',
  'source',
]);
/** Elements whose content is never translated: code, scripts, embedded languages. */
const OPAQUE = new Set([
  'script',
  'style',
  'pre',
  'code',
  'kbd',
  'samp',
  'var',
  'svg',
  'math',
  'template',
  'textarea',
  'noscript',
  'iframe',
  'object',
]);
const OPAQUE_INLINE = new Set(['code', 'kbd', 'samp', 'var', 'math', 'svg']);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp']);
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Attributes whose values people read. */
const TRANSLATED_ATTRIBUTES = new Set(['alt', 'title']);

export interface HtmlOptions {
  /** Also translate these attributes (besides alt and title). */
  readonly attributes?: readonly string[];
}

/** Builds a template from HTML: text and inline markup as segments, everything else kept byte for byte. */
export function parseHtml(
  html: string,
  options: HtmlOptions = {},
  template = new DocumentTemplate(),
): DocumentTemplate {
  const tokens = tokenize(html, template.warnings);
  const attributes = new Set([
    ...TRANSLATED_ATTRIBUTES,
    ...(options.attributes ?? []).map((a) => a.toLowerCase()),
  ]);
  let run = new Run();
  const flush = (): void => {
    template.addRun(run, { escape: escapeText, collapseWhitespace: true });
    run = new Run();
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'text') {
      run.text(decodeHTML(token.raw), token.raw);
      continue;
    }
    if (token.kind === 'other') {
      run.protect(token.raw); // comments and the like sit where they are
      continue;
    }
    if (token.kind === 'end') {
      if (INLINE.has(token.name) || OPAQUE_INLINE.has(token.name)) run.protect(token.raw);
      else {
        flush();
        template.literal(token.raw);
      }
      continue;
    }
    // start tag
    const noTranslate =
      /\btranslate\s*=\s*["']?no\b/i.test(token.raw) ||
      /\bclass\s*=\s*["'][^"']*\bnotranslate\b/i.test(token.raw);
    if ((OPAQUE.has(token.name) || noTranslate) && !token.selfClosing && !VOID.has(token.name)) {
      const close = findClosing(tokens, i, token.name);
      if (close === -1) template.warnings.push(`<${token.name}> is never closed: kept as is to the end`);
      const end = close === -1 ? tokens.length - 1 : close;
      const raw = tokens
        .slice(i, end + 1)
        .map((t) => t.raw)
        .join('');
      const inline = OPAQUE_INLINE.has(token.name) || INLINE.has(token.name);
      if (inline) run.protect(raw);
      else {
        flush();
        template.literal(raw);
      }
      i = end;
      continue;
    }
    const tagParts = translateAttributes(token.raw, attributes, template);
    if (INLINE.has(token.name)) run.protect(...tagParts);
    else {
      flush();
      template.parts.push(...tagParts);
    }
  }
  flush();
  return template;
}

/** Tag source with translatable attribute values as segments. */
function translateAttributes(raw: string, names: ReadonlySet<string>, template: DocumentTemplate): Part[] {
  const parts: Part[] = [];
  const attr = /([^\s"'<>/=]+)(\s*=\s*)("([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;
  let last = 0;
  const nameEnd = /^<[^\s/>]+/.exec(raw)?.[0].length ?? 0;
  attr.lastIndex = nameEnd;
  for (let m = attr.exec(raw); m; m = attr.exec(raw)) {
    if (!names.has(m[1].toLowerCase())) continue;
    const value = m[4] ?? m[5] ?? m[6] ?? '';
    const quote = m[4] !== undefined ? '"' : m[5] !== undefined ? "'" : '"';
    const valueStart = m.index + m[1].length + m[2].length;
    const run = new Run().text(decodeHTMLAttribute(value), value);
    parts.push(raw.slice(last, valueStart), quote);
    template.addRun(run, { escape: (s) => escapeAttribute(s, quote), collapseWhitespace: true }, parts);
    parts.push(quote);
    last = m.index + m[0].length;
  }
  parts.push(raw.slice(last));
  return parts.filter((p) => p !== '');
}

function findClosing(tokens: readonly Token[], openIndex: number, name: string): number {
  let depth = 0;
  for (let i = openIndex; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'start' && token.name === name && !token.selfClosing) depth++;
    else if (token.kind === 'end' && token.name === name && --depth === 0) return i;
  }
  return -1;
}

/** A forgiving tokenizer: anything that is not a well-formed tag is text; nothing is dropped. */
function tokenize(html: string, warnings: string[]): Token[] {
  const tokens: Token[] = [];
  let text = '';
  const pushText = (): void => {
    if (text) tokens.push({ kind: 'text', raw: text });
    text = '';
  };
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      text += html.slice(i);
      break;
    }
    text += html.slice(i, lt);
    i = lt;
    const rest = html.slice(i, i + 10);
    let end = -1;
    if (rest.startsWith('<!--')) {
      end = html.indexOf('-->', i + 4);
      if (end === -1) warnings.push('A comment is never closed: kept as is to the end');
      end = end === -1 ? html.length : end + 3;
      pushText();
      tokens.push({ kind: 'other', raw: html.slice(i, end) });
    } else if (rest.startsWith('<![CDATA[')) {
      end = html.indexOf(']]>', i);
      end = end === -1 ? html.length : end + 3;
      pushText();
      tokens.push({ kind: 'other', raw: html.slice(i, end) });
    } else if (/^<[!?]/.test(rest)) {
      end = html.indexOf('>', i);
      end = end === -1 ? html.length : end + 1;
      pushText();
      tokens.push({ kind: 'other', raw: html.slice(i, end) });
    } else if (/^<\/[A-Za-z]/.test(rest)) {
      end = html.indexOf('>', i);
      if (end === -1) {
        warnings.push(`A closing tag is cut off at the end: kept as is`);
        pushText();
        tokens.push({ kind: 'other', raw: html.slice(i) });
        break;
      }
      end += 1;
      pushText();
      const raw = html.slice(i, end);
      tokens.push({ kind: 'end', raw, name: /^<\/([^\s/>]+)/.exec(raw)![1].toLowerCase() });
    } else if (/^<[A-Za-z]/.test(rest)) {
      end = tagEnd(html, i);
      if (end === -1) {
        warnings.push('A tag is cut off at the end: kept as is');
        pushText();
        tokens.push({ kind: 'other', raw: html.slice(i) });
        break;
      }
      pushText();
      const raw = html.slice(i, end);
      const name = /^<([^\s/>]+)/.exec(raw)![1].toLowerCase();
      const selfClosing = /\/\s*>$/.test(raw) || VOID.has(name);
      tokens.push({ kind: 'start', raw, name, selfClosing });
      if (RAW_TEXT.has(name) && !selfClosing) {
        // content up to the matching end tag is text, even if it looks like markup
        const close = new RegExp(`</${name}\\s*>`, 'i').exec(html.slice(end));
        const contentEnd = close ? end + close.index : html.length;
        if (contentEnd > end) tokens.push({ kind: 'text', raw: html.slice(end, contentEnd) });
        end = contentEnd;
      }
    } else {
      text += '<'; // a lone "<" in text
      end = i + 1;
    }
    i = end;
  }
  pushText();
  return tokens;
}

/** Index after the `>` that ends the tag starting at `start`, honouring quoted attribute values; -1 if none. */
function tagEnd(html: string, start: number): number {
  let quote: string | null = null;
  for (let i = start + 1; i < html.length; i++) {
    const ch = html[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      // quotes only open inside attribute values (after "=")
      if (/=\s*$/.test(html.slice(Math.max(start, i - 20), i))) quote = ch;
    } else if (ch === '>') {
      return i + 1;
    } else if (ch === '<') {
      return -1 === html.indexOf('>', i) ? -1 : i; // "<a <b>": the first tag ends where the next begins
    }
  }
  return -1;
}

export function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\u00A0/g, '&nbsp;');
}

function escapeAttribute(text: string, quote: string): string {
  return text.replace(/&/g, '&amp;').replace(quote === '"' ? /"/g : /'/g, quote === '"' ? '&quot;' : '&#39;');
}
