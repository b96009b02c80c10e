import { useId } from 'react';
import type { LagPoint, LagTrend } from '../../../src/api/schemas/lag';
import { formatCount, formatLag, formatTime } from '../format';

const WIDTH = 960;
const HEIGHT = 220;
const PAD = { top: 12, right: 16, bottom: 26, left: 56 };
/** Horizontal grid lines, at "nice" lag values. */
const TICKS = 4;

export interface LagLine {
  readonly label: string;
  readonly points: readonly LagPoint[];
}

function niceMax(value: number): number {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  // Factors whose quarter is a round number, so the four grid lines get whole labels.
  const step = [1, 2, 4, 8, 10].find((factor) => factor * magnitude >= value)!;
  return step * magnitude;
}

/**
 * Lag over time as a hand-drawn SVG line chart. For screen readers it is one image whose
 * label states the figures (samples, first, latest, highest, trend); the points themselves
 * are also listed in a visually hidden table.
 */
export function LagChart({ title, total, lines = [], trend }: { title: string; total: readonly LagPoint[]; lines?: readonly LagLine[]; trend: LagTrend }) {
  const ids = useId();
  const all = [total, ...lines.map((line) => line.points)].flat();
  if (total.length === 0) {
    return (
      <p className="empty-inline" role="status">
        No samples yet: Samsa samples lag every few seconds while it runs, and the first points appear here shortly.
      </p>
    );
  }
  const t0 = Math.min(...all.map(([at]) => at));
  const t1 = Math.max(...all.map(([at]) => at));
  const max = niceMax(Math.max(...all.map(([, lag]) => lag)));
  const x = (at: number) => PAD.left + (t1 === t0 ? (WIDTH - PAD.left - PAD.right) / 2 : ((at - t0) / (t1 - t0)) * (WIDTH - PAD.left - PAD.right));
  const y = (lag: number) => PAD.top + (1 - lag / max) * (HEIGHT - PAD.top - PAD.bottom);
  const path = (points: readonly LagPoint[]) => points.map(([at, lag], index) => `${index === 0 ? 'M' : 'L'}${x(at).toFixed(1)},${y(lag).toFixed(1)}`).join('');
  const latest = total.at(-1)![1];
  const highest = Math.max(...total.map(([, lag]) => lag));
  const summary = `${title}: ${total.length} samples from ${formatTime(t0)} to ${formatTime(t1)}; first ${formatCount(total[0]![1])}, latest ${formatCount(latest)}, highest ${formatCount(highest)}; ${trend === 'unknown' ? 'trend not known yet' : trend}.`;
  return (
    <figure className="lag-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${ids}-title`} data-points={total.length}>
        <title id={`${ids}-title`}>{summary}</title>
        {Array.from({ length: TICKS + 1 }, (_, tick) => {
          const value = (max / TICKS) * tick;
          return (
            <g key={tick} className="lag-chart-grid">
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(value)} y2={y(value)} />
              <text x={PAD.left - 6} y={y(value)} textAnchor="end" dominantBaseline="middle">
                {formatLag(value)}
              </text>
            </g>
          );
        })}
        <text className="lag-chart-axis" x={PAD.left} y={HEIGHT - 6}>
          {formatTime(t0)}
        </text>
        <text className="lag-chart-axis" x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end">
          {formatTime(t1)}
        </text>
        {lines.map((line, index) => (
          <path key={line.label} className={`lag-chart-line lag-chart-series-${index % 6}`} d={path(line.points)} />
        ))}
        <path className="lag-chart-line lag-chart-total" d={path(total)} />
        {total.map(([at, lag]) => (
          <circle key={at} className="lag-chart-point" cx={x(at)} cy={y(lag)} r={2.5} />
        ))}
      </svg>
      {lines.length > 0 ? (
        <figcaption className="lag-chart-legend">
          <span className="legend-item">
            <span className="legend-swatch lag-chart-total" aria-hidden="true" />
            Total
          </span>
          {lines.map((line, index) => (
            <span key={line.label} className="legend-item">
              <span className={`legend-swatch lag-chart-series-${index % 6}`} aria-hidden="true" />
              {line.label}
            </span>
          ))}
        </figcaption>
      ) : null}
      <table className="visually-hidden" aria-label={`${title} samples`}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Lag</th>
          </tr>
        </thead>
        <tbody>
          {total.map(([at, lag]) => (
            <tr key={at}>
              <td>{formatTime(at)}</td>
              <td>{formatCount(lag)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

const TREND_TEXT: Record<LagTrend, { mark: string; label: string }> = {
  rising: { mark: '↑', label: 'rising' },
  falling: { mark: '↓', label: 'falling' },
  steady: { mark: '→', label: 'steady' },
  unknown: { mark: '', label: 'not known yet' },
};

/** A table cell's trend: a word (rising, falling, steady) with an arrow and a small sparkline. */
export function LagTrendCell({ trend, points }: { trend: LagTrend; points: readonly LagPoint[] }) {
  const text = TREND_TEXT[trend];
  return (
    <span className={`trend trend-${trend}`}>
      <Sparkline points={points} />
      <span className="trend-label">
        {text.mark ? <span aria-hidden="true">{text.mark} </span> : null}
        {text.label}
      </span>
    </span>
  );
}

function Sparkline({ points }: { points: readonly LagPoint[] }) {
  const width = 64;
  const height = 18;
  if (points.length < 2) return <svg className="sparkline" width={width} height={height} aria-hidden="true" />;
  const t0 = points[0]![0];
  const t1 = points.at(-1)![0];
  const max = Math.max(1, ...points.map(([, lag]) => lag));
  const d = points
    .map(([at, lag], index) => `${index === 0 ? 'M' : 'L'}${(((at - t0) / Math.max(1, t1 - t0)) * (width - 2) + 1).toFixed(1)},${(height - 1 - (lag / max) * (height - 2)).toFixed(1)}`)
    .join('');
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" data-points={points.length}>
      <path d={d} />
    </svg>
  );
}
