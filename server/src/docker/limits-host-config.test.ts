import { describe, expect, it } from 'vitest';
import { defaultSandboxLimits } from '../sandbox/sandbox-limits';
import { limitsHostConfig } from './limits-host-config';

const GiB = 1024 ** 3;

describe('limitsHostConfig', () => {
  it('sets memory without swap, CPU as NanoCpus, the pids limit and a rotated json-file log', () => {
    expect(limitsHostConfig({ memoryBytes: 2 * GiB, cpus: 1, pids: 1024 })).toEqual({
      Memory: 2 * GiB,
      MemorySwap: 2 * GiB,
      NanoCpus: 1_000_000_000,
      PidsLimit: 1024,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } },
    });
  });

  it('turns fractional CPUs into whole nanoCPUs', () => {
    expect(limitsHostConfig({ memoryBytes: 0, cpus: 0.3, pids: 0 }).NanoCpus).toBe(300_000_000);
    expect(limitsHostConfig({ memoryBytes: 0, cpus: 1.5, pids: 0 }).NanoCpus).toBe(1_500_000_000);
  });

  it('leaves a limit of 0 unset (unlimited) but always caps the log', () => {
    const config = limitsHostConfig({ memoryBytes: 0, cpus: 0, pids: 0 });
    expect(config).toEqual({ LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } } });
    expect('Memory' in config || 'MemorySwap' in config || 'NanoCpus' in config || 'PidsLimit' in config).toBe(false);
  });

  it('returns a fresh object each time', () => {
    const limits = defaultSandboxLimits();
    const a = limitsHostConfig(limits);
    a.LogConfig!.Config['max-size'] = '100m';
    expect(limitsHostConfig(limits).LogConfig!.Config['max-size']).toBe('1m');
  });
});
