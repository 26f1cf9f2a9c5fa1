import { parseHtml } from './html.js';
import { DocumentTemplate, Run, type Part } from './template.js';

const FENCE = /^( {0,3})(`{3,}|~{3,})/;
const ATX = /^( {0,3}#{1,6})([ \t]+)(.*?)([ \t]+#+[ \t]*)?$/;
const THEMATIC = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const SETEXT = /^ {0,3}(?:=+|-+)[ \t]*$/;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+)(\[[ xX]\][ \t]+)?/;
const QUOTE = /^((?: {0,3}>[ \t]?)+)/;
const LINK_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*\S/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;
const HTML_BLOCK =
  /^ {0,3}<(?:!--|\/?(?:address|article|aside|blockquote|details|dialog|div|dl|dt|dd|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|iframe|li|main|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|thead|tr|ul|video|audio|picture|script|style)\b)/i;

/**
 * Builds a template from Markdown: headings, paragraphs, list items, quotes and table cells are segments;
 * code (fenced, indented, inline), URLs, link targets, images' sources, HTML tags and front matter are
 * kept byte for byte. Lines of one paragraph are joined into one line in the output.
 */
export function parseMarkdown(markdown: string, template = new DocumentTemplate()): DocumentTemplate {
  const eol = markdown.includes('\r\n') ? '\r\n' : '\n';
  const lines = markdown.split(/\r?\n/);
  let i = 0;
  const out = (text: string): void => template.literal(text);
  const newline = (index: number): string => (index < lines.length - 1 ? eol : '');

  // front matter
  if (lines[0] === '---') {
    const close = lines.findIndex((line, k) => k > 0 && (line === '---' || line === '...'));
    if (close > 0) {
      out(lines.slice(0, close + 1).join(eol) + newline(close));
      i = close + 1;
    }
  }

  let previousBlank = true;
  let inList = false;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      out(line + newline(i));
      previousBlank = true;
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[2];
      let end = i + 1;
      while (
        end < lines.length &&
        !new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`).test(lines[end])
      )
        end++;
      if (end >= lines.length)
        template.warnings.push('A code fence is never closed: kept as code to the end');
      const last = Math.min(end, lines.length - 1);
      out(lines.slice(i, last + 1).join(eol) + newline(last));
      i = last + 1;
      previousBlank = false;
      continue;
    }
    if (previousBlank && !inList && /^(?: {4}|\t)/.test(line)) {
      // indented code block, up to the next non-indented, non-blank line
      let end = i;
      while (end + 1 < lines.length && (/^(?: {4}|\t)/.test(lines[end + 1]) || lines[end + 1].trim() === ''))
        end++;
      while (end > i && lines[end].trim() === '') end--;
      out(lines.slice(i, end + 1).join(eol) + newline(end));
      i = end + 1;
      previousBlank = false;
      continue;
    }
    if (HTML_BLOCK.test(line)) {
      let end = i;
      while (end + 1 < lines.length && lines[end + 1].trim() !== '') end++;
      parseHtml(lines.slice(i, end + 1).join(eol), {}, template);
      out(newline(end));
      i = end + 1;
      previousBlank = false;
      continue;
    }
    if (THEMATIC.test(line) || LINK_DEFINITION.test(line)) {
      out(line + newline(i));
      i++;
      previousBlank = false;
      continue;
    }
    if (
      line.includes('|') &&
      i + 1 < lines.length &&
      TABLE_DELIMITER.test(lines[i + 1]) &&
      lines[i + 1].includes('-')
    ) {
      let end = i;
      while (end + 1 < lines.length && lines[end + 1].includes('|') && lines[end + 1].trim() !== '') end++;
      for (let k = i; k <= end; k++) {
        if (k === i + 1) out(lines[k]);
        else tableRow(lines[k], template);
        out(newline(k));
      }
      i = end + 1;
      previousBlank = false;
      inList = false;
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      out(atx[1] + atx[2]);
      template.addRun(inline(atx[3], template));
      out((atx[4] ?? '') + newline(i));
      i++;
      previousBlank = false;
      inList = false;
      continue;
    }

    // a paragraph, possibly inside quote markers and/or a list item
    const quote = QUOTE.exec(line)?.[1] ?? '';
    const afterQuote = line.slice(quote.length);
    const item = LIST_ITEM.exec(afterQuote);
    const prefix = quote + (item ? item[0] : afterQuote.match(/^[ \t]*/)![0]);
    if (item) inList = true;
    else if (previousBlank && !/^[ \t]/.test(afterQuote) && !quote) inList = false;
    const content = [line.slice(prefix.length)];
    let end = i;
    while (end + 1 < lines.length && continuesParagraph(lines[end + 1], quote)) {
      end++;
      content.push(lines[end].slice(QUOTE.exec(lines[end])?.[1].length ?? 0).trim());
    }
    out(prefix);
    const run = new Run();
    content.forEach((text, k) => {
      const isLast = k === content.length - 1;
      const hardBreak = !isLast && /(?: {2,}|\\)$/.test(text);
      inline(
        hardBreak
          ? text.replace(/(?: {2,}|\\)$/, '')
          : text.replace(/\s+$/, isLast ? (/\s+$/.exec(text)?.[0] ?? '') : ''),
        template,
        run,
      );
      if (hardBreak) run.protect(`${/(?: {2,}|\\)$/.exec(text)![0]}${eol}${quote}`);
      else if (!isLast) run.text(' ', ' ');
    });
    template.addRun(run);
    out(newline(end));
    i = end + 1;
    previousBlank = false;
  }
  return template;
}

