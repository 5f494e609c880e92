import type { Browser } from '@playwright/test';
import type Docker from 'dockerode';
import type { ApiClient } from './api-client';
import type { DirectSandboxes } from './direct-sandbox';
import type { Machine } from './machine';
import type { Figure } from './report';
import type { ServerProcess } from './server-process';

/** What every benchmark gets from bench/run.ts. */
export interface BenchContext {
  quick: boolean;
  repoRoot: string;
  /** The server every benchmark uses, with the default warm pool. */
  server: ServerProcess;
  api: ApiClient;
  /** Its warm pool size. */
  poolSize: number;
  /**
   * Starts another server (e.g. WARM_POOL=0 for cold starts). run.ts stops it at the end if the
   * benchmark did not; the benchmark must delete the sessions it made there.
   */
  startServer(env: Record<string, string>): Promise<ServerProcess>;
  /** Waits (bounded) until the main server's warm pool is full again; false if it did not fill in time. */
  waitForWarmPool(): Promise<boolean>;
  docker: Docker;
  /** Sandboxes started directly from the image (baselines); run.ts removes any left over. */
  sandboxes: DirectSandboxes;
  machine: Machine;
  /** One shared Chromium, launched on first use; run.ts closes it. */
  browser(): Promise<Browser>;
  /** A progress line on stderr. */
  log(line: string): void;
}

export interface BenchOutcome {
  figures: Figure[];
  notes: string[];
}

export interface Benchmark {
  name: string;
  title: string;
  /** Must delete what it creates (run.ts also deletes every session left, after each benchmark). */
  run(context: BenchContext): Promise<BenchOutcome>;
}
