// An instance's live resource use, as the sidebar shows it.
import type { InstanceStats } from '../../../server/src/protocol/api-types';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/** 512 MiB, 1.5 GiB: MiB below one GiB, GiB with one decimal above. */
export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(1).replace(/\.0$/, '')} GiB`;
  return `${Math.round(bytes / MIB)} MiB`;
}

/**
 * "CPU 12% · 300 MiB of 2 GiB". CPU is a share of one CPU, so several busy cores exceed 100%. A limit
 * of 0 (SANDBOX_MEMORY=0) means none: only the use shows.
 */
export function formatUsage(stats: InstanceStats): string {
  const cpu = `CPU ${Math.round(Math.max(0, stats.cpuPercent))}%`;
  const memory = formatBytes(Math.max(0, stats.memoryBytes));
  return stats.memoryLimitBytes > 0 ? `${cpu} · ${memory} of ${formatBytes(stats.memoryLimitBytes)}` : `${cpu} · ${memory}`;
}
