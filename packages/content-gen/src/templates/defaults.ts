import type { FieldSchema } from './schema.js';

export interface DraftTemplate {
  id: string;
  name: string;
  version: string;
  description: string;
  source: string;
  schema: FieldSchema;
  /** Example data that renders without errors (used by tests and editors). */
  sample: Record<string, unknown>;
}

export const SPORTS_RESULT: DraftTemplate = {
  id: 'sports-result',
  name: 'Match report (football)',
  version: '1.0.0',
  description: 'Result line, scorers and attendance for a football match.',
  schema: {
    competition: 'string',
    date: 'date',
    venue: 'string?',
    attendance: 'number?',
    home: { name: 'string', score: 'number' },
    away: { name: 'string', score: 'number' },
    scorers: [{ player: 'string', team: 'string', minute: 'number' }],
  },
  source: `{{#if home.score > away.score}}
{{home.name}} beat {{away.name}} {{home.score}}-{{away.score}} at home in the {{competition}} on {{date | date:"weekday"}}.
{{else}}
{{#if home.score < away.score}}
{{away.name}} won {{away.score}}-{{home.score}} away at {{home.name}} in the {{competition}} on {{date | date:"weekday"}}.
{{else}}
{{home.name}} and {{away.name}} drew {{home.score}}-{{away.score}} in the {{competition}} on {{date | date:"weekday"}}.
{{/if}}
{{/if}}
{{#if scorers}}
Goals: {{#each scorers}}{{player}} ({{team}}, {{minute | ordinal}} minute){{#unless @last}}; {{/unless}}{{/each}}.
{{/if}}
{{#if attendance}}
The match{{#if venue}} at {{venue}}{{/if}} was watched by {{attendance | number}} spectators.
{{/if}}`,
  sample: {
    competition: 'Premier League',
    date: '2024-03-09',
    venue: 'Anfield',
    attendance: 60123,
    home: { name: 'Liverpool', score: 3 },
    away: { name: 'Brentford', score: 1 },
    scorers: [
      { player: 'Diogo Jota', team: 'Liverpool', minute: 35 },
      { player: 'Mohamed Salah', team: 'Liverpool', minute: 62 },
      { player: 'Yoane Wissa', team: 'Brentford', minute: 70 },
      { player: 'Darwin Núñez', team: 'Liverpool', minute: 88 },
    ],
  },
};

export const COMPANY_EARNINGS: DraftTemplate = {
  id: 'company-earnings',
  name: 'Quarterly earnings',
  version: '1.0.0',
  description: 'Revenue, profit and earnings per share against the same quarter a year earlier.',
  schema: {
    company: 'string',
    ticker: 'string?',
    quarter: 'number',
    year: 'number',
    currency: 'string?',
    revenue: 'number',
    revenueChangePct: 'number',
    netIncome: 'number',
    netIncomeChangePct: 'number?',
    eps: 'number?',
    epsEstimate: 'number?',
  },
  source: `{{company}}{{#if ticker}} ({{ticker}}){{/if}} reported revenue of {{revenue | money:currency}} for the {{quarter | ordinal}} quarter of {{year}}, which {{revenueChangePct | change}} from a year earlier.
{{#if netIncomeChangePct}}
Net income {{netIncomeChangePct | change}} to {{netIncome | money:currency}}.
{{else}}
Net income was {{netIncome | money:currency}}.
{{/if}}
{{#if eps}}
Earnings per share were {{eps | money:currency:2}}{{#if epsEstimate}}, {{#if eps >= epsEstimate}}beating{{else}}missing{{/if}} analysts' estimate of {{epsEstimate | money:currency:2}}{{/if}}.
{{/if}}`,
  sample: {
    company: 'Acme Corp',
    ticker: 'ACME',
    quarter: 2,
    year: 2024,
    currency: '$',
    revenue: 12_400_000_000,
    revenueChangePct: 5.2,
    netIncome: 1_830_000_000,
    netIncomeChangePct: -3.1,
    eps: 1.27,
    epsEstimate: 1.21,
  },
};

export const ELECTION_RESULTS: DraftTemplate = {
  id: 'election-results',
  name: 'Election results',
  version: '1.0.0',
  description: 'Leader, vote shares and turnout for one race; candidates sorted by votes, leader first.',
  schema: {
    race: 'string',
    reportingPct: 'number',
    final: 'boolean?',
    turnoutPct: 'number?',
    candidates: [{ name: 'string', party: 'string', votes: 'number', pct: 'number' }],
  },
  source: `{{#if final}}
{{#each candidates}}{{#if @first}}{{name}} ({{party}}) won the {{race}} with {{pct | percent}} of the vote ({{votes | number}} votes).{{/if}}{{/each}}
{{else}}
With {{reportingPct | percent:0}} of the expected vote counted in the {{race}}, {{#each candidates}}{{#if @first}}{{name}} ({{party}}) leads with {{pct | percent}} ({{votes | number}} votes).{{/if}}{{/each}}
{{/if}}
{{#each candidates}}
{{#unless @first}}
{{name}} ({{party}}) has {{pct | percent}} ({{votes | plural:"vote"}}).
{{/unless}}
{{/each}}
{{#if turnoutPct}}
Turnout was {{turnoutPct | percent}}.
{{/if}}`,
  sample: {
    race: 'Springfield mayoral race',
    reportingPct: 87,
    final: false,
    turnoutPct: 48.3,
    candidates: [
      { name: 'Maria Lopez', party: 'Independent', votes: 41230, pct: 51.2 },
      { name: 'John Carter', party: 'Democratic', votes: 30110, pct: 37.4 },
      { name: 'Ann Brooks', party: 'Republican', votes: 9180, pct: 11.4 },
    ],
  },
};

export const WEATHER_FORECAST: DraftTemplate = {
  id: 'weather-forecast',
  name: 'Weather forecast',
  version: '1.0.0',
  description: 'Daily forecast: conditions, temperatures, precipitation, wind and warnings.',
  schema: {
    location: 'string',
    date: 'date',
    condition: 'string',
    high: 'number',
    low: 'number',
    unit: 'string',
    precipitationChancePct: 'number',
    windKph: 'number?',
    warning: 'string?',
  },
  source: `{{location}} can expect {{condition | lower}} on {{date | date:"day"}}, with a high of {{high | round}}°{{unit}} and a low of {{low | round}}°{{unit}}.
{{#if precipitationChancePct >= 60}}
Rain is likely, with a {{precipitationChancePct | percent:0}} chance of precipitation.
{{else}}
The chance of precipitation is {{precipitationChancePct | percent:0}}.
{{/if}}
{{#if windKph}}
Winds will reach {{windKph | round}} km/h.
{{/if}}
{{#if warning}}
A {{warning}} is in effect.
{{/if}}`,
  sample: {
    location: 'Valencia',
    date: '2024-10-29',
    condition: 'Heavy rain',
    high: 21.4,
    low: 15.6,
    unit: 'C',
    precipitationChancePct: 90,
    windKph: 55,
    warning: 'red weather warning',
  },
};

export const DEFAULT_TEMPLATES: readonly DraftTemplate[] = [
  SPORTS_RESULT,
  COMPANY_EARNINGS,
  ELECTION_RESULTS,
  WEATHER_FORECAST,
];

export function getDefaultTemplate(id: string): DraftTemplate | undefined {
  return DEFAULT_TEMPLATES.find((t) => t.id === id);
}
