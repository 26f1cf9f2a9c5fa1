import { TemplateError } from './ast.js';
import type { DraftTemplate } from './defaults.js';
import { renderTemplate, type RenderOptions, type RenderResult } from './render.js';
import { validateData } from './schema.js';

export interface Draft extends RenderResult {
  template: { id: string; version: string };
}

/** Render a data-to-text draft: data checked against the template's schema, then rendered with provenance. */
export function renderDraft(template: DraftTemplate, data: unknown, options: RenderOptions = {}): Draft {
  const problems = validateData(template.schema, data);
  if (problems.length) {
    throw new TemplateError(
      problems.map((p) => ({
        code: 'missing_field' as const,
        severity: 'error' as const,
        message: p.message,
        line: 0,
        column: 0,
        path: p.path,
      })),
    );
  }
  const result = renderTemplate(template.source, data, options);
  return { ...result, template: { id: template.id, version: template.version } };
}
