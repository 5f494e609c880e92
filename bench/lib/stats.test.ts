import { describe, expect, it } from 'vitest';
import { median, percentile, summarize } from './stats';

describe('percentile', () => {
  it('interpolates between the closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 25)).toBe(20);
    expect(percentile([0, 100], 99)).toBeCloseTo(99);
  });

  it('does not depend on the order of the sample and does not reorder it', () => {
    const sample = [5, 1, 4, 2, 3];
    expect(median(sample)).toBe(3);
    expect(sample).toEqual([5, 1, 4, 2, 3]);
  });

  it('gives the only value of a one-element sample for every percentile', () => {
    expect(percentile([7], 0)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('gives the extremes at 0 and 100', () => {
    expect(percentile([3, 9, 1], 0)).toBe(1);
    expect(percentile([3, 9, 1], 100)).toBe(9);
  });

  it('refuses an empty sample and an out-of-range percentile', () => {
    expect(() => percentile([], 50)).toThrow(/empty/);
    expect(() => percentile([1], 101)).toThrow(/range/);
    expect(() => percentile([1], Number.NaN)).toThrow(/range/);
  });
});

describe('summarize', () => {
  it('reports count, extremes, percentiles and mean', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    expect(summarize(values)).toEqual({ n: 101, min: 0, max: 100, p5: 5, p50: 50, p95: 95, p99: 99, mean: 50 });
  });

  it('refuses an empty sample: a benchmark that measured nothing is broken', () => {
    expect(() => summarize([])).toThrow(/nothing was measured/);
  });

  it('refuses non-finite values', () => {
    expect(() => summarize([1, Number.POSITIVE_INFINITY])).toThrow(/finite/);
  });
});
