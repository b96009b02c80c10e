import { useId } from 'react';
import type { LabRunStatus } from '../../../src/api/schemas/lab';
import { formatCount } from '../format';

type Sample = LabRunStatus['timeline'][number];
type Step = LabRunStatus['steps'][number];

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 14, right: 16, bottom: 30, left: 52 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;

/**
 * Acknowledged vs processed records over the run, with a marker at each fault step: the
 * gap between the lines is what the consumer has yet to see, and a processed line that ends
 * below the acknowledged one is loss, above it repeats. Drawn by hand as SVG (role img with
 * a text summary), in the theme's colours; the lines also differ by dash for colour-blind
 * readers.
 */
export function LabChart({ samples, steps, startedAt, records }: { samples: readonly Sample[]; steps: readonly Step[]; startedAt: number; records: number }) {
  const ids = useId();
  const last = samples.at(-1);
  const endMs = Math.max(1000, (last?.at ?? startedAt) - startedAt, ...steps.map((step) => step.at - startedAt));
  // The workload's size is the top, so a line ending below it is visibly short; repeats may go above.
  const maxCount = Math.max(records, ...samples.map((sample) => Math.max(sample.acknowledged, sample.consumed)));
  const x = (at: number) => PAD.left + ((at - startedAt) / endMs) * PLOT_W;
  const y = (count: number) => PAD.top + PLOT_H - (count / maxCount) * PLOT_H;
  // Counts are sampled when they change: a step at each sample, not a slope between two.
  const line = (pick: (sample: Sample) => number) => {
    const points = [`${x(startedAt).toFixed(1)},${y(0).toFixed(1)}`];
    let previous = 0;
    for (const sample of samples) {
      const at = x(sample.at).toFixed(1);
      points.push(`${at},${y(previous).toFixed(1)}`, `${at},${y(pick(sample)).toFixed(1)}`);
      previous = pick(sample);
    }
    return points.join(' ');
  };
  const yTicks = [0, Math.round(maxCount / 2), maxCount];
  const xTicks = [0, endMs / 2, endMs];
  const summary =
    last === undefined
      ? 'No records acknowledged or processed yet.'
      : `After ${(endMs / 1000).toFixed(1)} s: ${formatCount(last.acknowledged)} records acknowledged, ${formatCount(last.consumed)} processed (repeats included)${steps.length > 0 ? `; ${steps.length} fault steps marked` : ''}.`;

  return (
    <figure className="lab-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${ids}-title ${ids}-desc`} preserveAspectRatio="xMidYMid meet">
        <title id={`${ids}-title`}>Acknowledged and processed records over time</title>
        <desc id={`${ids}-desc`}>{summary}</desc>
        {yTicks.map((tick) => (
          <g key={`y${tick}`} className="chart-grid">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 8} y={y(tick)} textAnchor="end" dominantBaseline="middle">
              {formatCount(tick)}
            </text>
          </g>
        ))}
        {xTicks.map((tick) => (
          <text key={`x${tick}`} className="chart-axis" x={PAD.left + (tick / endMs) * PLOT_W} y={HEIGHT - 8} textAnchor={tick === 0 ? 'start' : tick === endMs ? 'end' : 'middle'}>
            {(tick / 1000).toFixed(tick < 10_000 ? 1 : 0)} s
          </text>
        ))}
        {steps.map((step, index) => (
          <g key={`${step.at}-${index}`} className="chart-fault">
            <title>{step.action}</title>
            <line x1={x(step.at)} x2={x(step.at)} y1={PAD.top} y2={PAD.top + PLOT_H} />
            <text x={x(step.at) + 3} y={PAD.top + 10}>
              {index + 1}
            </text>
          </g>
        ))}
        <polyline className="chart-line chart-acknowledged" points={line((sample) => sample.acknowledged)} />
        <polyline className="chart-line chart-consumed" points={line((sample) => sample.consumed)} />
      </svg>
      <figcaption>
        <ul className="chart-legend" aria-label="Chart legend">
          <li>
            <span className="legend-swatch chart-acknowledged" aria-hidden="true" />
            Acknowledged to the producer
          </li>
          <li>
            <span className="legend-swatch chart-consumed" aria-hidden="true" />
            Processed by the consumer
          </li>
          {steps.length > 0 ? (
            <li>
              <span className="legend-swatch chart-fault" aria-hidden="true" />
              Fault steps (numbered as listed)
            </li>
          ) : null}
        </ul>
      </figcaption>
    </figure>
  );
}
