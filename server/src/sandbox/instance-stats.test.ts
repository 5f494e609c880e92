import { describe, expect, it } from 'vitest';
import { instanceStats } from './instance-stats';

const sample = (cpu: number, system: number, usage = 100 * 2 ** 20, inactive = 20 * 2 ** 20) => ({
  cpu_stats: { cpu_usage: { total_usage: cpu }, system_cpu_usage: system, online_cpus: 2 },
  memory_stats: { usage, limit: 2 * 2 ** 30, stats: { total_inactive_file: inactive } },
});

describe('instanceStats', () => {
  it('computes CPU between two samples as a share of one CPU, and memory without inactive cache', () => {
    // 0.5 s of CPU in 2 s of system time on 2 CPUs: half a CPU.
    expect(instanceStats(sample(1.5e9, 12e9), sample(1e9, 10e9))).toEqual({
      cpuPercent: 50,
      memoryBytes: 80 * 2 ** 20,
      memoryLimitBytes: 2 * 2 ** 30,
    });
  });

  it('reports 0 % CPU without an earlier sample, and never negative memory', () => {
    expect(instanceStats(sample(1e9, 10e9, 10, 20), undefined)).toMatchObject({ cpuPercent: 0, memoryBytes: 0 });
  });
});
