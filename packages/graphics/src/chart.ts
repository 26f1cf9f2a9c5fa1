import sharp from 'sharp';
import type { BrandTemplate } from './brand.js';
import type { ChartData } from './chart-data.js';
import { GraphicsError } from './errors.js';
import { assertDrawable, loadFont, type LoadedFont } from './fonts.js';
import { fitText, linePath, measure, textPathData } from './text.js';

/** Chart kinds. Stored with every chart: do not rename. */
export const CHART_KINDS = ['bar', 'column', 'line'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export interface ChartSpec {
  kind: ChartKind;
  title: string;
  subtitle?: string | null;
  /** Who the numbers come from; drawn as "Source: …" under the chart. Required. */
  source: string;
  /** Unit written after each number in labels and the description ("%", "€m", "goals"). */
  unit?: string | null;
  data: ChartData;
  width?: number;
  height?: number;
  /** Number formatting (BCP 47), default en. */
  locale?: string;
}

/** A number written in the description, traced to the input like the data-to-text drafts' numbers. */
export interface NumberProvenance {
  text: string;
  value: number;
  path: string;
  start: number;
  end: number;
}

export interface ChartDescription {
  text: string;
  provenance: NumberProvenance[];
  /** Numbers in the text that no input produced (expected empty). */
  untraced: Array<{ text: string; start: number; end: number }>;
}

export interface RenderedChart {
  svg: string;
  png: Buffer;
  width: number;
  height: number;
  alt: ChartDescription;
  fonts: Array<{ family: string; style: string; version: string }>;
  renderMs: number;
}

const INK = '#1a1a1a';
const MUTED = '#5f6368';
const GRID = '#d9d9d9';
const PAPER = '#ffffff';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Axis ticks at 1, 2, 2.5 or 5 × 10^k covering [min, max] and zero. */
export function niceTicks(min: number, max: number, target = 5): number[] {
  let lo = Math.min(0, min);
  let hi = Math.max(0, max);
  if (lo === hi) hi = lo + 1;
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  return ticks.map((t) => Number(t.toPrecision(12)));
}

function formatter(locale: string): (n: number) => string {
  const f = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  return (n) => f.format(n);
}

const KIND_NAME: Record<ChartKind, string> = { bar: 'Bar chart', column: 'Column chart', line: 'Line chart' };

/**
 * The chart's accessible description: kind, title, each series' values by category, highest and lowest,
 * the source. Every number written records the input path it came from.
 */
export function describeChart(spec: ChartSpec): ChartDescription {
  const fmt = formatter(spec.locale ?? 'en');
  const unit = spec.unit ? (/^[%‰]$/.test(spec.unit) ? spec.unit : ` ${spec.unit}`) : '';
  let text = '';
  const provenance: NumberProvenance[] = [];
  const put = (s: string) => {
    text += s;
  };
  const num = (value: number, path: string) => {
    const written = fmt(value);
    provenance.push({ text: written, value, path, start: text.length, end: text.length + written.length });
    text += written;
  };
  // Labels and titles are text from the input: their digits are traced to the field they came from.
  const label = (s: string, path: string) => {
    for (const m of s.matchAll(NUMBER)) {
      provenance.push({
        text: m[0],
        value: Number(m[0].replace(/[^\d.-]/g, '')),
        path,
        start: text.length + m.index!,
        end: text.length + m.index! + m[0].length,
      });
    }
    text += s;
  };
  put(`${KIND_NAME[spec.kind]}: `);
  label(spec.title.trim().replace(/[.\s]+$/, ''), 'title');
  put('. ');
  if (spec.subtitle?.trim()) {
    label(spec.subtitle.trim().replace(/[.\s]+$/, ''), 'subtitle');
    put('. ');
  }
  const { categories, series } = spec.data;
  for (const s of series) {
    if (series.length > 1) {
      label(s.name, s.path);
      put(': ');
    }
    const shown = s.values.map((v, i) => ({ v, c: categories[i]! })).filter((x) => x.v.value !== null);
    shown.forEach(({ v, c }, i) => {
      label(c.label, c.path);
      put(' ');
      num(v.value!, v.path);
      put(unit);
      put(i < shown.length - 1 ? '; ' : '. ');
    });
    if (shown.length >= 3) {
      const hi = shown.reduce((a, b) => (b.v.value! > a.v.value! ? b : a));
      const lo = shown.reduce((a, b) => (b.v.value! < a.v.value! ? b : a));
      put('Highest: ');
      label(hi.c.label, hi.c.path);
      put(' (');
      num(hi.v.value!, hi.v.path);
      put(`${unit}); lowest: `);
      label(lo.c.label, lo.c.path);
      put(' (');
      num(lo.v.value!, lo.v.path);
      put(`${unit}). `);
    }
  }
  put('Source: ');
  label(spec.source.trim().replace(/[.\s]+$/, ''), 'source');
  put('.');
  provenance.sort((a, b) => a.start - b.start);
  const untraced: ChartDescription['untraced'] = [];
  for (const m of text.matchAll(NUMBER)) {
    const start = m.index!;
    if (!provenance.some((p) => p.start <= start && start < p.end))
      untraced.push({ text: m[0], start, end: start + m[0].length });
  }
  return { text, provenance, untraced };
}

const NUMBER = /-?\d+(?:[.,\u00a0\u202f]\d+)*/g;

interface Fonts {
  regular: LoadedFont;
  bold: LoadedFont;
}

function checkSpec(spec: ChartSpec, fonts: Fonts): void {
  if (!(CHART_KINDS as readonly string[]).includes(spec.kind))
    throw new GraphicsError(
      'BAD_INPUT',
      `kind: "${spec.kind}" is not a chart kind; choose ${CHART_KINDS.join(', ')}`,
      { field: 'kind' },
    );
  if (!spec.title?.trim())
    throw new GraphicsError('BAD_INPUT', 'title: write what the chart shows', { field: 'title' });
  if (!spec.source?.trim())
    throw new GraphicsError('BAD_INPUT', 'source: say where the numbers come from (drawn as "Source: …")', {
      field: 'source',
    });
  const w = spec.width ?? 1200;
  const h = spec.height ?? 675;
  if (!(w >= 320 && w <= 2400 && h >= 240 && h <= 2400))
    throw new GraphicsError('BAD_INPUT', 'width and height: between 320×240 and 2400×2400 px', {
      field: 'width',
    });
  const texts: Array<[string, string]> = [
    ['title', spec.title],
    ['subtitle', spec.subtitle ?? ''],
    ['source', spec.source],
    ['unit', spec.unit ?? ''],
    ...spec.data.categories.map((c) => [c.path, c.label] as [string, string]),
    ...spec.data.series.map((s) => [s.path, s.name] as [string, string]),
  ];
  for (const [field, value] of texts) assertDrawable(fonts.bold, value, field);
}

/**
 * Draws a bar, column or line chart as SVG (text as glyph outlines, with <title> and <desc> for screen
 * readers) and PNG: title, subtitle, legend for several series, value axis with round ticks through
 * zero, value labels where they fit, and the source line.
 */
export async function renderChart(spec: ChartSpec, brand: BrandTemplate): Promise<RenderedChart> {
  const t0 = performance.now();
  const fonts: Fonts = {
    regular: loadFont(brand.textFont, 'regular'),
    bold: loadFont(brand.textFont, 'bold'),
  };
  checkSpec(spec, fonts);
  const W = Math.round(spec.width ?? 1200);
  const H = Math.round(spec.height ?? 675);
  const s = Math.min(W, H);
  const fmt = formatter(spec.locale ?? 'en');
  const unitShort = spec.unit && /^[%‰]$/.test(spec.unit) ? spec.unit : '';
  const colors = [brand.accentColor, ...brand.palette];
  const alt = describeChart(spec);
  const { categories, series } = spec.data;

  const pad = Math.round(0.045 * s);
  const body: string[] = [];
  const path = (d: string, fill: string) => (d ? body.push(`<path d="${d}" fill="${fill}"/>`) : undefined);

  // Title, subtitle, legend from the top.
  let y = pad;
  const title = fitText(
    fonts.bold,
    spec.title,
    { width: W - 2 * pad, height: 0.2 * H },
    {
      maxSize: Math.round(0.058 * s),
      minSize: Math.round(0.036 * s),
      maxLines: 2,
      lineHeight: 1.15,
    },
  );
  path(textPathData(fonts.bold, title, pad, y, W - 2 * pad), INK);
  y += title.height + Math.round(0.012 * s);
  if (spec.subtitle?.trim()) {
    const sub = fitText(
      fonts.regular,
      spec.subtitle,
      { width: W - 2 * pad, height: 0.12 * H },
      {
        maxSize: Math.round(0.034 * s),
        minSize: Math.round(0.026 * s),
        maxLines: 2,
        lineHeight: 1.2,
      },
    );
    path(textPathData(fonts.regular, sub, pad, y, W - 2 * pad), MUTED);
    y += sub.height + Math.round(0.012 * s);
  }
  const small = Math.max(11, Math.round(0.026 * s));
  if (series.length > 1) {
    let x = pad;
    const box = Math.round(small * 0.8);
    for (const [i, ser] of series.entries()) {
      const w = measure(fonts.regular, ser.name, small);
      if (x + box + 8 + w > W - pad && x > pad) {
        x = pad;
        y += Math.round(small * 1.5);
      }
      body.push(
        `<rect x="${x}" y="${y + Math.round(small * 0.15)}" width="${box}" height="${box}" fill="${colors[i % colors.length]}"/>`,
      );
      path(linePath(fonts.regular, ser.name, small, x + box + 8, y + small * 0.9).d, INK);
      x += box + 8 + w + Math.round(small * 1.4);
    }
    y += Math.round(small * 1.6);
  }

  // Source line at the bottom.
  const sourceText = `Source: ${spec.source.trim()}`;
  const source = fitText(
    fonts.regular,
    sourceText,
    { width: W - 2 * pad, height: small * 1.3 },
    {
      maxSize: small,
      minSize: Math.max(9, Math.round(small * 0.75)),
      maxLines: 1,
      lineHeight: 1.2,
    },
  );
  const sourceY = H - pad - source.height;
  path(textPathData(fonts.regular, source, pad, sourceY, W - 2 * pad), MUTED);

  // Plot area.
  const values = series
    .flatMap((ser) => ser.values.map((v) => v.value))
    .filter((v): v is number => v !== null);
  const ticks = niceTicks(Math.min(...values), Math.max(...values));
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const tickLabels = ticks.map((t) => fmt(t) + unitShort);
  const valueLabel = (v: number) => fmt(v) + unitShort;
  const top = y + Math.round(0.02 * s);
  const bottom = sourceY - Math.round(0.03 * s);
  const label = small;

  if (spec.kind === 'bar') {
    // Horizontal bars: categories down the left, values along x.
    const labelW = Math.min(
      0.32 * W,
      Math.max(...categories.map((c) => measure(fonts.regular, c.label, label))) + 8,
    );
    const left = pad + labelW;
    const right = W - pad - measure(fonts.regular, valueLabel(hi), label) - 8;
    const axisBottom = bottom - label * 1.4;
    const band = (axisBottom - top) / categories.length;
    const xOf = (v: number) => left + ((v - lo) / (hi - lo)) * (right - left);
    ticks.forEach((t, i) => {
      const x = xOf(t);
      body.push(
        `<line x1="${x.toFixed(2)}" y1="${top}" x2="${x.toFixed(2)}" y2="${axisBottom.toFixed(2)}" stroke="${t === 0 ? MUTED : GRID}" stroke-width="${t === 0 ? 2 : 1}"/>`,
      );
      path(linePath(fonts.regular, tickLabels[i]!, label, x, bottom - label * 0.3, 'middle').d, MUTED);
    });
    const barH = (band * 0.72) / series.length;
    categories.forEach((c, i) => {
      const cy = top + band * i;
      const text = fitText(
        fonts.regular,
        c.label,
        { width: labelW - 8, height: band },
        { maxSize: label, minSize: Math.max(8, label * 0.7), maxLines: 2, lineHeight: 1.1 },
      );
      path(textPathData(fonts.regular, text, pad, cy + (band - text.height) / 2, labelW - 8), INK);
      series.forEach((ser, k) => {
        const v = ser.values[i]!.value;
        if (v === null) return;
        const by = cy + band * 0.14 + barH * k;
        body.push(
          `<rect x="${Math.min(xOf(0), xOf(v)).toFixed(2)}" y="${by.toFixed(2)}" width="${Math.abs(xOf(v) - xOf(0)).toFixed(2)}" height="${barH.toFixed(2)}" fill="${colors[k % colors.length]}"/>`,
        );
        if (barH >= label * 0.9) {
          const lx = v >= 0 ? xOf(v) + 6 : xOf(v) - 6;
          path(
            linePath(
              fonts.regular,
              valueLabel(v),
              label * 0.9,
              lx,
              by + barH / 2 + label * 0.32,
              v >= 0 ? 'start' : 'end',
            ).d,
            INK,
          );
        }
      });
    });
  } else {
    // Columns and lines: categories along x, values up the left.
    const axisW = Math.max(...tickLabels.map((t) => measure(fonts.regular, t, label))) + 10;
    const left = pad + axisW;
    const right = W - pad;
    const catLabelH = label * 2.5;
    const axisBottom = bottom - catLabelH;
    const yOf = (v: number) => axisBottom - ((v - lo) / (hi - lo)) * (axisBottom - top);
    ticks.forEach((t, i) => {
      const ty = yOf(t);
      body.push(
        `<line x1="${left}" y1="${ty.toFixed(2)}" x2="${right}" y2="${ty.toFixed(2)}" stroke="${t === 0 ? MUTED : GRID}" stroke-width="${t === 0 ? 2 : 1}"/>`,
      );
      path(linePath(fonts.regular, tickLabels[i]!, label, left - 10, ty + label * 0.35, 'end').d, MUTED);
    });
    const band = (right - left) / categories.length;
    // Category labels: every k-th when they would collide.
    const widest = Math.max(...categories.map((c) => measure(fonts.regular, c.label, label)));
    const every = spec.kind === 'line' ? Math.max(1, Math.ceil((widest + 12) / band)) : 1;
    categories.forEach((c, i) => {
      if (i % every !== 0) return;
      const cx = left + band * (i + 0.5);
      const width = spec.kind === 'line' ? band * every - 4 : band - 4;
      const text = fitText(
        fonts.regular,
        c.label,
        { width, height: catLabelH - 6 },
        { maxSize: label, minSize: Math.max(8, label * 0.6), maxLines: 2, lineHeight: 1.1, align: 'center' },
      );
      path(textPathData(fonts.regular, text, cx - width / 2, axisBottom + 6, width), INK);
    });
    if (spec.kind === 'column') {
      const colW = (band * 0.72) / series.length;
      categories.forEach((_, i) => {
        series.forEach((ser, k) => {
          const v = ser.values[i]!.value;
          if (v === null) return;
          const x = left + band * i + band * 0.14 + colW * k;
          const y0 = Math.min(yOf(v), yOf(0));
          body.push(
            `<rect x="${x.toFixed(2)}" y="${y0.toFixed(2)}" width="${colW.toFixed(2)}" height="${Math.abs(yOf(v) - yOf(0)).toFixed(2)}" fill="${colors[k % colors.length]}"/>`,
          );
          const text = valueLabel(v);
          const size = label * 0.9;
          if (measure(fonts.regular, text, size) <= colW + band * 0.1) {
            const ly = v >= 0 ? yOf(v) - 6 : yOf(v) + size + 2;
            path(linePath(fonts.regular, text, size, x + colW / 2, ly, 'middle').d, INK);
          }
        });
      });
    } else {
      series.forEach((ser, k) => {
        const color = colors[k % colors.length]!;
        const pts = ser.values.map((v, i) =>
          v.value === null ? null : ([left + band * (i + 0.5), yOf(v.value)] as const),
        );
        // A gap where a value is missing.
        let d = '';
        let pen = false;
        for (const p of pts) {
          if (!p) {
            pen = false;
            continue;
          }
          d += `${pen ? 'L' : 'M'}${p[0].toFixed(2)} ${p[1].toFixed(2)}`;
          pen = true;
        }
        body.push(
          `<path d="${d}" fill="none" stroke="${color}" stroke-width="${Math.max(2, Math.round(s * 0.006))}" stroke-linejoin="round" stroke-linecap="round"/>`,
        );
        const r = Math.max(3, Math.round(s * 0.007));
        if (categories.length <= 24)
          for (const p of pts)
            if (p)
              body.push(`<circle cx="${p[0].toFixed(2)}" cy="${p[1].toFixed(2)}" r="${r}" fill="${color}"/>`);
        // The last value labelled at the line's end when there is one series.
        const last = [...ser.values.entries()].reverse().find(([, v]) => v.value !== null);
        if (series.length === 1 && last) {
          const [i, v] = last;
          path(
            linePath(
              fonts.bold,
              valueLabel(v.value!),
              label,
              left + band * (i + 0.5),
              yOf(v.value!) - r - 6,
              'end',
            ).d,
            INK,
          );
        }
      });
    }
  }

  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="chart-title chart-desc">`,
    `<title id="chart-title">${esc(spec.title.trim())}</title>`,
    `<desc id="chart-desc">${esc(alt.text)}</desc>`,
    `<rect width="${W}" height="${H}" fill="${PAPER}"/>`,
    ...body,
    '</svg>',
  ].join('\n');
  let png: Buffer;
  try {
    png = await sharp(Buffer.from(svg)).removeAlpha().png({ compressionLevel: 6 }).toBuffer();
  } catch (error) {
    throw new GraphicsError(
      'BAD_INPUT',
      `The chart could not be drawn: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  return {
    svg,
    png,
    width: W,
    height: H,
    alt,
    fonts: [fonts.regular, fonts.bold].map((f) => ({ family: f.family, style: f.style, version: f.version })),
    renderMs: Math.round(performance.now() - t0),
  };
}
