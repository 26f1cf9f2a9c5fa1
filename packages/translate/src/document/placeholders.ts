/**
 * Placeholder tokens stand for markup, code, links and protected terms while text goes through an engine.
 * `⟦n⟧` (U+27E6/U+27E7) is rare in news text, is not alphabetic (rule-based engines pass it through) and
 * survives neural engines better than XML-like tags.
 */
export const PLACEHOLDER_OPEN = '\u27E6';
export const PLACEHOLDER_CLOSE = '\u27E7';

export function placeholder(index: number): string {
  return `${PLACEHOLDER_OPEN}${index}${PLACEHOLDER_CLOSE}`;
}

/** Matches a placeholder, tolerating spaces an engine may have put inside the brackets. */
export function placeholderPattern(): RegExp {
  return /\u27E6\s*(\d+)\s*\u27E7/g;
}

export function placeholderIndexes(text: string): number[] {
  return [...text.matchAll(placeholderPattern())].map((m) => Number(m[1]));
}

/** True when `output` holds exactly the placeholders of `input`, each once (order may differ). */
export function samePlaceholders(input: string, output: string): boolean {
  const a = placeholderIndexes(input).sort((x, y) => x - y);
  const b = placeholderIndexes(output).sort((x, y) => x - y);
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** Replaces each placeholder by `replace(index)`; spaces inside brackets are tolerated. */
export function replacePlaceholders(text: string, replace: (index: number) => string): string {
  return text.replace(placeholderPattern(), (_m, index: string) => replace(Number(index)));
}

/** Text with placeholders removed: what a sentence has to say. */
export function stripPlaceholders(text: string): string {
  return text.replace(placeholderPattern(), '');
}

/**
 * A piece of text under construction: literal text plus protected parts, each turned into a placeholder.
 * `restore` maps a (translated) text back.
 */
export class PlaceholderText {
  private readonly parts: string[] = [];
  private readonly protectedValues: string[] = [];

  /** Appends translatable text; literal ⟦ and ⟧ are protected so they cannot be mistaken for tokens. */
  text(value: string): this {
    const pieces = value.split(/([\u27E6\u27E7])/);
    for (const piece of pieces) {
      if (piece === PLACEHOLDER_OPEN || piece === PLACEHOLDER_CLOSE) this.protect(piece);
      else if (piece !== '') this.parts.push(piece);
    }
    return this;
  }

  /** Appends something the engine must not touch; returns its index. */
  protect(value: string): number {
    const index = this.protectedValues.length + 1;
    this.protectedValues.push(value);
    this.parts.push(placeholder(index));
    return index;
  }

  get value(): string {
    return this.parts.join('');
  }

  get protectedCount(): number {
    return this.protectedValues.length;
  }

  protectedValue(index: number): string | undefined {
    return this.protectedValues[index - 1];
  }

  restore(translated: string): string {
    return replacePlaceholders(translated, (index) => this.protectedValues[index - 1] ?? '');
  }
}
