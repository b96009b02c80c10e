import { summarize, type Summary } from './stats';

export interface Figure {
  name: string;
  unit: string;
  value: Summary;
  baselineName: string;
  baseline: Summary;
  /** value / baseline (medians). */
  ratio: number;
  /** Extra figures that belong with this one (MB/s, percentiles...). */
  details?: Record<string, number>;
}

export function figure(name: string, unit: string, value: number[], baselineName: string, baseline: number[], details?: Record<string, number>): Figure {
  const v = summarize(value);
  const b = summarize(baseline);
  return { name, unit, value: v, baselineName, baseline: b, ratio: b.median === 0 ? 0 : v.median / b.median, ...(details ? { details } : {}) };
}
