import { PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN, placeholder, placeholderPattern } from './placeholders.js';

/** Output of a document: literal source, or the translation of a segment. */
export type Part = string | { readonly segment: number };

/** A unit sent for translation: text with ⟦n⟧ placeholders standing for `slots[n - 1]`. */
export interface Segment {
  readonly text: string;
  readonly slots: readonly Part[][];
  /** Escapes translated text for the place it goes (HTML text, an attribute value ...). */
  readonly escape: (text: string) => string;
}

type RunItem = { kind: 'text'; value: string; raw: string } | { kind: 'slot'; parts: Part[] };

/**
 * Translatable content under construction: text, and protected parts (tags, code, URLs) that become
 * placeholders. Adjacent protected parts merge into one placeholder.
 */
export class Run {
  readonly items: RunItem[] = [];

  /** `value` is what the engine sees; `raw` is the source to write back if the run is not translated. */
  text(value: string, raw: string = value): this {
    if (value === '' && raw === '') return this;
    const pieces = value.split(/([\u27E6\u27E7])/);
    if (pieces.length > 1) {
      // literal brackets must not be read as placeholders: protect them
      for (const piece of pieces) {
        if (piece === PLACEHOLDER_OPEN || piece === PLACEHOLDER_CLOSE) this.protect(piece);
        else if (piece !== '') this.items.push({ kind: 'text', value: piece, raw: piece });
      }
      return this;
    }
    this.items.push({ kind: 'text', value, raw });
    return this;
  }

  protect(...parts: Part[]): this {
    const last = this.items[this.items.length - 1];
    if (last?.kind === 'slot') last.parts.push(...parts);
    else this.items.push({ kind: 'slot', parts: [...parts] });
    return this;
  }

  get isEmpty(): boolean {
    return this.items.length === 0;
  }
}

export interface AddRunOptions {
  readonly escape?: (text: string) => string;
  /** Collapse whitespace runs to one space (HTML, where whitespace is not significant). */
  readonly collapseWhitespace?: boolean;
}

/** A document as literal parts and segments; `render` puts translations in place. */
export class DocumentTemplate {
  readonly parts: Part[] = [];
  readonly segments: Segment[] = [];
  readonly warnings: string[] = [];

  literal(text: string, into: Part[] = this.parts): void {
    if (text !== '') into.push(text);
  }

  /**
   * Adds a run: leading and trailing whitespace and protected parts stay literal, the middle becomes a
   * segment if it has any letter or digit to translate. Returns nothing; parts go to `into`.
   */
  addRun(run: Run, options: AddRunOptions = {}, into: Part[] = this.parts): void {
    const items = run.items;
    const hasWords = (item: RunItem): boolean => item.kind === 'text' && /[\p{L}]/u.test(item.value);
    let first = items.findIndex(hasWords);
    if (first === -1) {
      for (const item of items) this.emitRaw(item, into);
      return;
    }
    let last = items.length - 1;
    while (!hasWords(items[last])) last--;
    // A protected part that stands as a word at either end (`ls` lists the files) stays in the segment: the
    // engine needs it as the sentence's subject or object, not a sentence that starts at the next word.
    const standsAlone = (text: RunItem, edge: RegExp) => text.kind === 'text' && edge.test(text.value);
    if (first > 0 && items[first - 1].kind === 'slot' && standsAlone(items[first], /^\s/u)) first--;
    if (last < items.length - 1 && items[last + 1].kind === 'slot' && standsAlone(items[last], /\s$/u))
      last++;
    for (let i = 0; i < first; i++) this.emitRaw(items[i], into);

    const textOf = (item: RunItem) => (item.kind === 'text' ? item : { value: '', raw: '' });
    const head = textOf(items[first]);
    const tail = textOf(items[last]);
    const headSpace = /^\s*/u.exec(head.value)?.[0] ?? '';
    const tailSpace = /\s*$/u.exec(tail.value)?.[0] ?? '';
    const rawHeadSpace = /^\s*/u.exec(head.raw)?.[0] ?? '';
    const rawTailSpace = /\s*$/u.exec(tail.raw)?.[0] ?? '';
    this.literal(rawHeadSpace, into);

    let text = '';
    const slots: Part[][] = [];
    for (let i = first; i <= last; i++) {
      const item = items[i];
      if (item.kind === 'slot') {
        slots.push(item.parts);
        text += placeholder(slots.length);
      } else {
        let value = item.value;
        if (i === first) value = value.slice(headSpace.length);
        if (i === last) value = value.slice(0, value.length - tailSpace.length);
        text += value;
      }
    }
    if (options.collapseWhitespace) text = text.replace(/\s+/gu, ' ');
    into.push({ segment: this.segments.length });
    this.segments.push({ text, slots, escape: options.escape ?? ((s) => s) });
    this.literal(rawTailSpace, into);
    for (let i = last + 1; i < items.length; i++) this.emitRaw(items[i], into);
  }

  /** The document with each segment replaced by its translation (same order as `segments`). */
  render(translations: readonly string[]): string {
    return this.renderParts(this.parts, translations);
  }

  private renderParts(parts: readonly Part[], translations: readonly string[]): string {
    let out = '';
    for (const part of parts)
      out += typeof part === 'string' ? part : this.renderSegment(part.segment, translations);
    return out;
  }

  private renderSegment(index: number, translations: readonly string[]): string {
    const segment = this.segments[index];
    const translated = translations[index] ?? segment.text;
    const used = new Set<number>();
    let out = '';
    let last = 0;
    for (const match of translated.matchAll(placeholderPattern())) {
      out += segment.escape(translated.slice(last, match.index));
      const n = Number(match[1]);
      const slot = segment.slots[n - 1];
      if (slot && !used.has(n)) out += this.renderParts(slot, translations);
      used.add(n);
      last = match.index + match[0].length;
    }
    out += segment.escape(translated.slice(last));
    // markup an engine lost is put back at the end rather than dropped
    segment.slots.forEach((slot, i) => {
      if (!used.has(i + 1)) out += this.renderParts(slot, translations);
    });
    return out;
  }

  private emitRaw(item: RunItem, into: Part[]): void {
    if (item.kind === 'text') this.literal(item.raw, into);
    else into.push(...item.parts);
  }
}
