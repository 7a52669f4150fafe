// A horizontal bar chart drawn as SVG with plain code, with its numbers
// also given as a table so that nothing is only in the picture (WCAG 1.1.1,
// 1.4.1). Bars that carry a warning are told apart by a pattern and a text
// marker, not by colour alone. Rows whose numbers are withheld are drawn as
// an outlined, labelled gap, never as a bar of length zero.

import { useId } from 'preact/hooks';

export interface BarDatum {
  // Stable key of the row (a code), never shown.
  key: string;
  // What people read on the row.
  label: string;
  // The bar's length in the chart's unit; null when the number is withheld.
  value: number | null;
  // The value as text, e.g. "0,82" or "12 deltagare".
  valueText: string;
  // True when the row is below the threshold or otherwise needs attention.
  flagged?: boolean;
}

export interface BarChartProps {
  // Heading of the figure.
  title: string;
  // One or two sentences that say what the chart shows.
  description: string;
  rows: BarDatum[];
  // The length of a full bar. Defaults to the largest value (at least 1).
  max?: number;
  // A vertical reference line, e.g. the four-fifths rule at 0.8.
  threshold?: { value: number; label: string };
  // Column headings of the table alternative.
  labelHeading: string;
  valueHeading: string;
  // Text of a withheld row, e.g. "undanhållen (färre än 5)".
  withheldText?: string;
  // Text put after a flagged row's value, e.g. "under 0,8".
  flaggedText?: string;
  // Text of the disclosure that opens the table, e.g. "Visa som tabell".
  tableSummary: string;
  // Test hook and CSS hook.
  testId?: string;
}

const kWidth = 720;
const kLabelWidth = 210;
const kValueWidth = 250;
const kRowHeight = 30;
const kBarHeight = 18;
const kTop = 24;

// The visible, shortened form of a long label; the full text stays in the
// table and in the SVG <title> of the row.
function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function BarChart(props: BarChartProps) {
  const id = useId();
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const values = props.rows
    .map((r) => r.value)
    .filter((v): v is number => v !== null);
  const max = props.max ?? Math.max(1, ...values);
  const plotWidth = kWidth - kLabelWidth - kValueWidth;
  const x = (v: number) => kLabelWidth + (Math.max(0, v) / max) * plotWidth;
  const height = kTop + props.rows.length * kRowHeight + 8;

  return (
    <figure class="bar-chart" data-testid={props.testId}>
      <figcaption>
        <span class="bar-chart-title">{props.title}</span>
        <span class="bar-chart-description">{props.description}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${kWidth} ${height}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        class="bar-chart-svg"
        data-plot-x0={kLabelWidth}
        data-plot-x1={kLabelWidth + plotWidth}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={titleId}>{props.title}</title>
        <desc id={descId}>{props.description}</desc>
        <defs>
          <pattern
            id={`${id}-hatch`}
            patternUnits="userSpaceOnUse"
            width="6"
            height="6"
            patternTransform="rotate(45)"
          >
            <line x1="0" y1="0" x2="0" y2="6" class="bar-chart-hatch" />
          </pattern>
        </defs>
        <line
          x1={kLabelWidth}
          y1={kTop - 6}
          x2={kLabelWidth}
          y2={height - 8}
          class="bar-chart-axis"
        />
        {props.rows.map((row, i) => {
          const y = kTop + i * kRowHeight;
          const barY = y + (kRowHeight - kBarHeight) / 2;
          const textY = y + kRowHeight / 2 + 5;
          return (
            <g
              key={row.key}
              class={`bar-chart-row${row.flagged ? ' flagged' : ''}${
                row.value === null ? ' withheld' : ''
              }`}
              data-key={row.key}
            >
              <title>{`${row.label}: ${row.valueText}`}</title>
              <text x={kLabelWidth - 8} y={textY} class="bar-chart-label">
                {shorten(row.label, 30)}
              </text>
              {row.value === null ? (
                <rect
                  x={kLabelWidth + 1}
                  y={barY}
                  width={plotWidth - 1}
                  height={kBarHeight}
                  class="bar-chart-gap"
                />
              ) : (
                <rect
                  x={kLabelWidth + 1}
                  y={barY}
                  width={Math.max(0, x(row.value) - kLabelWidth - 1)}
                  height={kBarHeight}
                  class="bar-chart-bar"
                  fill={row.flagged ? `url(#${id}-hatch)` : undefined}
                />
              )}
              <text
                x={
                  row.value === null
                    ? kLabelWidth + 8
                    : x(row.value) + 6
                }
                y={textY}
                class="bar-chart-value"
              >
                {row.value === null
                  ? props.withheldText ?? row.valueText
                  : row.flagged && props.flaggedText
                  ? `${row.valueText} (${props.flaggedText})`
                  : row.valueText}
              </text>
            </g>
          );
        })}
        {props.threshold && (
          <g class="bar-chart-threshold" data-testid="threshold-line">
            <line
              x1={x(props.threshold.value)}
              y1={kTop - 10}
              x2={x(props.threshold.value)}
              y2={height - 8}
            />
            <text x={x(props.threshold.value)} y={kTop - 12}>
              {props.threshold.label}
            </text>
          </g>
        )}
      </svg>
      <details class="bar-chart-table">
        <summary>{props.tableSummary}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{props.labelHeading}</th>
              <th scope="col">{props.valueHeading}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                <td>
                  {row.value === null
                    ? props.withheldText ?? row.valueText
                    : row.flagged && props.flaggedText
                    ? `${row.valueText} (${props.flaggedText})`
                    : row.valueText}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
