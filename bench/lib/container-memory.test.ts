import { describe, expect, it } from 'vitest';
import { memoryUsageFromStats } from './container-memory';

describe('memoryUsageFromStats', () => {
  it('subtracts inactive page cache on cgroup v1', () => {
    expect(memoryUsageFromStats({ usage: 100, stats: { total_inactive_file: 30, inactive_file: 5 } })).toBe(70);
  });

  it('subtracts inactive_file on cgroup v2', () => {
    expect(memoryUsageFromStats({ usage: 100, stats: { inactive_file: 40 } })).toBe(60);
  });

  it('keeps the usage when the cache figure is missing or not smaller', () => {
    expect(memoryUsageFromStats({ usage: 100, stats: {} })).toBe(100);
    expect(memoryUsageFromStats({ usage: 100, stats: { total_inactive_file: 100 } })).toBe(100);
  });

  it('refuses stats without usage (a stopped container)', () => {
    expect(() => memoryUsageFromStats({})).toThrow(/no memory usage/);
  });
});
