import { describe, expect, it } from 'vitest';
import { formatBytes, formatUsage } from './instance-usage';

describe('instance usage', () => {
  it('shows memory in MiB below a GiB and in GiB above', () => {
    expect(formatBytes(0)).toBe('0 MiB');
    expect(formatBytes(300 * 1024 ** 2)).toBe('300 MiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2 GiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
  });

  it('shows CPU, memory and the memory limit', () => {
    expect(formatUsage({ cpuPercent: 12.4, memoryBytes: 300 * 1024 ** 2, memoryLimitBytes: 2 * 1024 ** 3 })).toBe('CPU 12% · 300 MiB of 2 GiB');
  });

  it('leaves the limit out when there is none, and never shows negative numbers', () => {
    expect(formatUsage({ cpuPercent: -1, memoryBytes: 64 * 1024 ** 2, memoryLimitBytes: 0 })).toBe('CPU 0% · 64 MiB');
  });
});
