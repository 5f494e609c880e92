/**
 * Resource limits of one sandbox (instance). Nested containers live in the sandbox's cgroup
 * subtree (private cgroup namespace), so these limits cover everything a visitor starts inside it.
 * 0 means "no limit" for each field: the HostConfig field is then left unset.
 */
export interface SandboxLimits {
  /** Memory in bytes (SANDBOX_MEMORY). No swap beyond it. Over it, the kernel's OOM killer picks a process inside. */
  memoryBytes: number;
  /** CPU time, in CPUs (SANDBOX_CPUS): 1 = one core's worth per scheduling period, 0.5 = half of one. */
  cpus: number;
  /** Processes and threads, nested containers' included (SANDBOX_PIDS). Stops fork bombs. */
  pids: number;
}

/** The documented defaults, as the environment variables would spell them. */
export const SANDBOX_LIMIT_DEFAULTS = { memory: '2g', cpus: '1', pids: '1024', disk: '10g' } as const;

/**
 * The sandbox container's own log (what its main process prints; nested containers' logs live
 * inside the sandbox): json-file, rotated at 1 MiB, two files kept. Root inside a sandbox can write
 * to its PID 1's stdout, so without a cap the log is a way to fill the host's disk.
 */
export const SANDBOX_LOG_MAX_SIZE = '1m';
export const SANDBOX_LOG_MAX_FILES = 2;

/** Below these, nested Docker does not come up (an idle sandbox: ~40 MiB, ~60 threads). */
export const MIN_SANDBOX_MEMORY_BYTES = 64 * 1024 ** 2;
export const MIN_SANDBOX_PIDS = 128;
export const MIN_SANDBOX_CPUS = 0.01;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * Parses a memory size as Docker's `--memory` does: a number with an optional binary unit,
 * `b`, `k`, `m`, `g`, `t` (also `kb`, `MiB`, ...; case-insensitive; 1k = 1024). A bare number is
 * bytes. `0` means no limit. Throws an Error naming what is wrong.
 */
export function parseMemory(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a memory size: use e.g. 2g, 512m, 1.5g, or 0 for no limit`);
  const bytes = Math.floor(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!);
  if (bytes === 0) return 0;
  if (bytes < MIN_SANDBOX_MEMORY_BYTES) {
    throw new Error(`"${text}" is too little memory for a sandbox: at least 64m, or 0 for no limit`);
  }
  if (!Number.isSafeInteger(bytes)) throw new Error(`"${text}" is too large`);
  return bytes;
}

/** Below this, nested Docker has no room for even a small image. */
export const MIN_SANDBOX_DISK_BYTES = 256 * 1024 ** 2;

/** Parses the size of a sandbox's Docker data disk (SANDBOX_DISK), in the units of parseMemory; 0 = no limit. */
export function parseDiskSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a size: use e.g. 10g, 512m, or 0 for no limit`);
  const bytes = Math.floor(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!);
  if (bytes === 0) return 0;
  if (bytes < MIN_SANDBOX_DISK_BYTES) throw new Error(`"${text}" is too small for nested Docker: at least 256m, or 0 for no limit`);
  if (!Number.isSafeInteger(bytes)) throw new Error(`"${text}" is too large`);
  return bytes;
}

/** Parses a CPU count as Docker's `--cpus` does: a decimal number, 0.01 or more; `0` means no limit. */
export function parseCpus(text: string): number {
  if (!/^\s*\d+(?:\.\d+)?\s*$/.test(text)) {
    throw new Error(`"${text}" is not a number of CPUs: use e.g. 1, 0.5, 2, or 0 for no limit`);
  }
  const cpus = Number(text);
  if (cpus === 0) return 0;
  if (cpus < MIN_SANDBOX_CPUS) throw new Error(`"${text}" is too little CPU: at least ${MIN_SANDBOX_CPUS}, or 0 for no limit`);
  if (cpus > 1024) throw new Error(`"${text}" is more CPUs than any engine has`);
  return cpus;
}

/** Parses a process limit: a whole number, at least 128; `0` means no limit. */
export function parsePids(text: string): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new Error(`"${text}" is not a whole number of processes (0 for no limit)`);
  const pids = Number(text);
  if (pids === 0) return 0;
  if (pids < MIN_SANDBOX_PIDS) {
    throw new Error(`"${text}" is too few processes for nested Docker: at least ${MIN_SANDBOX_PIDS}, or 0 for no limit`);
  }
  if (!Number.isSafeInteger(pids)) throw new Error(`"${text}" is too large`);
  return pids;
}

/** The defaults, parsed. */
export function defaultSandboxLimits(): SandboxLimits {
  return {
    memoryBytes: parseMemory(SANDBOX_LIMIT_DEFAULTS.memory),
    cpus: parseCpus(SANDBOX_LIMIT_DEFAULTS.cpus),
    pids: parsePids(SANDBOX_LIMIT_DEFAULTS.pids),
  };
}
