import type { InstanceStats } from '../protocol/api-types';

/** The parts of the engine's stats answer (GET /containers/{id}/stats) used here. */
export interface EngineStatsSample {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
}

/**
 * CPU as a percentage of one CPU between two samples (the engine's one-shot stats carry no earlier
 * sample, so the caller keeps the previous one), and memory as `docker stats` shows it: usage minus
 * inactive page cache. Pure.
 */
export function instanceStats(current: EngineStatsSample, previous: EngineStatsSample | undefined): InstanceStats {
  const cpu = current.cpu_stats;
  const before = previous?.cpu_stats;
  let cpuPercent = 0;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (before?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu?.system_cpu_usage ?? 0) - (before?.system_cpu_usage ?? 0);
  if (before && cpuDelta > 0 && systemDelta > 0) {
    cpuPercent = (cpuDelta / systemDelta) * (cpu?.online_cpus ?? 1) * 100;
  }
  const memory = current.memory_stats ?? {};
  const inactive = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0;
  return {
    cpuPercent: Math.round(cpuPercent * 10) / 10,
    memoryBytes: Math.max(0, (memory.usage ?? 0) - inactive),
    memoryLimitBytes: memory.limit ?? 0,
  };
}
