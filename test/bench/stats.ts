/** Median and spread of repeated measurements: the machine is shared, so one run means little. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** (max - min) / median: how much to trust the median. */
  spread: number;
  runs: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const min = sorted[0]!;
  const max = sorted.at(-1)!;
  return { median, min, max, spread: median === 0 ? 0 : (max - min) / median, runs: samples.length };
}
