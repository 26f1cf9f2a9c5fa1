import { GraphicsError } from './errors.js';

/** A number of a chart with where it came from in the input ("rows[2][1]", "parties[0].votes"). */
export interface ChartValue {
  value: number | null;
  path: string;
}

export interface ChartCategory {
  label: string;
  path: string;
}

export interface ChartSeries {
  name: string;
  /** Where the name came from (a column header, a field name). */
  path: string;
  values: ChartValue[];
}

export interface ChartData {
  categories: ChartCategory[];
  series: ChartSeries[];
}

export type Cell = string | number | null;

/** A table as an editor types it: a header row and rows of cells. */
export interface ChartTable {
  columns: string[];
  rows: Cell[][];
}

export const CHART_LIMITS = { categories: 60, series: 8 } as const;

function bad(message: string, field: string): GraphicsError {
  return new GraphicsError('BAD_INPUT', message, { field });
}

function toNumber(cell: unknown, where: string): number | null {
  if (cell === null || cell === undefined || cell === '') return null;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw bad(`${where}: ${cell} is not a finite number`, where);
    return cell;
  }
  if (typeof cell === 'string') {
    const n = Number(cell.replace(/[\s\u00a0\u202f,]/g, ''));
    if (Number.isFinite(n) && /\d/.test(cell)) return n;
  }
  throw bad(
    `${where}: "${String(cell)}" is not a number; write numbers without units (put the unit in "unit")`,
    where,
  );
}

function checkSize(data: ChartData, field: string): ChartData {
  if (data.categories.length === 0) throw bad(`${field}: the chart has no rows to draw`, field);
  if (data.categories.length > CHART_LIMITS.categories)
    throw bad(
      `${field}: ${data.categories.length} categories; a chart shows at most ${CHART_LIMITS.categories} (aggregate first)`,
      field,
    );
  if (data.series.length === 0) throw bad(`${field}: choose at least one column of numbers`, field);
  if (data.series.length > CHART_LIMITS.series)
    throw bad(`${field}: ${data.series.length} series; a chart shows at most ${CHART_LIMITS.series}`, field);
  if (data.series.every((s) => s.values.every((v) => v.value === null)))
    throw bad(`${field}: every value is empty`, field);
  return data;
}

/**
 * Chart data from a table: the label column (default the first) gives the categories, each value column
 * (default every other column) a series. Values keep their cell's path, rows[i][j].
 */
export function chartDataFromTable(
  table: ChartTable,
  options: { labelColumn?: string | number; valueColumns?: Array<string | number> } = {},
): ChartData {
  const { columns, rows } = table;
  if (!Array.isArray(columns) || columns.length < 2)
    throw bad(
      'table.columns: give a header with a label column and at least one column of numbers',
      'table.columns',
    );
  if (!Array.isArray(rows)) throw bad('table.rows: give the rows as lists of cells', 'table.rows');
  const index = (c: string | number, field: string): number => {
    const i = typeof c === 'number' ? c : columns.indexOf(c);
    if (!(i >= 0 && i < columns.length))
      throw bad(`${field}: no column "${c}"; columns are ${columns.join(', ')}`, field);
    return i;
  };
  const labelCol = index(options.labelColumn ?? 0, 'labelColumn');
  const valueCols = (options.valueColumns ?? columns.map((_, i) => i).filter((i) => i !== labelCol)).map(
    (c) => index(c, 'valueColumns'),
  );
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== columns.length)
      throw bad(
        `table.rows[${i}]: has ${Array.isArray(row) ? row.length : 0} cells; the header has ${columns.length}`,
        `table.rows[${i}]`,
      );
  });
  return checkSize(
    {
      categories: rows.map((row, i) => ({
        label: String(row[labelCol] ?? ''),
        path: `rows[${i}][${labelCol}]`,
      })),
      series: valueCols.map((j) => ({
        name: columns[j]!,
        path: `columns[${j}]`,
        values: rows.map((row, i) => ({
          value: toNumber(row[j], `table.rows[${i}][${j}]`),
          path: `rows[${i}][${j}]`,
        })),
      })),
    },
    'table',
  );
}

/** Reads "a.b[2].c" from a JSON value. */
export function readPath(data: unknown, path: string): unknown {
  const parts = path.match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let at: unknown = data;
  for (const part of parts) {
    if (at === null || at === undefined) return undefined;
    const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/** How to read a chart from the JSON data of a data-to-text draft. */
export type DataMapping =
  | {
      /** Path of a list of records ("scorers", "results.parties"). */
      items: string;
      /** Field of each record that names its category. */
      label: string;
      /** Fields with the numbers, one series each. */
      values: Array<{ field: string; name?: string }>;
    }
  | {
      /** Single numbers of the record, one category each (revenue, net income...). */
      fields: Array<{ path: string; label?: string }>;
      seriesName: string;
    };

/** Chart data from draft data (the JSON a data-to-text template renders), each value keeping its path. */
export function chartDataFromRecords(data: unknown, mapping: DataMapping): ChartData {
  if ('items' in mapping) {
    const list = readPath(data, mapping.items);
    if (!Array.isArray(list))
      throw bad(`mapping.items: "${mapping.items}" is not a list in the data`, 'mapping.items');
    if (!mapping.values?.length)
      throw bad('mapping.values: name at least one field with numbers', 'mapping.values');
    return checkSize(
      {
        categories: list.map((item, i) => {
          const label = readPath(item, mapping.label);
          if (label === undefined || label === null)
            throw bad(`mapping.label: ${mapping.items}[${i}] has no "${mapping.label}"`, 'mapping.label');
          return { label: String(label), path: `${mapping.items}[${i}].${mapping.label}` };
        }),
        series: mapping.values.map((v) => ({
          name: v.name ?? v.field,
          path: `${mapping.items}[].${v.field}`,
          values: list.map((item, i) => {
            const path = `${mapping.items}[${i}].${v.field}`;
            return { value: toNumber(readPath(item, v.field), path), path };
          }),
        })),
      },
      'mapping',
    );
  }
  if (!mapping.fields?.length)
    throw bad('mapping.fields: name at least one field with a number', 'mapping.fields');
  return checkSize(
    {
      categories: mapping.fields.map((f, i) => ({
        label: f.label ?? f.path,
        path: f.label ? `mapping.fields[${i}].label` : f.path,
      })),
      series: [
        {
          name: mapping.seriesName,
          path: 'seriesName',
          values: mapping.fields.map((f) => ({
            value: toNumber(readPath(data, f.path), f.path),
            path: f.path,
          })),
        },
      ],
    },
    'mapping',
  );
}