function continuesParagraph(next: string, quote: string): boolean {
  if (next.trim() === '') return false;
  const nextQuote = QUOTE.exec(next)?.[1] ?? '';
  if (nextQuote !== '' && nextQuote.replace(/\s/g, '') !== quote.replace(/\s/g, '')) return false;
  const body = next.slice(nextQuote.length);
  if (body.trim() === '') return false;
  return !(
    FENCE.test(body) ||
    ATX.test(body) ||
    THEMATIC.test(body) ||
    SETEXT.test(body) ||
    LIST_ITEM.test(body) ||
    HTML_BLOCK.test(body)
  );
}

function tableRow(line: string, template: DocumentTemplate): void {
  // split on pipes that are not escaped and not inside code spans
  let cell = '';
  let inCode = false;
  const flushCell = (): void => {
    const lead = /^\s*/.exec(cell)![0];
    const trail = cell.length > lead.length ? /\s*$/.exec(cell)![0] : '';
    template.literal(lead);
    template.addRun(inline(cell.slice(lead.length, cell.length - trail.length), template));
    template.literal(trail);
    cell = '';
  };
  for (let k = 0; k < line.length; k++) {
    const ch = line[k];
    if (ch === '\\' && k + 1 < line.length) {
      cell += ch + line[++k];
    } else if (ch === '`') {
      inCode = !inCode;
      cell += ch;
    } else if (ch === '|' && !inCode) {
      flushCell();
      template.literal('|');
    } else cell += ch;
  }
  flushCell();
}

