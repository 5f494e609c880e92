/**
 * Summaries of repeated measurements. Pure.
 *
 * Percentiles use linear interpolation between the closest ranks (the "R7" definition used by
 * numpy and spreadsheets), so p50 of an even-sized sample is the mean of the two middle values.
 */
export interface Summary {
  n: number;
  min: number;
  max: number;
  p5: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** The q-th percentile (0 <= q <= 100) of values; throws on an empty sample. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('percentile of an empty sample');
  if (!(q >= 0 && q <= 100)) throw new Error(`percentile out of range: ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low]!;
  return lowValue + (sorted[high]! - lowValue) * (rank - low);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Summarises a non-empty sample; throws on an empty one (a benchmark that measured nothing is broken). */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('nothing was measured');
  for (const value of values) if (!Number.isFinite(value)) throw new Error(`not a finite measurement: ${value}`);
  return {
    n: values.length,
    min: Math.min(...values),
    max: Math.max(...values),
    p5: percentile(values, 5),
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    mean: values.reduce((sum, value) => sum + value, 0) / values.length,
  };
}
