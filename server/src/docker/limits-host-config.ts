import type Dockerode from 'dockerode';
import { SANDBOX_LOG_MAX_FILES, SANDBOX_LOG_MAX_SIZE, type SandboxLimits } from '../sandbox/sandbox-limits';

export type LimitsHostConfig = Pick<
  Dockerode.HostConfig,
  'Memory' | 'MemorySwap' | 'NanoCpus' | 'PidsLimit' | 'LogConfig'
>;

/**
 * The HostConfig fields that apply `limits` to a sandbox container; spread into its HostConfig.
 * A limit of 0 leaves its fields out (the engine's default: unlimited). MemorySwap equals Memory:
 * memory plus swap may not exceed the memory limit, i.e. no swap. The log limits always apply.
 * Returns a fresh object.
 */
export function limitsHostConfig(limits: SandboxLimits): LimitsHostConfig {
  const config: LimitsHostConfig = {
    LogConfig: {
      Type: 'json-file',
      Config: { 'max-size': SANDBOX_LOG_MAX_SIZE, 'max-file': String(SANDBOX_LOG_MAX_FILES) },
    },
  };
  if (limits.memoryBytes > 0) {
    config.Memory = limits.memoryBytes;
    config.MemorySwap = limits.memoryBytes;
  }
  if (limits.cpus > 0) config.NanoCpus = Math.round(limits.cpus * 1e9);
  if (limits.pids > 0) config.PidsLimit = limits.pids;
  return config;
}
