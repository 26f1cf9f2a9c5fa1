/** A small SVG line chart (no library): series of {x, y} with axes, points, a legend and a data table for screen readers. */

export interface Series {
  name: string;
  points: { x: number; y: number; label?: string }[];
}

const COLORS = ['#1f5fbf', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490'];

const nice = (v: number) =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);

export function LineChart({
  series,
  title,
  xLabel,
  yLabel,
  height = 220,
}: {
  series: Series[];
  title: string;
  xLabel: string;
  yLabel: string;
  height?: number;
}) {
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y) && Number.isFinite(p.x));
  if (!all.length) return <p class="muted">No data to chart yet for {title.toLowerCase()}.</p>;
  const W = 560;
  const H = height;
  const m = { l: 56, r: 12, t: 12, b: 36 };
  let [x0, x1] = [Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x))];
  let [y0, y1] = [Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y))];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - Math.abs(y0 || 1) * 0.1, y1 + Math.abs(y1 || 1) * 0.1];
  const pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => y0 + f * (y1 - y0));
  const xs = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
  const step = Math.max(1, Math.ceil(xs.length / 8));
  const xTicks = xs.filter((_, i) => i % step === 0);
  const labelOf = new Map(all.map((p) => [p.x, p.label ?? String(p.x)]));
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}: line chart of ${yLabel} by ${xLabel}`}>
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={m.l} x2={W - m.r} y1={sy(t)} y2={sy(t)} class="grid" />
            <text x={m.l - 6} y={sy(t) + 4} text-anchor="end" class="tick">
              {nice(t)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={t} x={sx(t)} y={H - m.b + 16} text-anchor="middle" class="tick">
            {labelOf.get(t)}
          </text>
        ))}
        <text x={(W + m.l) / 2} y={H - 4} text-anchor="middle" class="axis">
          {xLabel}
        </text>
        <text
          x={12}
          y={(H - m.b) / 2}
          text-anchor="middle"
          class="axis"
          transform={`rotate(-90 12 ${(H - m.b) / 2})`}
        >
          {yLabel}
        </text>
        {series.map((s, i) => {
          const pts = s.points.filter((p) => Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
          const c = COLORS[i % COLORS.length];
          return (
            <g key={s.name}>
              <polyline
                fill="none"
                stroke={c}
                stroke-width="2"
                points={pts.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')}
              />
              {pts.map((p) => (
                <circle key={p.x} cx={sx(p.x)} cy={sy(p.y)} r="3.5" fill={c}>
                  <title>{`${s.name} at ${p.label ?? p.x}: ${nice(p.y)}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      {series.length > 1 && (
        <ul class="legend">
          {series.map((s, i) => (
            <li key={s.name}>
              <span class="swatch" style={{ background: COLORS[i % COLORS.length] }} />
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <table class="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th>{xLabel}</th>
            {series.map((s) => (
              <th key={s.name}>{s.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {xs.map((x) => (
            <tr key={x}>
              <td>{labelOf.get(x)}</td>
              {series.map((s) => (
                <td key={s.name}>{s.points.find((p) => p.x === x)?.y ?? ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
