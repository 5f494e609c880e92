import { readFileSync } from 'node:fs';

/** MemAvailable of /proc/meminfo in bytes (memory the kernel can hand out without swapping), or undefined off Linux. */
export function parseMemAvailable(meminfo: string): number | undefined {
  const match = /^MemAvailable:\s+(\d+) kB$/m.exec(meminfo);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Read at each admission decision: a small file the kernel makes on demand. */
export function hostMemoryAvailable(): number | undefined {
  try {
    return parseMemAvailable(readFileSync('/proc/meminfo', 'utf8'));
  } catch {
    return undefined;
  }
}
