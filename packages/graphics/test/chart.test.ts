import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BRAND,
  chartDataFromRecords,
  chartDataFromTable,
  describeChart,
  isGraphicsError,
  niceTicks,
  readPath,
  renderChart,
} from '../src/index.js';
import { expectGolden } from './helpers.js';

const TABLE = {
  columns: ['Quarter', 'Revenue', 'Costs'],
  rows: [
    ['Q1 2024', 12.4, 10],
    ['Q2 2024', 13.1, 11.2],
    ['Q3 2024', 15.08, 12],
    ['Q4 2024', 14, 13.5],
  ],
};

// The data of the sports data-to-text template's sample draft.
const MATCH = {
  competition: 'Premier League',
  home: { name: 'Liverpool', score: 3 },
  away: { name: 'Brentford', score: 1 },
  scorers: [
    { player: 'Diogo Jota', team: 'Liverpool', minute: 35 },
    { player: 'Mohamed Salah', team: 'Liverpool', minute: 62 },
    { player: 'Yoane Wissa', team: 'Brentford', minute: 70 },
    { player: 'Darwin Núñez', team: 'Liverpool', minute: 88 },
  ],
};

describe('chart data', () => {
  it('reads a table and draft data, every value keeping the path it came from', () => {
    const t = chartDataFromTable(TABLE);
    expect(t.categories.map((c) => c.label)).toEqual(['Q1 2024', 'Q2 2024', 'Q3 2024', 'Q4 2024']);
    expect(t.series[1]!.values[3]).toEqual({ value: 13.5, path: 'rows[3][2]' });
    const d = chartDataFromRecords(MATCH, {
      items: 'scorers',
      label: 'player',
      values: [{ field: 'minute', name: 'Minute' }],
    });
    expect(d.series[0]!.values.map((v) => [v.value, v.path, readPath(MATCH, v.path)])).toEqual([
      [35, 'scorers[0].minute', 35],
      [62, 'scorers[1].minute', 62],
      [70, 'scorers[2].minute', 70],
      [88, 'scorers[3].minute', 88],
    ]);
    const f = chartDataFromRecords(MATCH, {
      fields: [
        { path: 'home.score', label: 'Liverpool' },
        { path: 'away.score', label: 'Brentford' },
      ],
      seriesName: 'Goals',
    });
    expect(f.series[0]!.values).toEqual([
      { value: 3, path: 'home.score' },
      { value: 1, path: 'away.score' },
    ]);
  });

  it('says what to fix in bad tables and mappings', () => {
    const fails = (fn: () => unknown, pattern: RegExp) => {
      let error: unknown;
      try {
        fn();
      } catch (e) {
        error = e;
      }
      expect(isGraphicsError(error, 'BAD_INPUT')).toBe(true);
      expect((error as Error).message).toMatch(pattern);
    };
    fails(
      () => chartDataFromTable({ columns: ['A', 'B'], rows: [['x', '12 km']] }),
      /rows\[0\]\[1\]: "12 km" is not a number/,
    );
    fails(
      () => chartDataFromTable({ columns: ['A', 'B'], rows: [['x', 1, 2]] }),
      /rows\[0\]: has 3 cells; the header has 2/,
    );
    fails(() => chartDataFromTable({ columns: ['A', 'B'], rows: [] }), /no rows/);
    fails(
      () => chartDataFromTable(TABLE, { valueColumns: ['Profit'] }),
      /no column "Profit"; columns are Quarter, Revenue, Costs/,
    );
    fails(
      () => chartDataFromRecords(MATCH, { items: 'goals', label: 'player', values: [{ field: 'minute' }] }),
      /"goals" is not a list/,
    );
  });

  it('chooses round ticks through zero', () => {
    expect(niceTicks(12.4, 15.08)).toEqual([0, 5, 10, 15, 20]);
    expect(niceTicks(0.2, 0.9)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-1.5, 12.5)).toEqual([-5, 0, 5, 10, 15]);
  });
});

describe('charts', () => {
  it('describes the chart with every number traced to the input', () => {
    const spec = {
      kind: 'column' as const,
      title: 'Quarterly revenue',
      source: 'Company filings',
      unit: '€m',
      data: chartDataFromTable(TABLE),
    };
    const alt = describeChart(spec);
    expect(alt.text).toContain('Column chart: Quarterly revenue.');
    expect(alt.text).toContain('Revenue: Q1 2024 12.4 €m; Q2 2024 13.1 €m; Q3 2024 15.08 €m; Q4 2024 14 €m.');
    expect(alt.text).toContain('Highest: Q3 2024 (15.08 €m); lowest: Q1 2024 (12.4 €m).');
    expect(alt.text).toMatch(/Source: Company filings\.$/);
    expect(alt.untraced).toEqual([]);
    for (const p of alt.provenance) {
      expect(alt.text.slice(p.start, p.end)).toBe(p.text);
      const input = readPath(TABLE, p.path);
      if (typeof input === 'number') expect(p.value).toBe(input);
      else expect(String(input)).toContain(p.text);
    }
    expect(alt.provenance.find((p) => p.text === '15.08')).toMatchObject({ path: 'rows[2][1]' });
    const de = describeChart({ ...spec, locale: 'de' });
    expect(de.text).toContain('Q3 2024 15,08 €m');
    expect(de.untraced).toEqual([]);
  });

  it('matches the golden column chart pixel for pixel; the SVG carries its title and description', async () => {
    const chart = await renderChart(
      {
        kind: 'column',
        title: 'Quarterly revenue',
        subtitle: 'Millions of euros',
        source: 'Company filings',
        unit: '€m',
        data: chartDataFromTable(TABLE),
      },
      DEFAULT_BRAND,
    );
    expect(chart.svg).toContain('<title id="chart-title">Quarterly revenue</title>');
    expect(chart.svg).toContain(`<desc id="chart-desc">${chart.alt.text}</desc>`);
    expect(chart.svg).toContain('role="img"');
    await expectGolden(chart.png, 'chart-column.png');
  });

  it('draws bar and line charts with negative and missing values', async () => {
    const data = chartDataFromTable({
      columns: ['Region', 'Change'],
      rows: [
        ['North', 7.2],
        ['West', -1.5],
        ['Islands', null],
        ['South', 3],
      ],
    });
    for (const kind of ['bar', 'line'] as const) {
      const chart = await renderChart(
        {
          kind,
          title: 'Change in jobs',
          source: 'Statistics office',
          unit: '%',
          data,
          width: 800,
          height: 600,
        },
        DEFAULT_BRAND,
      );
      expect({ w: chart.width, h: chart.height }).toEqual({ w: 800, h: 600 });
      expect(chart.alt.text).toContain('North 7.2%; West -1.5%; South 3%.');
      expect(chart.alt.text).not.toContain('Islands');
    }
    await expect(
      renderChart({ kind: 'pie' as 'bar', title: 'x', source: 'y', data }, DEFAULT_BRAND),
    ).rejects.toThrow(/not a chart kind/);
    await expect(renderChart({ kind: 'bar', title: 'x', source: ' ', data }, DEFAULT_BRAND)).rejects.toThrow(
      /source: say where/,
    );
  });
});
