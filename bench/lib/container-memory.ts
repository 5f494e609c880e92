import type Docker from 'dockerode';

/** The parts of a container's stats that memory usage is computed from. */
export interface MemoryStats {
  usage?: number;
  stats?: Record<string, number>;
}

/**
 * A container's memory use as `docker stats` shows it: cgroup usage minus inactive page cache
 * (total_inactive_file on cgroup v1, inactive_file on v2), as the Docker CLI computes it. Pure.
 */
export function memoryUsageFromStats(memory: MemoryStats): number {
  const usage = memory.usage;
  if (usage === undefined) throw new Error('the container reports no memory usage (is it running?)');
  const v1 = memory.stats?.total_inactive_file;
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = memory.stats?.inactive_file;
  if (v2 !== undefined && v2 < usage) return usage - v2;
  return usage;
}

/** `docker stats --no-stream` memory of one container, in bytes. */
export async function containerMemory(docker: Docker, nameOrId: string): Promise<number> {
  const stats = (await docker.getContainer(nameOrId).stats({ stream: false })) as { memory_stats: MemoryStats };
  return memoryUsageFromStats(stats.memory_stats);
}
