import { describe, expect, it } from 'vitest';
import {
  COMPANY_EARNINGS,
  DEFAULT_TEMPLATES,
  renderDraft,
  renderTemplate,
  SPORTS_RESULT,
  TemplateError,
  validateTemplate,
  type FieldSchema,
  type TemplateIssue,
} from '../src/index.js';

function renderError(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

const codes = (issues: TemplateIssue[]) => issues.map((i) => i.code);

describe('template rendering', () => {
  it('interpolates, formats, branches and loops', () => {
    const r = renderTemplate(
      `{{company}} revenue {{change | change}} to {{revenue | money}} in the {{q | ordinal}} quarter.
{{#each segments}}{{@number}}. {{name | upper}}: {{share | percent:0}}{{#unless @last}}; {{/unless}}{{/each}}
{{#if loss}}It lost money.{{else}}It made {{profit | plural:"dollar"}}.{{/if}} Reported on {{day | date:"long"}}.`,
      {
        company: 'Acme',
        change: -3.14,
        revenue: 12_400_000,
        q: 3,
        segments: [
          { name: 'cloud', share: 61.6 },
          { name: 'devices', share: 38.4 },
        ],
        loss: false,
        profit: 1,
        day: '2024-03-05',
      },
    );
    expect(r.text).toBe(
      'Acme revenue fell 3.1% to $12.4 million in the 3rd quarter.\n1. CLOUD: 62%; 2. DEVICES: 38%\nIt made 1 dollar. Reported on March 5, 2024.',
    );
  });

  it('traces every number to its input path', () => {
    const data = {
      earnings: { revenue: 12.4, changePct: 5.2 },
      results: [
        { team: 'A', goals: 3 },
        { team: 'B', goals: 1 },
      ],
    };
    const r = renderTemplate(
      'Revenue was ${{earnings.revenue}}m and {{earnings.changePct | change}}. {{#each results}}{{team}} scored {{goals}}. {{/each}}',
      data,
    );
    const prov = r.provenance.map((p) => [p.text, p.path, r.text.slice(p.start, p.end)]);
    expect(prov).toEqual([
      ['12.4', 'earnings.revenue', '12.4'],
      ['5.2', 'earnings.changePct', '5.2'],
      ['3', 'results[0].goals', '3'],
      ['1', 'results[1].goals', '1'],
    ]);
    expect(r.untraced).toEqual([]);
    // A number written into the template itself has no input.
    const lit = renderTemplate('In 2024 revenue was {{x}}.', { x: 7 });
    expect(lit.untraced.map((u) => u.text)).toEqual(['2024']);
    expect(lit.provenance.map((p) => p.path)).toEqual(['x']);
  });

  it('ships four default templates that validate and render their samples with full provenance', () => {
    expect(DEFAULT_TEMPLATES.map((t) => t.id)).toEqual([
      'sports-result',
      'company-earnings',
      'election-results',
      'weather-forecast',
    ]);
    for (const t of DEFAULT_TEMPLATES) {
      const v = validateTemplate(t.source, { schema: t.schema });
      expect(v.issues, t.id).toEqual([]);
      const d = renderDraft(t, t.sample);
      expect(d.text.length).toBeGreaterThan(40);
      expect(d.untraced, t.id).toEqual([]);
      expect(d.template).toEqual({ id: t.id, version: t.version });
      for (const p of d.provenance) expect(d.text.slice(p.start, p.end)).toBe(p.text);
    }
    const match = renderDraft(SPORTS_RESULT, {
      ...SPORTS_RESULT.sample,
      home: { name: 'Liverpool', score: 0 },
      away: { name: 'Brentford', score: 2 },
      scorers: [],
    });
    expect(match.text).toContain('Brentford won 2-0 away at Liverpool');
    const earnings = renderDraft(COMPANY_EARNINGS, COMPANY_EARNINGS.sample);
    expect(earnings.text).toContain('revenue of $12.4 billion for the 2nd quarter of 2024, which rose 5.2%');
    expect(earnings.provenance.find((p) => p.text === '12.4')?.path).toBe('revenue');
  });
});

describe('template errors', () => {
  const schema: FieldSchema = {
    team: 'string',
    score: 'number',
    players: [{ name: 'string', goals: 'number' }],
  };

  it('reports unknown fields with a suggestion, and their position', () => {
    const v = validateTemplate('{{team}} scored {{scroe}}.\n{{#each players}}{{nmae}}{{/each}}', { schema });
    expect(v.ok).toBe(false);
    expect(v.issues.map((i) => [i.code, i.line, i.message])).toEqual([
      ['unknown_field', 1, "unknown field 'scroe' (did you mean 'score'?)"],
      ['unknown_field', 2, "unknown field 'nmae' (did you mean 'name'?)"],
    ]);
  });

  it('reports syntax errors: unclosed blocks, mismatched closes, stray else, unclosed tags', () => {
    expect(codes(validateTemplate('{{#if team}}x').issues)).toEqual(['syntax']);
    expect(validateTemplate('{{#if team}}x').issues[0].message).toMatch(/never closed/);
    expect(validateTemplate('{{#each players}}x{{/if}}').issues[0].message).toMatch(
      /closes the \{\{#each\}\}/,
    );
    expect(validateTemplate('a {{else}} b').issues[0].message).toMatch(/outside/);
    expect(validateTemplate('Hello {{team').issues[0].message).toMatch(/unclosed tag/);
    expect(validateTemplate('{{constructor.name}}').issues[0].message).toMatch(/not allowed/);
    expect(validateTemplate('{{#if a >> b}}x{{/if}}').issues[0].message).toMatch(/invalid condition/);
  });

  it('reports unknown formatters, bad arguments, type mismatches and non-lists', () => {
    const v = validateTemplate(
      '{{team | uper}} {{score | number:"two"}} {{team | percent}} {{#each team}}x{{/each}} {{score | plural}}',
      { schema },
    );
    expect(codes(v.issues)).toEqual([
      'unknown_formatter',
      'bad_argument',
      'type_mismatch',
      'not_a_list',
      'bad_argument',
    ]);
    expect(v.issues[0].message).toContain("did you mean 'upper'");
  });

  it('warns about numbers written in the template text', () => {
    const v = validateTemplate('{{team}} finished 3rd.', { schema });
    expect(v.ok).toBe(true);
    expect(v.issues).toMatchObject([{ code: 'untraceable_number', severity: 'warning' }]);
  });

  it('fails at render time on missing data (strict) and on bad data for a template', () => {
    const e = renderError(() => renderTemplate('{{team}} {{score}}', { team: 'A' }));
    expect(e.code).toBe('missing_field');
    expect(e.issues[0].path).toBe('score');
    expect(renderTemplate('{{team}} {{score}}', { team: 'A' }, { strict: false }).text).toBe('A');
    expect(renderTemplate('{{score | default:"n/a"}}', {}).text).toBe('n/a');
    const bad = renderError(() =>
      renderDraft(SPORTS_RESULT, { ...SPORTS_RESULT.sample, home: { name: 'X' } }),
    );
    expect(bad.issues.map((i) => i.path)).toContain('home.score');
    expect(renderError(() => renderTemplate('{{x | percent}}', { x: 'abc' })).code).toBe('type_mismatch');
    expect(renderError(() => renderTemplate('{{x}}', { x: { a: 1 } })).code).toBe('type_mismatch');
  });

  it('cannot reach prototype properties', () => {
    expect(renderTemplate('[{{toString}}]', {}, { strict: false }).text).toBe('[]');
    expect(() => renderTemplate('{{__proto__}}', {})).toThrow(TemplateError);
  });
});
