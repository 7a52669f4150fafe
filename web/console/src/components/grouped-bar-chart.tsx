// A horizontal bar chart with one bar per series inside each row (e.g. a
// count by gender for each age band), drawn as SVG with plain code. Every
// bar is labelled in text with its series and value, so nothing depends on
// colour; withheld values are drawn as an outlined, labelled gap, never as
// a bar of length zero. The numbers are also given as a table.

import { useId } from 'preact/hooks';

export interface GroupedCell {
  // The series' key (a CSS hook: series-<key>) and its name.
  series: string;
  seriesLabel: string;
  // The bar's length; null when withheld.
  value: number | null;
  // The value as text, e.g. "12" or "färre än 5".
  valueText: string;
}

export interface GroupedRow {
  key: string;
  label: string;
  cells: GroupedCell[];
  // Extra columns of the table only (e.g. the total), after the cells.
  extra?: string[];
}

export interface GroupedBarChartProps {
  title: string;
  description: string;
  rows: GroupedRow[];
  // Column headings of the table: the row label, each series, then `extra`.
  labelHeading: string;
  extraHeadings?: string[];
  tableSummary: string;
  testId?: string;
}

const kWidth = 720;
const kLabelWidth = 200;
const kValueWidth = 250;
const kBarHeight = 13;
const kBarGap = 3;
const kRowGap = 12;
const kTop = 8;

export function GroupedBarChart(props: GroupedBarChartProps) {
  const id = useId();
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const series = props.rows[0]?.cells ?? [];
  const values = props.rows.flatMap((r) => r.cells.map((c) => c.value)).filter((v): v is number => v !== null);
  const max = Math.max(1, ...values);
  const plotWidth = kWidth - kLabelWidth - kValueWidth;
  const x = (v: number) => kLabelWidth + (Math.max(0, v) / max) * plotWidth;
  const rowHeight = series.length * (kBarHeight + kBarGap) + kRowGap;
  const height = kTop + props.rows.length * rowHeight + 4;

  return (
    <figure class="bar-chart grouped-bar-chart" data-testid={props.testId}>
      <figcaption>
        <span class="bar-chart-title">{props.title}</span>
        <span class="bar-chart-description">{props.description}</span>
      </figcaption>
      <svg viewBox={`0 0 ${kWidth} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`}
        class="bar-chart-svg" preserveAspectRatio="xMinYMin meet" data-max={max}
        data-plot-x0={kLabelWidth} data-plot-x1={kLabelWidth + plotWidth}>
        <title id={titleId}>{props.title}</title>
        <desc id={descId}>{props.description}</desc>
        <line x1={kLabelWidth} y1={kTop - 4} x2={kLabelWidth} y2={height - 4} class="bar-chart-axis" />
        {props.rows.map((row, i) => {
          const y0 = kTop + i * rowHeight;
          return (
            <g key={row.key} class="grouped-row" data-key={row.key}>
              <text x={kLabelWidth - 8} y={y0 + (series.length * (kBarHeight + kBarGap)) / 2 + 4} class="bar-chart-label">
                {row.label.length <= 28 ? row.label : `${row.label.slice(0, 27)}…`}
              </text>
              {row.cells.map((cell, j) => {
                const y = y0 + j * (kBarHeight + kBarGap);
                const withheld = cell.value === null;
                return (
                  <g key={cell.series} class={`grouped-bar series-${cell.series}${withheld ? ' withheld' : ''}`}
                    data-series={cell.series} data-value={withheld ? '' : String(cell.value)}>
                    <title>{`${row.label}, ${cell.seriesLabel}: ${cell.valueText}`}</title>
                    {withheld ? (
                      <rect x={kLabelWidth + 1} y={y} width={plotWidth / 4} height={kBarHeight} class="bar-chart-gap" />
                    ) : (
                      <rect x={kLabelWidth + 1} y={y} width={Math.max(0, x(cell.value ?? 0) - kLabelWidth - 1)}
                        height={kBarHeight} class="bar-chart-bar" />
                    )}
                    <text x={(withheld ? kLabelWidth + plotWidth / 4 : x(cell.value ?? 0)) + 6} y={y + kBarHeight - 2}
                      class="bar-chart-value grouped-value">
                      {`${cell.seriesLabel} ${cell.valueText}`}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <details class="bar-chart-table">
        <summary>{props.tableSummary}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{props.labelHeading}</th>
              {series.map((c) => <th scope="col" key={c.series}>{c.seriesLabel}</th>)}
              {(props.extraHeadings ?? []).map((h) => <th scope="col" key={h}>{h}</th>)}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={row.key} data-key={row.key}>
                <th scope="row">{row.label}</th>
                {row.cells.map((c) => <td key={c.series} data-series={c.series}>{c.valueText}</td>)}
                {(row.extra ?? []).map((v, k) => <td key={k} data-series={`extra-${k}`}>{v}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