/** Inline Markdown into a run: text stays translatable, syntax and code become placeholders. */
export function inline(text: string, template: DocumentTemplate, run = new Run()): Run {
  let plain = '';
  const flushText = (): void => {
    if (plain) run.text(plain);
    plain = '';
  };
  const protect = (...parts: Part[]): void => {
    flushText();
    run.protect(...parts);
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ch = text[i];
    let m: RegExpExecArray | null;
    if (ch === '\\' && i + 1 < text.length && /[!-/:-@[-`{-~]/.test(text[i + 1])) {
      protect(text.slice(i, i + 2));
      i += 2;
    } else if (ch === '`') {
      const ticks = /^`+/.exec(rest)![0];
      const close = text.indexOf(ticks, i + ticks.length);
      if (close === -1) {
        plain += ticks;
        i += ticks.length;
      } else {
        protect(text.slice(i, close + ticks.length));
        i = close + ticks.length;
      }
    } else if (rest.startsWith('![') || ch === '[') {
      const isImage = ch === '!';
      const open = i + (isImage ? 1 : 0);
      const close = matchingBracket(text, open);
      if (close === -1) {
        plain += text.slice(i, open + 1);
        i = open + 1;
        continue;
      }
      const label = text.slice(open + 1, close);
      const target =
        /^\((?:\s*(<[^>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*))(?:(\s+)("[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/.exec(
          text.slice(close + 1),
        );
      const reference = /^\[[^\]]*\]/.exec(text.slice(close + 1));
      if (label.startsWith('^')) {
        protect(text.slice(i, close + 1)); // footnote reference
        i = close + 1;
      } else if (isImage && (target || reference)) {
        const parts: Part[] = ['!['];
        template.addRun(inline(label, template), {}, parts);
        parts.push(...linkTail(target, reference, template));
        protect(...parts);
        i = close + 1 + (target ?? reference)![0].length;
      } else if (!isImage && (target || reference)) {
        protect('[');
        inline(label, template, run);
        protect(...linkTail(target, reference, template));
        i = close + 1 + (target ?? reference)![0].length;
      } else {
        plain += text.slice(i, open + 1);
        i = open + 1;
      }
    } else if (
      ch === '<' &&
      (m =
        /^<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+|\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?|!--[\s\S]*?--)>/.exec(
          rest,
        ))
    ) {
      protect(m[0]); // autolink or inline HTML
      i += m[0].length;
    } else if (
      (ch === 'h' || ch === 'w') &&
      (m = /^(?:https?:\/\/|www\.)[^\s<>]*[^\s<>.,;:!?'")\]]/.exec(rest)) &&
      !/[\p{L}\p{N}]$/u.test(plain)
    ) {
      protect(m[0]); // bare URL
      i += m[0].length;
    } else if (ch === '&' && (m = /^&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]+);/i.exec(rest))) {
      protect(m[0]);
      i += m[0].length;
    } else if (ch === '*' || ch === '_' || ch === '~') {
      const delimiter = /^(\*+|_+|~~+)/.exec(rest)?.[0];
      if (!delimiter) {
        plain += ch;
        i++;
        continue;
      }
      const before = i === 0 ? ' ' : text[i - 1];
      const after = text[i + delimiter.length] ?? ' ';
      const leftFlanking = !/\s/u.test(after);
      const rightFlanking = !/\s/u.test(before);
      const intraword = /[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(after);
      if ((leftFlanking || rightFlanking) && !(ch === '_' && intraword)) protect(delimiter);
      else plain += delimiter;
      i += delimiter.length;
    } else {
      plain += ch;
      i++;
    }
  }
  flushText();
  return run;
}

/** `](destination "title")` with the title translated and the destination kept; or `][reference]`. */
function linkTail(
  target: RegExpExecArray | null,
  reference: RegExpExecArray | null,
  template: DocumentTemplate,
): Part[] {
  if (!target) return [']' + reference![0]];
  const tail = target[0];
  const title = target[3];
  if (!title) return [']' + tail];
  const at = tail.lastIndexOf(title);
  const parts: Part[] = [']' + tail.slice(0, at) + title[0]];
  template.addRun(new Run().text(title.slice(1, -1)), {}, parts);
  parts.push(title.slice(-1) + tail.slice(at + title.length));
  return parts;
}

function matchingBracket(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    const ch = text[k];
    if (ch === '\\') k++;
    else if (ch === '`') {
      const ticks = /^`+/.exec(text.slice(k))![0];
      const close = text.indexOf(ticks, k + ticks.length);
      if (close !== -1) k = close + ticks.length - 1;
    } else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return k;
  }
  return -1;
}
