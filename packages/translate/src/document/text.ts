import { DocumentTemplate, Run } from './template.js';

/** Plain text: each line is a segment; line breaks and blank lines are kept as they are. */
export function parseText(text: string, template = new DocumentTemplate()): DocumentTemplate {
  const pieces = text.split(/(\r?\n)/);
  for (const piece of pieces) {
    if (/^\r?\n$/.test(piece)) template.literal(piece);
    else template.addRun(new Run().text(piece));
  }
  return template;
}
